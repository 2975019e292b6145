/* The speakers directory narrows as you type (the form still works without JavaScript). */
(function () {
  "use strict";
  var box = document.querySelector("input[data-narrow-names]");
  if (!box) return;
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var items = document.querySelectorAll(".speaker-directory li[data-key]");
  var groups = document.querySelectorAll(".letter-group");
  box.addEventListener("input", function () {
    var words = fold(box.value).split(/\s+/).filter(Boolean);
    items.forEach(function (item) {
      var key = item.dataset.key;
      item.hidden = !words.every(function (w) { return key.indexOf(w) !== -1; });
    });
    groups.forEach(function (group) { group.hidden = !group.querySelector("li:not([hidden])"); });
  });
})();
