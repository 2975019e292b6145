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
      var room = rooms[id], badge = element.querySelector("[data-room-state]");
      if (room && badge) {
        badge.className = "display-state state-" + room.state;
        badge.textContent = room.state_label;
      }
    });
  }

  /* The hall board pages through buildings when they do not all fit on the screen. */
  var pages = [], page = 0;
  function paginate() {
    var sections = Array.prototype.slice.call(root.querySelectorAll(".display-building"));
    if (!sections.length) return;
    sections.forEach(function (s) { s.hidden = false; });
    var header = root.querySelector(".display-header"), footer = root.querySelector(".display-footer");
    var room = window.innerHeight - header.offsetHeight - footer.offsetHeight - 16;
    pages = [];
    var current = [], used = 0;
    sections.forEach(function (section) {
      var height = section.offsetHeight;
      if (current.length && used + height > room) { pages.push(current); current = []; used = 0; }
      current.push(section);
      used += height;
    });
    if (current.length) pages.push(current);
    page = page % pages.length;
    showPage();
  }
  function showPage() {
    var label = document.getElementById("display-page");
    pages.forEach(function (sections, index) {
      sections.forEach(function (s) { s.hidden = index !== page; });
    });
    if (label) {
      label.hidden = pages.length < 2;
      label.textContent = "Page " + (page + 1) + " of " + pages.length;
    }
  }
  if (root.dataset.display === "event") {
    paginate();
    window.addEventListener("resize", paginate);
    var seconds = Math.max(parseInt(root.dataset.pageSeconds, 10) || 15, 3);
    setInterval(function () {
      if (pages.length < 2) return;
      page = (page + 1) % pages.length;
      showPage();
    }, seconds * 1000);
  }

  render();
  setInterval(render, 1000);
  setInterval(fetchData, refresh);
})();
