/* Room states (open, full, evacuate) on cached pages, without reloading: elements with
   data-room-status="<room slug>" are filled from /<event>/rooms/status.json, polled every
   data-status-poll seconds (a revalidation: an unchanged answer is a 304). Elements with
   data-from/data-until show a state only while that talk runs (by the server's clock,
   from the answer's X-Schedule-Now or Date header). No long-lived connections: workers stay free. */
(function () {
  "use strict";
  var body = document.body, url = body.dataset.statusUrl;
  var targets = document.querySelectorAll("[data-room-status]");
  if (!url || !targets.length || !window.fetch) return;
  var every = Math.max(parseFloat(body.dataset.statusPoll) || 30, 1) * 1000;
  var labels = { "0": "Open", "1": "Full", "2": "Evacuate" };
  var notes = { "1": "This room is full: do not queue at the door.", "2": "Evacuate this room now: follow the staff's directions." };

  function paint(states, serverNow) {
    targets.forEach(function (element) {
      var state = states[element.dataset.roomStatus] || "0";
      var from = element.dataset.from && Date.parse(element.dataset.from);
      var until = element.dataset.until && Date.parse(element.dataset.until);
      var running = !from || (serverNow >= from && serverNow < until);
      var show = running && (state !== "0" || element.hasAttribute("data-show-open"));
      element.hidden = !show;
      element.className = element.className.replace(/\broom-state-\d\b/g, "").trim() + " room-state-" + state;
      element.textContent = element.hasAttribute("data-long") && notes[state] ? notes[state] : labels[state] || "";
      element.dataset.state = state;
    });
  }

  function poll() {
    fetch(url, { cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        var date = Date.parse(response.headers.get("X-Schedule-Now") || response.headers.get("Date") || "");
        return response.json().then(function (rooms) {
          var states = {};
          rooms.forEach(function (room) { states[room.slug] = room.state; });
          paint(states, isNaN(date) ? Date.now() : date);
        });
      })
      .catch(function () { /* keep what is shown; try again at the next poll */ })
      .finally(function () { setTimeout(poll, every); });
  }
  poll();
})();
