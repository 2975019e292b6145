/* A room page's "Now" and "Next", decided in the browser: the page is cached, so the
   server cannot know what "now" is when it is read. Talks carry data-start/data-end (ISO
   timestamps). The rule mirrors schedule/pages/nownext.py (the /now/ page):
   - Now: the first talk, not cancelled, with start <= now < end (a talk starting this
     very minute is on now, not next);
   - Next: the first talk starting after now that is not the current one (a cancelled one
     is shown, marked, as in /now/).
   Without JavaScript the page is a plain list and the summary stays hidden. */
(function (root) {
  "use strict";

  function pick(slots, now) {
    var current = -1, upcoming = -1, i;
    for (i = 0; i < slots.length; i++) {
      var s = slots[i];
      if (current === -1 && !s.cancelled && s.start <= now && now < s.end) current = i;
    }
    for (i = 0; i < slots.length; i++) {
      if (slots[i].start > now && i !== current) { upcoming = i; break; }
    }
    return { now: current, next: upcoming };
  }

  if (typeof module !== "undefined" && module.exports) {  // for tests under node
    module.exports = { pick: pick };
    return;
  }

  function slotsOf(elements) {
    return elements.map(function (el) {
      return {
        start: Date.parse(el.dataset.start),
        end: Date.parse(el.dataset.end),
        cancelled: el.hasAttribute("data-cancelled"),
      };
    });
  }

  function fill(summary, role, element) {
    var line = summary.querySelector('[data-slot="' + role + '"]');
    if (!line) return;
    line.hidden = !element;
    if (!element) return;
    var source = element.querySelector(".talk-title a");
    var target = line.querySelector("a");
    target.href = source ? source.href : "#";
    target.textContent = source ? source.textContent : "";
    var time = line.querySelector("time");
    if (time) {
      var shown = element.querySelector(".talk-time");
      time.textContent = shown ? shown.textContent.split("–")[0].trim() : "";
    }
  }

  function paint() {
    var elements = Array.prototype.slice.call(
      document.querySelectorAll(".room-slot[data-start][data-end]")
    );
    // A rehearsal (SCHEDULE_REHEARSE_AT, debug only) moves the clock as the server's.
    var found = pick(slotsOf(elements), Date.now() + (+document.body.dataset.clockOffset || 0));
    elements.forEach(function (el, i) {
      var role = i === found.now ? "now" : i === found.next ? "next" : "";
      el.classList.toggle("is-now", role === "now");
      el.classList.toggle("is-next", role === "next");
      var badge = el.querySelector(".room-slot-badge");
      if (badge) {
        badge.hidden = !role;
        badge.textContent = role === "now" ? "Now" : role === "next" ? "Next" : "";
      }
    });
    var summary = document.getElementById("room-now");
    if (summary) {
      fill(summary, "now", elements[found.now]);
      fill(summary, "next", elements[found.next]);
      summary.hidden = found.now === -1 && found.next === -1;
    }
  }

  root.addEventListener("DOMContentLoaded", function () {
    paint();
    root.setInterval(paint, 30000);
  });
})(typeof window !== "undefined" ? window : this);
