/* A keyboard path through long schedules (WAI-ARIA "roving tabindex"): Tab moves from group
   to group (a time slot of the list, a room of the grid, the time index) instead of through
   every link of every talk; inside a group the arrow keys move: up and down from talk to
   talk, left and right between a talk's links and its star; Home and End to the group's
   first and last talk. Tab comes back to the last place visited in a group. */
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button:not([disabled]), input, select, textarea";

  function controls(item) {  // links first (a talk's title), then its buttons (its star)
    if (item.matches(FOCUSABLE)) return [item];
    var all = [].slice.call(item.querySelectorAll(FOCUSABLE));
    return all.filter(function (el) { return el.tagName === "A"; })
      .concat(all.filter(function (el) { return el.tagName !== "A"; }));
  }

  /* `items`: one group's talks (or links) in order; one of their controls stays in the
     tab order, the others are reached with the arrow keys. */
  function rove(items) {
    if (!items.length) return;
    var current = controls(items[0])[0];
    items.forEach(function (item) {
      controls(item).forEach(function (el) { el.tabIndex = el === current ? 0 : -1; });
    });
    function move(el) {
      if (!el) return;
      if (current && current !== el) current.tabIndex = -1;
      current = el;
      el.tabIndex = 0;
      el.focus();
    }
    items.forEach(function (item, at) {
      item.addEventListener("focusin", function (event) {  // a click, or a link's target
        if (event.target !== current && event.target.tabIndex === -1) move(event.target);
      });
      item.addEventListener("keydown", function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
        var own = controls(item), index = own.indexOf(event.target), target;
        if (index === -1) return;
        switch (event.key) {
          case "ArrowDown": target = items[at + 1] && controls(items[at + 1])[0]; break;
          case "ArrowUp": target = items[at - 1] && controls(items[at - 1])[0]; break;
          case "ArrowRight": target = own[index + 1]; break;
          case "ArrowLeft": target = own[index - 1]; break;
          case "Home": target = controls(items[0])[0]; break;
          case "End": target = controls(items[items.length - 1])[0]; break;
          default: return;
        }
        event.preventDefault();
        move(target);
      });
    });
  }

  // Lists: each time slot (or day of a selection) is a group of talks.
  document.querySelectorAll(".day-list .slot, #starred-list .day-group").forEach(function (group) {
    rove([].slice.call(group.querySelectorAll("article.talk")));
  });
  // The time index: one tab stop, arrows to the time wanted, Enter.
  document.querySelectorAll(".slot-index").forEach(function (index) {
    rove([].slice.call(index.querySelectorAll("a[href]")));
  });
  // The grid: each room's cards, in time order, are a group.
  var rooms = {};
  document.querySelectorAll(".grid .grid-talk[data-state]").forEach(function (card) {
    var state = card.dataset.state.split("|");
    (rooms[state[1]] = rooms[state[1]] || []).push({ start: state[0], card: card });
  });
  Object.keys(rooms).forEach(function (room) {
    rove(rooms[room].sort(function (a, b) {
      return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
    }).map(function (entry) { return entry.card; }));
  });
})();
