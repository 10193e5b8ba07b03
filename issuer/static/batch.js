// Polls the batch job's progress and updates the <progress> bar; reloads when the job ends.
(function () {
  "use strict";
  var box = document.getElementById("batch");
  if (!box || box.dataset.state !== "running") { return; }
  var bar = document.getElementById("batch-progress");
  var count = document.getElementById("batch-count");
  var lang = document.documentElement.lang || "nl";
  function shown(n) { return Number(n).toLocaleString(lang === "en" ? "en-GB" : "nl-NL"); }
  function poll() {
    fetch(box.dataset.progressUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.max = job.total || 1;
        bar.value = job.done;
        count.textContent = shown(job.done) + " / " + shown(job.total);
        if (job.state === "running") { setTimeout(poll, 500); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 300);
}());
