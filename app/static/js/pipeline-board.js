// The pipeline board: drag a card to another stage (mouse: HTML5 drag and drop; touch:
// finger tracking), POST it to the card's move URL. No inline scripts: the CSP forbids them.
(function () {
  var board = document.querySelector(".pipeline-board");
  if (!board || board.dataset.canMove !== "1") { return; }
  var problem = document.getElementById("board-problem");
  var dragged = null;

  function columnAt(element) { return element && element.closest(".pipeline-column"); }

  function show(message) {
    problem.textContent = message;
    problem.classList.toggle("d-none", !message);
  }

  function count(column, delta) {
    var badge = column.querySelector("[data-count]");
    badge.textContent = String(parseInt(badge.textContent, 10) + delta);
  }

  function send(card, from, to, reason) {
    var body = new URLSearchParams({stage_id: to.dataset.stageId, reason: reason || ""});
    return fetch(card.dataset.moveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": board.dataset.csrf}
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok) { show(""); return; }
        if (data.field === "reason" && !reason) {
          var given = window.prompt(data.message || board.dataset.reasonPrompt);
          if (given) { return send(card, from, to, given); }
        } else { show(data.message); }
        from.querySelector(".pipeline-cards").prepend(card);  // put it back
        count(from, 1); count(to, -1);
      });
    });
  }

  function drop(card, to) {
    var from = columnAt(card);
    if (!to || !from || to === from) { return; }
    to.querySelector(".pipeline-cards").prepend(card);
    count(from, -1); count(to, 1);
    send(card, from, to, "");
  }

  board.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".pipeline-card");
    if (dragged) { event.dataTransfer.setData("text/plain", dragged.dataset.id); }
  });
  board.addEventListener("dragover", function (event) {
    if (dragged && columnAt(event.target)) { event.preventDefault(); }
  });
  board.addEventListener("drop", function (event) {
    event.preventDefault();
    if (dragged) { drop(dragged, columnAt(event.target)); dragged = null; }
  });

  // Touch: press and hold a card (300 ms), then drag it; it drops on the column under the
  // finger. A quick swipe still scrolls the page.
  var touched = null, armed = false, timer = null;
  board.addEventListener("touchstart", function (event) {
    touched = event.target.closest(".pipeline-card");
    armed = false;
    if (touched) {
      timer = window.setTimeout(function () { armed = true; touched.classList.add("dragging"); }, 300);
    }
  }, {passive: true});
  board.addEventListener("touchmove", function (event) {
    if (!touched) { return; }
    if (!armed) { window.clearTimeout(timer); touched = null; return; }
    event.preventDefault();
  }, {passive: false});
  board.addEventListener("touchend", function (event) {
    window.clearTimeout(timer);
    if (!touched) { return; }
    touched.classList.remove("dragging");
    if (armed) {
      var point = event.changedTouches[0];
      drop(touched, columnAt(document.elementFromPoint(point.clientX, point.clientY)));
    }
    touched = null; armed = false;
  });
})();
