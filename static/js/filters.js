/* Long checkbox lists (74 devrooms, 40 rooms) get a type-to-narrow box. Accents and case
   are ignored, as in the server's search. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("input[data-narrow]").forEach(function (box) {
    var labels = box.parentNode.querySelectorAll(".choices label");
    box.hidden = false;
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      labels.forEach(function (label) {
        var text = fold(label.textContent), checked = label.querySelector("input").checked;
        label.hidden = !checked && !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  });
})();
