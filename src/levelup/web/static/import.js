// The Import page: while the confirmed import runs, show how far it got (polls its progress).
// Without this file the confirm request simply waits and then shows the summary.
"use strict";
(function () {
  const form = document.querySelector("form[data-progress]");
  if (!form) return;
  const bar = document.getElementById("import-progress");
  const status = document.getElementById("import-status");
  form.addEventListener("submit", function () {
    bar.hidden = false;
    status.textContent = "importing…";
    form.querySelector("button").disabled = true;
    const poll = function () {
      fetch(form.dataset.progress, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) return;
          if (p.total) { bar.max = p.total; bar.value = p.done; }
          status.textContent = p.total ? p.done + " of " + p.total : p.done + " read";
          if (!p.finished) setTimeout(poll, 300);
        });
    };
    setTimeout(poll, 200);
  });
})();
