/* What depends on the clock is decided here, in the event's time zone, so that the server's
   pages stay cacheable: "#today" (set by /schedule/'s redirect) opens the current day while
   the event is on; "Jump to now" appears on today's page; the grid gets a "now" line. */
(function () {
  "use strict";
  var tz = document.body.dataset.tz;
  if (!tz || !window.Intl) return;

  function localDate(moment) {  // YYYY-MM-DD at the venue
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(moment);
  }
  // A rehearsal (SCHEDULE_REHEARSE_AT, debug only) moves the page's clock as the server's.
  function clockNow() { return Date.now() + (+document.body.dataset.clockOffset || 0); }
  var now = new Date(clockNow()), today = localDate(now);

  if (location.hash === "#today") {
    var tab = document.querySelector('.day-tabs a[data-day="' + today + '"]');
    if (tab && tab.getAttribute("aria-current") !== "page") {
      location.replace(tab.href);
      return;
    }
    history.replaceState(null, "", location.pathname + location.search);
  }

  var list = document.querySelector(".day-list[data-day]");
  if (list && list.dataset.day === today) {
    // The first slot with a talk still running, else the next to start, else the last.
    var slots = [].slice.call(list.querySelectorAll(".slot[data-start]")), target = null;
    target = slots.filter(function (slot) {
      return new Date(slot.dataset.start) <= now && new Date(slot.dataset.until) > now;
    })[0] || slots.filter(function (slot) { return new Date(slot.dataset.start) > now; })[0] ||
      slots[slots.length - 1] || null;
    var jump = document.querySelector(".jump-now");
    if (target && jump) {
      target.id = target.id || "now";
      jump.href = "#" + target.querySelector("h2").id;
      jump.hidden = false;
    }
  }

  var grid = document.querySelector(".grid[data-first]");
  if (grid && grid.dataset.day === today) {
    var line = grid.querySelector(".grid-now");
    var place = function () {
      var first = new Date(grid.dataset.first), rows = +grid.dataset.rows;
      var minutes = (clockNow() - first.getTime()) / 60000;
      var header = grid.querySelector(".grid-room");
      var top = header.offsetHeight, rowHeight = (grid.offsetHeight - top) / rows;
      if (minutes < 0 || minutes / 5 > rows) { line.hidden = true; return; }
      line.style.top = (top + (minutes / 5) * rowHeight) + "px";
      line.hidden = false;
    };
    place();
    setInterval(place, 60000);
    // During the event the grid opens at the current time (unless a link named a place).
    if (!line.hidden && !location.hash) {  // vertically only: the rooms stay where they start
      window.scrollTo(window.scrollX, line.getBoundingClientRect().top + window.scrollY - window.innerHeight / 3);
    }
  }
})();
