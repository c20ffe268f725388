// On a phone a long table becomes a stack of cards (site.css, below 40rem): each cell is
// labelled with its column's header, read here from the table's own header row, so no template
// repeats its headers. Without this script the table scrolls sideways within itself instead of
// widening the page. Tables whose header spans columns keep scrolling: their labels would lie.
// A long list of short figures (class "compact") keeps scrolling too: one line a row is far
// shorter than a card a row.
(function () {
  "use strict";

  function asCards(table) {
    var head = table.tHead && table.tHead.rows.length === 1 ? table.tHead.rows[0] : null;
    if (!head || table.classList.contains("cards") || table.classList.contains("compact")) {
      return;
    }
    var cells = Array.prototype.slice.call(head.cells);
    if (cells.some(function (th) { return th.colSpan > 1; })) {
      return;
    }
    var names = cells.map(function (th) { return th.textContent.replace(/\s+/g, " ").trim(); });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (names[i] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[i]);
          }
        });
      });
    });
    table.classList.add("cards");
  }

  function within(root) {
    Array.prototype.forEach.call(root.querySelectorAll("main table"), asCards);
  }

  within(document);
  document.addEventListener("htmx:afterSettle", function () { within(document); });
})();
