/* 适老化 switch: large text and high contrast, remembered across pages (localStorage). */
(function () {
  var root = document.documentElement;
  var button = document.getElementById("a11y-toggle");
  if (!button) return;
  function show() { button.setAttribute("aria-pressed", root.classList.contains("large") ? "true" : "false"); }
  show();
  button.addEventListener("click", function () {
    var on = root.classList.toggle("large");
    try { localStorage.setItem("gk-large", on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
    show();
  });
})();

/* Sortable tables (year, agency and list pages): a button in each column header sorts the rows;
   numbers sort as numbers (largest first on the first press), text in Chinese (pinyin) order, and
   empty cells last. Without JavaScript the table is complete in its published order. */
(function () {
  var collator = window.Intl ? new Intl.Collator("zh-CN", { numeric: true }) : null;
  function value(cell) {
    var text = (cell.getAttribute("data-sort") !== null ? cell.getAttribute("data-sort") : cell.textContent).trim();
    if (text === "" || text === "—") return null;
    var n = Number(text.replace(/[,%\s]/g, ""));
    return isNaN(n) ? text : n;
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return collator ? collator.compare(String(a), String(b)) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }
  function sort(table, column, header) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) { return { row: row, key: value(row.cells[column]), i: i }; });
    var current = header.getAttribute("aria-sort");
    var numeric = rows.some(function (r) { return typeof r.key === "number"; });
    var order = current === "descending" ? "ascending" : current === "ascending" ? "descending" : numeric ? "descending" : "ascending";
    var sign = order === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      if (a.key === null || b.key === null) return a.key === b.key ? a.i - b.i : a.key === null ? 1 : -1;
      return sign * compare(a.key, b.key) || a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", order);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      button.title = table.getAttribute("data-sort-hint") || "";
      th.appendChild(button);
      button.addEventListener("click", function () { sort(table, column, th); });
    });
  });
})();

/* Printed pages carry their address in the margin: the build writes it where base_url is set,
   and this gives it from the address bar where it is not. */
(function () {
  var frame = document.getElementById("print-frame");
  if (!frame || frame.hasAttribute("data-address")) return;
  var address = location.href.replace(/[\\"<>&\n]/g, function (c) { return "\\" + c.charCodeAt(0).toString(16) + " "; });
  frame.textContent += "@page { @bottom-left { content: \"" + address + "\"; } }";
})();
