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
