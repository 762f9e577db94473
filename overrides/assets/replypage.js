// Remember a reader's explicit language choice, so the site root does not override it.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-rp-locale]");
  if (!link) return;
  try { localStorage.setItem("rp-locale", link.getAttribute("data-rp-locale")); } catch (e) {}
});
