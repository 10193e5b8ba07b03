// Cycles through the frames of an animated QR sequence (~5 frames per second), no libraries.
(function () {
  var frames = document.querySelectorAll("#qr .frame");
  if (frames.length < 2) return;
  var i = 0;
  setInterval(function () {
    frames[i].classList.add("hidden");
    i = (i + 1) % frames.length;
    frames[i].classList.remove("hidden");
  }, 200);
})();
