// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Open the FAQ item a #faq-… fragment points to, for browsers that do not
  // open a closed <details> when the fragment names an element inside it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    var d = el.closest("details");
    if (d && !d.open) {
      d.open = true;
      el.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // The contents sit open in the wide layout's sidebar (site.css).
  if (window.matchMedia && window.matchMedia("(min-width: 75rem)").matches) {
    document.querySelectorAll(".toc-details").forEach(function (d) { d.open = true; });
  }
  // Copy buttons for share links: [data-copy] holds the text to copy.
  document.querySelectorAll("[data-copy]").forEach(function (b) {
    if (!navigator.clipboard) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(b.getAttribute("data-copy")).then(function () {
        var s = b.querySelector("[data-copy-status]") || b;
        s.textContent = "Copied";
      });
    });
  });
  // Move focus to an error summary after a failed submission.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
// The device's share sheet, where there is one; plain share links stay.
(function () {
  "use strict";
  if (!navigator.share) return;
  document.querySelectorAll("[data-share-url]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.share({ title: b.getAttribute("data-share-title"), url: b.getAttribute("data-share-url") }).catch(function () {});
    });
  });
})();
