// The "ask for a microcredential" page waits for the wallet's answer: it asks the verifier for the
// request's state (no connection to the candidate's device is needed) and shows the verdict when it is there.
(function () {
  "use strict";
  var status = document.getElementById("oid4vp-status");
  if (!status || !window.fetch) { return; }
  var url = status.dataset.url;
  var done = { answered: true, declined: true, expired: true };
  function poll() {
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.message && status.textContent !== s.message) { status.textContent = s.message; }
        status.dataset.state = s.state;
        if (s.result) { window.location.assign(s.result); return; }
        if (!done[s.state]) { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 4000); });
  }
  window.setTimeout(poll, 1000);
})();
