/* A keyboard path through long schedules (WAI-ARIA "roving tabindex"): Tab moves from group
   to group (a time slot of the list, a room of the grid, the time index) instead of through
   every link of every talk; inside a group the arrow keys move: up and down from talk to
   talk, left and right between a talk's links and its star; Home and End to the group's
   first and last talk. Tab comes back to the last place visited in a group.
   One pass sets the tab order and one listener per page does the rest (a day holds 500
   talks and 2,500 links: per-talk listeners cost the phone's first second). */
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button:not([disabled])";

  function controls(item) {  // links first (a talk's title), then its buttons (its star)
    if (item.matches(FOCUSABLE)) return [item];
    var all = [].slice.call(item.querySelectorAll(FOCUSABLE));
    return all.filter(function (el) { return el.tagName === "A"; })
      .concat(all.filter(function (el) { return el.tagName !== "A"; }));
  }

  /* `root`: where the groups are; `inItems`: a selector of the items' controls;
     `items`: every item, group by group; `groupOf(item)`: its group; `itemsOf(group)`: a
     group's items in order. */
  function rove(root, inItems, items, groupOf, itemsOf) {
    if (!items.length) return;
    var current = new Map();  // group -> its control in the tab order
    root.querySelectorAll(inItems).forEach(function (el) { el.tabIndex = -1; });
    items.forEach(function (item) {
      var group = groupOf(item);
      if (!current.has(group)) {
        var first = controls(item)[0];
        if (first) { first.tabIndex = 0; current.set(group, first); }
      }
    });
    function move(group, el) {
      if (!el) return;
      var before = current.get(group);
      if (before && before !== el) before.tabIndex = -1;
      current.set(group, el);
      el.tabIndex = 0;
      el.focus();
    }
    function place(target) {
      var item = target.closest(".talk, .grid-talk, .slot-index li");
      if (!item || !root.contains(item)) return null;
      var group = groupOf(item);
      return group ? { item: item, group: group } : null;
    }
    root.addEventListener("focusin", function (event) {  // a click, or a link's target
      var at = place(event.target);
      if (at && event.target.tabIndex === -1 && event.target.matches(FOCUSABLE)) move(at.group, event.target);
    });
    root.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var at = place(event.target);
      if (!at) return;
      var list = itemsOf(at.group), n = list.indexOf(at.item);
      var own = controls(at.item), index = own.indexOf(event.target), target;
      if (index === -1 || n === -1) return;
      switch (event.key) {
        case "ArrowDown": target = list[n + 1] && controls(list[n + 1])[0]; break;
        case "ArrowUp": target = list[n - 1] && controls(list[n - 1])[0]; break;
        case "ArrowRight": target = own[index + 1]; break;
        case "ArrowLeft": target = own[index - 1]; break;
        case "Home": target = controls(list[0])[0]; break;
        case "End": target = controls(list[list.length - 1])[0]; break;
        default: return;
      }
      event.preventDefault();
      move(at.group, target);
    });
  }

  function children(selector) {
    return function (group) { return [].slice.call(group.querySelectorAll(selector)); };
  }

  // Lists: each time slot (or day of a selection) is a group of talks.
  [".day-list", "#starred-list"].forEach(function (selector) {
    var root = document.querySelector(selector);
    if (!root) return;
    var items = [].slice.call(root.querySelectorAll(".slot article.talk, .day-group article.talk"));
    rove(root, "article.talk a[href], article.talk button", items,
      function (item) { return item.closest(".slot, .day-group"); }, children("article.talk"));
  });
  // The time index: one tab stop, arrows to the time wanted, Enter.
  document.querySelectorAll(".slot-index").forEach(function (index) {
    rove(index, "li a[href]", [].slice.call(index.querySelectorAll("li")),
      function () { return index; }, children("li"));
  });
  // The grid: each room's cards, in time order, are a group.
  var grid = document.querySelector(".grid");
  if (grid) {
    var rooms = new Map(), roomOf = new Map();
    grid.querySelectorAll(".grid-talk[data-state]").forEach(function (card) {
      var state = card.dataset.state.split("|"), room = state[1];
      if (!rooms.has(room)) rooms.set(room, []);
      rooms.get(room).push({ start: state[0], card: card });
      roomOf.set(card, room);
    });
    var ordered = new Map(), cards = [];
    rooms.forEach(function (entries, room) {
      entries.sort(function (a, b) { return a.start < b.start ? -1 : a.start > b.start ? 1 : 0; });
      ordered.set(room, entries.map(function (e) { return e.card; }));
      cards = cards.concat(ordered.get(room));
    });
    rove(grid, ".grid-talk a[href], .grid-talk button", cards,
      function (card) { return roomOf.get(card); }, function (room) { return ordered.get(room); });
  }
})();
