/* The screens outside rooms and in the entrance hall. The page carries the day's talks
   (a JSON script element) and fetches them again every data-refresh seconds; "now" and
   "next" are picked here as the clock runs, so a screen keeps going through a network
   outage. The clock is the server's (the "now" of each answer), not the device's. */
(function () {
  "use strict";
  var root = document.querySelector("[data-display]");
  if (!root) return;
  var initial = document.getElementById("display-data");
  var data = initial ? JSON.parse(initial.textContent) : null;
  var offset = Date.parse(root.dataset.now) - Date.now();
  var lastOk = Date.now();
  var refresh = Math.max(parseInt(root.dataset.refresh, 10) || 30, 1) * 1000;
  var hm = new Intl.DateTimeFormat("en-GB", {
    timeZone: root.dataset.tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  var status = document.getElementById("display-status");

  function now() { return Date.now() + offset; }

  function fetchData() {
    fetch(root.dataset.json, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (fresh) {
        data = fresh;
        offset = Date.parse(fresh.now) - Date.now();
        lastOk = Date.now();
        status.textContent = "";
        root.classList.remove("offline");
        render();
      })
      .catch(function () {
        root.classList.add("offline");
        status.textContent = "No connection since " + hm.format(new Date(lastOk + offset)) +
          ": showing the schedule as it was then.";
      });
  }

  function pick(roomId, at) {
    var current = null, upcoming = null;
    data.talks.forEach(function (talk) {
      if (talk.room !== roomId) return;
      var start = Date.parse(talk.start), end = Date.parse(talk.end);
      if (start <= at && at < end && !talk.cancelled && !current) current = talk;
      else if (start > at && !upcoming) upcoming = talk;
    });
    return [current, upcoming];
  }

  function fill(slot, talk, at, isNow) {
    if (!slot) return;
    var title = slot.querySelector(".d-title"), speakers = slot.querySelector(".d-speakers");
    var when = slot.querySelector(".d-when");
    if (!talk) {
      title.textContent = isNow ? "Nothing right now" : "Nothing more today";
      speakers.textContent = when.textContent = "";
      slot.classList.add("empty");
      return;
    }
    slot.classList.remove("empty");
    title.textContent = talk.title + (talk.cancelled ? " (cancelled)" : "");
    speakers.textContent = talk.speakers;
    var start = new Date(talk.start), end = new Date(talk.end);
    if (isNow) {
      var left = Math.max(Math.ceil((end - at) / 60000), 0);
      when.textContent = left + " min left · until " + hm.format(end);
    } else {
      var until = Math.ceil((start - at) / 60000);
      when.textContent = hm.format(start) + "–" + hm.format(end) +
        (until <= 60 ? " · in " + until + " min" : "");
    }
  }

  function render() {
    if (!data) return;
    var at = now();
    var clock = document.getElementById("display-clock");
    if (clock) clock.textContent = hm.format(new Date(at));
    var rooms = {};
    data.rooms.forEach(function (room) { rooms[room.id] = room; });
    root.querySelectorAll("[data-room]").forEach(function (element) {
      var id = parseInt(element.dataset.room, 10), chosen = pick(id, at);
      fill(element.querySelector('[data-slot="now"]'), chosen[0], at, true);
      fill(element.querySelector('[data-slot="next"]'), chosen[1], at, false);
      element.dataset.done = chosen[0] || chosen[1] ? "0" : "1";
      var room = rooms[id], badge = element.querySelector("[data-room-state]");
      if (room && badge) {
        var state = room.state, label = room.state_label;
        if (room.resets_at && at >= Date.parse(room.resets_at)) { state = "0"; label = "Open"; }
        badge.className = "display-state state-" + state;
        badge.textContent = label;
        element.classList.toggle("evacuate", state === "2");
      }
    });
  }

  /* The hall board pages through its rooms when they do not all fit on the screen,
     building by building (a building split over two pages keeps its heading on both).
     Rooms with nothing more today are left out. Pages are measured again at each turn,
     as titles change. */
  var page = 0, pageCount = 1;
  function layout() {
    var rows = Array.prototype.slice.call(root.querySelectorAll(".display-row"));
    var sections = Array.prototype.slice.call(root.querySelectorAll(".display-building"));
    if (!rows.length) return;
    sections.forEach(function (s) { s.hidden = false; });
    rows.forEach(function (r) { r.hidden = r.dataset.done === "1"; });
    var style = getComputedStyle(root), gap = parseFloat(style.rowGap) || 0;
    var top = (root.querySelector(".display-columns") || root.querySelector(".display-header"))
      .getBoundingClientRect().bottom + window.scrollY;
    var footer = root.querySelector(".display-footer");
    var available = window.innerHeight - top - footer.offsetHeight - gap -
      (parseFloat(style.paddingBottom) || 0) - 2;
    var pages = [], current = [], used = 0, lastSection = null;
    rows.forEach(function (row) {
      if (row.hidden) return;
      var section = row.closest(".display-building");
      var heading = section.querySelector("h2").offsetHeight + gap +
        (parseFloat(getComputedStyle(section.querySelector("h2")).marginBottom) || 0);
      var height = row.offsetHeight + (section !== lastSection ? heading : 0);
      if (current.length && used + height > available) {
        pages.push(current);
        current = [];
        used = 0;
        height = row.offsetHeight + heading;
      }
      current.push(row);
      used += height;
      lastSection = section;
    });
    if (current.length) pages.push(current);
    pageCount = Math.max(pages.length, 1);
    page = page % pageCount;
    var shown = pages[page] || [];
    rows.forEach(function (row) { row.hidden = shown.indexOf(row) === -1; });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".display-row:not([hidden])");
    });
    var label = document.getElementById("display-page");
    if (label) {
      label.hidden = pageCount < 2;
      label.textContent = "Page " + (page + 1) + " of " + pageCount;
    }
  }
  if (root.dataset.display === "event") {
    window.addEventListener("resize", layout);
    var seconds = Math.max(parseInt(root.dataset.pageSeconds, 10) || 15, 3);
    setInterval(function () {
      page = (page + 1) % pageCount;
      layout();
    }, seconds * 1000);
  }

  render();
  if (root.dataset.display === "event") {
    layout();
    if (document.fonts) document.fonts.ready.then(layout); // the web font changes heights
    setInterval(function () { // a title that changed may have pushed the page over
      if (document.documentElement.scrollHeight > window.innerHeight + 1) layout();
    }, 1000);
  }
  setInterval(render, 1000);
  setInterval(fetchData, refresh);
})();
