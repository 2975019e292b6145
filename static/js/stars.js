/* Starring without an account: slugs per event in localStorage. An enhancement only:
   without JavaScript the star buttons stay hidden and every page still works. */
(function () {
  "use strict";
  var event = document.body.dataset.event;
  if (!event || !window.localStorage) return;
  var KEY = "starred:" + event;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(slugs) { localStorage.setItem(KEY, JSON.stringify(slugs)); }

  function paint(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "★" : "☆";
    var title = button.getAttribute("aria-label").replace(/^(Star|Unstar) /, "");
    button.setAttribute("aria-label", (on ? "Unstar " : "Star ") + title);
  }

  var starred = load();
  document.querySelectorAll("button[data-star]").forEach(function (button) {
    button.hidden = false;
    paint(button, starred.indexOf(button.dataset.star) !== -1);
    button.addEventListener("click", function () {
      var slugs = load(), slug = button.dataset.star, at = slugs.indexOf(slug);
      if (at === -1) slugs.push(slug); else slugs.splice(at, 1);
      save(slugs);
      document.querySelectorAll('button[data-star="' + slug + '"]').forEach(function (b) {
        paint(b, at === -1);
      });
    });
  });

  // The starred page is rendered by the server from ?talks=. Opened without it (from the
  // menu), fill it from this browser; a shared ?talks= link is shown as it is.
  var list = document.getElementById("starred-list");
  if (list && !new URLSearchParams(location.search).has("talks") && starred.length) {
    location.replace(location.pathname + "?talks=" + encodeURIComponent(starred.join(",")));
  }
})();
