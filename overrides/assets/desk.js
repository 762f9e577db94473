// The desk's script: pick the reader's language, greet by name, copy with one tap. Messages
// come from the build (replypage.desk): a greeting is two parts around the typed name, and the
// name is cleaned with the build's own pattern, so this page and `shortlink --to` agree.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var data = JSON.parse(document.getElementById("desk-data").textContent);
  var space = new RegExp(data.space, "g");
  var select = document.getElementById("desk-locale");
  var nameInput = document.getElementById("desk-name");
  var status = document.querySelector(".desk-status");
  var sections = document.querySelectorAll("[data-locale]");

  function cleanName(name) {
    return name.replace(space, " ").replace(/^ +| +$/g, "");
  }

  function textOf(key) {
    var entry = data.messages[key];
    var name = cleanName(nameInput.value);
    return name && entry.named ? entry.named[0] + name + entry.named[1] : entry.message;
  }

  function refresh() {
    sections.forEach(function (section) {
      section.classList.toggle("current", section.getAttribute("data-locale") === select.value);
      section.querySelectorAll("[data-key]").forEach(function (card) {
        var text = textOf(card.getAttribute("data-key"));
        card.querySelector("[data-message]").textContent = text;
        card.querySelector("[data-count]").textContent = String(text.length);
        card.querySelector("[data-over]").hidden = text.length <= data.max;
      });
    });
  }

  function say(text) {
    status.textContent = text;
    setTimeout(function () { if (status.textContent === text) status.textContent = ""; }, 2500);
  }

  function copy(text, source) {
    function byHand() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "desk-offscreen";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      document.body.removeChild(area);
      if (done) { say(data.labels.copied); return; }
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say(data.labels.failed);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say(data.labels.copied); }, byHand);
    } else {
      byHand();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var card = button.closest("[data-key]");
    if (button.getAttribute("data-copy") === "link") {
      var link = card.querySelector(".desk-link a");
      copy(link.getAttribute("href"), link);
    } else {
      copy(textOf(card.getAttribute("data-key")), card.querySelector("[data-message]"));
    }
  });

  try {
    var saved = localStorage.getItem("desk-locale");
    if (saved && select.querySelector('option[value="' + saved + '"]')) select.value = saved;
  } catch (e) {}
  select.addEventListener("change", function () {
    try { localStorage.setItem("desk-locale", select.value); } catch (e) {}
    refresh();
  });
  nameInput.addEventListener("input", refresh);
  refresh();

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(data.url + "sw.js", { scope: data.url }).catch(function () {});
  }
})();
