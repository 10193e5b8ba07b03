// Camera scanning with ZXing-C++ compiled to WebAssembly (zxing-wasm), served by this app.
// Single codes (MC2C1:, MC1D1:) are submitted at once; frames of an animated sequence (MC2C1/F<i>/<n>/<id>:)
// are collected in any order with visible progress, then submitted together.
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root || !window.ZXingWASM) { return; }
  var wasmUrl = new URL(root.dataset.wasm, document.baseURI).href;
  ZXingWASM.prepareZXingModule({
    overrides: { locateFile: function (path, prefix) { return path.endsWith(".wasm") ? wasmUrl : prefix + path; } },
    fireImmediately: true
  });
  var video = document.getElementById("camera");
  var startBtn = document.getElementById("camera-start");
  var stopBtn = document.getElementById("camera-stop");
  var status = document.getElementById("scan-status");
  var progress = document.getElementById("scan-progress");
  var form = document.getElementById("scan-form");
  var field = document.getElementById("scan-text");
  var SINGLE = /^(MC1(?:D\d+)?|MC2C\d+):[0-9A-Z $%*+\-./:]*$/;
  var FRAME = /^(MC1(?:D\d+)?|MC2C\d+)\/F(\d{1,3})\/(\d{1,3})\/([0-9A-F]{8}):/;
  var stream = null, running = false, done = false;
  var frames = {}, sequence = null;
  var canvas = document.createElement("canvas");
  var ctx = canvas.getContext("2d", { willReadFrequently: true });

  function say(text) { status.textContent = text; }

  function submit(text) {
    done = true;
    say(root.dataset.msgChecking);
    stop();
    field.value = text;
    form.submit();
  }

  function handle(text) {
    var m = FRAME.exec(text);
    if (m) {
      var key = m[1] + "/" + m[3] + "/" + m[4];
      if (sequence !== key) { sequence = key; frames = {}; }
      frames[m[2]] = text;
      var total = parseInt(m[3], 10), got = Object.keys(frames).length;
      progress.hidden = false; progress.max = total; progress.value = got;
      say(root.dataset.msgFrames + ": " + got + " / " + total);
      if (got === total) {
        var lines = [];
        for (var i = 1; i <= total; i++) { lines.push(frames[String(i)]); }
        submit(lines.join("\n"));
      }
    } else if (SINGLE.test(text)) {
      submit(text);
    }
  }

  async function tick() {
    if (!running || done) { return; }
    if (video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      try {
        var results = await ZXingWASM.readBarcodes(ctx.getImageData(0, 0, canvas.width, canvas.height),
          { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 1 });
        for (var r of results) { if (r.isValid && r.text) { handle(r.text); } }
      } catch (e) { say(String(e)); }
    }
    if (running && !done) { setTimeout(tick, 60); }
  }

  async function start() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment", width: { ideal: 1280 } }, audio: false });
    } catch (e) { say(root.dataset.msgDenied); return; }
    video.srcObject = stream; video.hidden = false;
    await video.play();
    running = true; startBtn.hidden = true; stopBtn.hidden = false;
    say(root.dataset.msgReady);
    tick();
  }

  function stop() {
    running = false;
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true; startBtn.hidden = false; stopBtn.hidden = true;
  }

  startBtn.addEventListener("click", start);
  stopBtn.addEventListener("click", stop);
})();
