// The reply page's only script (Material's bundle is not loaded: it weighs more than the page
// budget and can fetch from third-party hosts). Everything here is an enhancement; the page
// reads fully without it.
(function () {
  "use strict";

  // Remember an explicit language choice, so that the site root does not override it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-rp-locale]");
    if (!link) return;
    try { localStorage.setItem("rp-locale", link.getAttribute("data-rp-locale")); } catch (e) {}
  });

  // A copy button on each code block (the request template), labelled in the page's language.
  var config = document.getElementById("__config");
  var labels = config ? JSON.parse(config.textContent).translations : {};
  var copyLabel = labels["clipboard.copy"] || "Copy to clipboard";
  var copiedLabel = labels["clipboard.copied"] || "Copied to clipboard";
  if (!navigator.clipboard) return;
  var status = document.createElement("p");
  status.className = "rp-status";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-clipboard md-icon";
    button.title = copyLabel;
    button.setAttribute("aria-label", copyLabel);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.innerText.replace(/\n$/, "")).then(function () {
        status.textContent = copiedLabel;
        button.title = copiedLabel;
        setTimeout(function () { status.textContent = ""; button.title = copyLabel; }, 2000);
      });
    });
    code.parentNode.insertBefore(button, code);
  });
})();
