/* The day grid's zoom (overview, normal, large; remembered in this browser) and its clipped
   cards: the first tap on a card whose title or speakers do not fit shows all of it (as
   keyboard focus and the pointer do, in CSS); the second tap opens the talk. */
(function () {
  "use strict";
  var grid = document.querySelector(".grid");
  var zoom = document.querySelector(".grid-zoom");
  if (!grid) return;
  var KEY = "grid-zoom", ZOOMS = ["overview", "normal", "large"];

  function apply(level) {
    ZOOMS.forEach(function (z) { grid.classList.toggle("zoom-" + z, z === level && z !== "normal"); });
    if (zoom) {
      zoom.querySelectorAll("button[data-zoom]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.zoom === level));
      });
    }
  }
  var saved;
  try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
  apply(ZOOMS.indexOf(saved) === -1 ? "normal" : saved);
  if (zoom) {
    zoom.classList.add("ready");
    zoom.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) return;
      apply(button.dataset.zoom);
      try { localStorage.setItem(KEY, button.dataset.zoom); } catch (e) { /* private mode */ }
    });
  }

  var touched = false;
  grid.addEventListener("touchstart", function () { touched = true; }, { passive: true });
  grid.addEventListener("click", function (event) {
    var link = event.target.closest(".grid-talk a");
    if (!link || !touched) return;
    var card = link.closest(".grid-talk");
    var clipped = link.scrollHeight > card.clientHeight + 1 || link.scrollWidth > card.clientWidth + 1;
    if (clipped && !card.classList.contains("expanded")) {
      event.preventDefault();
      grid.querySelectorAll(".grid-talk.expanded").forEach(function (other) { other.classList.remove("expanded"); });
      card.classList.add("expanded");
    }
  });
})();
