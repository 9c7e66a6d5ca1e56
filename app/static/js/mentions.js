// @mention autocomplete for comment boxes (textarea[data-mentions-url]).
// Typing "@" and a few letters asks the server for active users who may see the record;
// picking one inserts its token "@[Name](user:12)". The server checks every mention again.
(function () {
  "use strict";
  if (window.kehuMentions) { return; }  // the partial may be included more than once
  window.kehuMentions = true;

  function queryAt(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = /(^|\s)@([^\s@\[\]()]{0,30})$/.exec(before);
    return match ? { start: before.length - match[2].length - 1, text: match[2] } : null;
  }

  function attach(textarea) {
    var box = textarea.parentNode.querySelector(".mention-choices");
    var timer = null, active = null;

    function close() { box.classList.add("d-none"); box.textContent = ""; active = null; }

    function choose(user) {
      var at = active;
      if (!at) { return; }
      var after = textarea.value.slice(textarea.selectionStart);
      var head = textarea.value.slice(0, at.start) + user.token + " ";
      textarea.value = head + after;
      textarea.focus();
      textarea.setSelectionRange(head.length, head.length);
      close();
    }

    function show(users) {
      box.textContent = "";
      if (!users.length) { close(); return; }
      users.forEach(function (user) {
        var item = document.createElement("button");
        item.type = "button";
        item.className = "list-group-item list-group-item-action py-1";
        item.textContent = user.name;  // textContent: a name is never HTML
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(user); });
        box.appendChild(item);
      });
      box.classList.remove("d-none");
    }

    textarea.addEventListener("input", function () {
      active = queryAt(textarea);
      clearTimeout(timer);
      if (!active) { close(); return; }
      var wanted = active;
      timer = setTimeout(function () {
        var url = textarea.dataset.mentionsUrl + "?q=" + encodeURIComponent(wanted.text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (users) { if (active === wanted) { show(users); } })
          .catch(close);
      }, 150);
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
      if (event.key === "Enter" && !box.classList.contains("d-none") && box.firstChild) {
        event.preventDefault();
        box.firstChild.dispatchEvent(new MouseEvent("mousedown"));
      }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  function start() {
    document.querySelectorAll("textarea[data-mentions-url]").forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
