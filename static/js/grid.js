// Entry grids (results, attendance, paper feedback) behave like a spreadsheet.
//
// A form with class "js-grid" holds a table whose inputs with class
// "grid-cell" are its cells. Enter moves down the column (Shift+Enter up) and
// never submits; Tab moves across as in any form; the arrow keys move (left
// and right leave a text cell only from its first or last character). Only
// the Save button sends the grid. Leaving the page with unsaved changes asks
// first. A cell with data-min/data-max (and data-decimals, or data-digits for
// whole numbers) is marked as soon as its value is out of range; its
// data-invalid text says why. The page works without this file: the server
// checks everything again and keeps what was typed when it refuses.
(function () {
  "use strict";

  function readNumber(text) {
    var value = text.trim().replace(",", ".");
    if (value === "") { return { empty: true }; }
    if (!/^\d+(\.\d+)?$/.test(value)) { return { bad: true }; }
    return { value: parseFloat(value), decimals: (value.split(".")[1] || "").length };
  }

  function check(cell) {
    if (!cell.hasAttribute("data-max")) { return; }
    var read = readNumber(cell.value);
    var bad = false;
    if (read.bad) {
      bad = true;
    } else if (!read.empty) {
      var decimals = parseInt(cell.getAttribute("data-decimals") || "0", 10);
      bad = read.value < parseFloat(cell.getAttribute("data-min") || "0") ||
        read.value > parseFloat(cell.getAttribute("data-max")) ||
        read.decimals > decimals;
    }
    cell.classList.toggle("is-invalid", bad);
    cell.setAttribute("aria-invalid", bad ? "true" : "false");
    if (bad) { cell.title = cell.getAttribute("data-invalid") || ""; } else { cell.removeAttribute("title"); }
  }

  function setUp(form) {
    var rows = Array.prototype.slice.call(form.querySelectorAll("tbody tr"))
      .map(function (row) { return Array.prototype.slice.call(row.querySelectorAll(".grid-cell")); })
      .filter(function (cells) { return cells.length; });
    var dirty = form.hasAttribute("data-dirty");

    function place(cell) {
      for (var r = 0; r < rows.length; r++) {
        var c = rows[r].indexOf(cell);
        if (c !== -1) { return [r, c]; }
      }
      return null;
    }

    function go(cell, dRow, dCol) {
      var at = place(cell);
      if (!at) { return false; }
      var row = at[0] + dRow;
      var col = at[1] + dCol;
      if (dCol && (col < 0 || col >= rows[at[0]].length)) { return false; }
      if (row < 0 || row >= rows.length) { return false; }
      var target = rows[row][Math.min(col, rows[row].length - 1)];
      target.focus();
      if (target.select && target.type === "text") { target.select(); }
      return true;
    }

    function atEdge(cell, toEnd) {
      if (cell.type !== "text") { return true; }
      var start = cell.selectionStart;
      var end = cell.selectionEnd;
      if (start === 0 && end === cell.value.length) { return true; }
      return toEnd ? end === cell.value.length : start === 0;
    }

    rows.forEach(function (cells) {
      cells.forEach(function (cell) {
        check(cell);
        cell.addEventListener("input", function () { dirty = true; check(cell); });
        cell.addEventListener("change", function () { dirty = true; check(cell); });
        cell.addEventListener("keydown", function (event) {
          if (event.altKey || event.ctrlKey || event.metaKey) { return; }
          var moved = null;
          if (event.key === "Enter") {
            event.preventDefault();
            go(cell, event.shiftKey ? -1 : 1, 0);
            return;
          }
          if (event.key === "ArrowDown") { moved = go(cell, 1, 0); }
          else if (event.key === "ArrowUp") { moved = go(cell, -1, 0); }
          else if (event.key === "ArrowRight" && atEdge(cell, true)) { moved = go(cell, 0, 1); }
          else if (event.key === "ArrowLeft" && atEdge(cell, false)) { moved = go(cell, 0, -1); }
          if (moved) { event.preventDefault(); }
          if (moved === false && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
            event.preventDefault();
          }
        });
      });
    });

    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) { return undefined; }
      event.preventDefault();
      event.returnValue = form.getAttribute("data-unsaved") || "";
      return event.returnValue;
    });
  }

  document.querySelectorAll("form.js-grid").forEach(setUp);
})();
