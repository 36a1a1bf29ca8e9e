// levelup's progressive enhancement: every form works without this file.
// Search as you type on the ledger's filters; the coach's hints while typing a title.
"use strict";
(function () {
  function debounce(fn, ms) {
    let timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }
  const filters = document.querySelector("form[data-live]");
  if (filters) {
    // One letter matches most of a ledger: wait for two (the server ignores one, too).
    let last = null;
    const refresh = debounce(function () {
      const query = new URLSearchParams(new FormData(filters));
      const typed = (query.get("q") || "").trim();
      if (typed.length === 1) return;
      if (query.toString() === last) return;
      last = query.toString();
      query.set("partial", "1");
      fetch("/ledger?" + query.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          const target = document.querySelector(filters.dataset.live);
          if (html === null || !target) return;
          const parsed = new DOMParser().parseFromString(html, "text/html");
          const fresh = parsed.querySelector("#results");
          if (fresh) target.replaceWith(fresh);
        });
    }, 250);
    filters.addEventListener("input", refresh);
  }
  const title = document.querySelector("input[data-coach]");
  if (title) {
    const box = document.querySelector(title.dataset.coach);
    const hint = debounce(function () {
      fetch("/api/v1/coach?title=" + encodeURIComponent(title.value), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { tips: [] }; })
        .then(function (data) {
          box.textContent = "";
          data.tips.forEach(function (tip) {
            const p = document.createElement("p");
            p.textContent = "Tip: " + tip;
            box.appendChild(p);
          });
        });
    }, 300);
    title.addEventListener("input", hint);
  }
})();
