/* The board's cards are reordered within their column by dragging (HTML5 drag and drop); the
   column's new order is sent to the server. Without this script, the ↑/↓ buttons do the same. */
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !board.dataset.orderUrl) { return; }
  var token = document.querySelector("#board-csrf input[name=csrfmiddlewaretoken]");
  var dragged = null;

  function send(list) {
    var ids = Array.prototype.map.call(list.querySelectorAll(".board-card"), function (li) {
      return li.dataset.task;
    });
    var body = new URLSearchParams();
    body.append("order", ids.join(","));
    body.append("csrfmiddlewaretoken", token ? token.value : "");
    return fetch(board.dataset.orderUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) { window.location.reload(); }
    });
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card");
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.task);
  });
  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
  });
  board.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var list = event.target.closest && event.target.closest(".board-cards");
    if (!list || list !== dragged.parentNode) { return; }  // within its own column only
    event.preventDefault();
    var over = event.target.closest(".board-card");
    if (!over || over === dragged) { return; }
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  board.addEventListener("drop", function (event) {
    if (!dragged) { return; }
    var list = dragged.parentNode;
    event.preventDefault();
    send(list);
  });
})();
