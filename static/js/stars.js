/* Starring without an account: slugs per event in localStorage ("starred:<event>").
   An enhancement only: without JavaScript the star buttons stay hidden and every page
   still works. Also drives the starred page: your own list is fetched from the stars in
   this browser on every visit, so a talk unstarred there stays gone after a reload; a
   shared ?talks= link is someone else's selection and never changes your stars unless
   you press "Add these to my stars". */
(function () {
  "use strict";
  // Calendar URL boxes select their text on focus (no inline handlers: the CSP forbids them).
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
  if (!window.localStorage) return;
  document.documentElement.classList.add("js");
  var pageEvent = document.body.dataset.event;

  function key(event) { return "starred:" + event; }
  function load(event) {
    try { return JSON.parse(localStorage.getItem(key(event))) || []; } catch (e) { return []; }
  }
  function save(event, slugs) { localStorage.setItem(key(event), JSON.stringify(slugs)); }

  function paint(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "★" : "☆";
    var title = button.getAttribute("aria-label").replace(/^(Star|Unstar) /, "");
    button.setAttribute("aria-label", (on ? "Unstar " : "Star ") + title);
  }

  function eventOf(button) { return button.dataset.event || pageEvent; }

  /* "Moved since your last visit": the time, room and status each starred talk had when
     this browser last showed it ("seen:<event>"), compared with what the page says now. */
  function seenKey(event) { return "seen:" + event; }
  function loadSeen(event) {
    try { return JSON.parse(localStorage.getItem(seenKey(event))) || {}; } catch (e) { return {}; }
  }
  function remember(event, slug, state) {
    if (!state) return;
    var seen = loadSeen(event);
    seen[slug] = state;
    localStorage.setItem(seenKey(event), JSON.stringify(seen));
  }

  function noteChanges(root) {
    if (!pageEvent) return;
    var starred = load(pageEvent), seen = loadSeen(pageEvent), moved = 0, cancelled = 0;
    if (!starred.length) return;
    var done = {};
    root.querySelectorAll("[data-talk][data-state]").forEach(function (talk) {
      var slug = talk.dataset.talk, state = talk.dataset.state;
      if (starred.indexOf(slug) === -1) return;
      var before = seen[slug];
      if (before && before !== state && !done[slug]) {
        var nowCancelled = /\|cancelled$/.test(state) && !/\|cancelled$/.test(before);
        if (nowCancelled) cancelled++; else moved++;
        var badge = document.createElement("span");
        badge.className = "badge changed-badge";
        badge.textContent = nowCancelled ? "Cancelled since your last visit" : "Moved since your last visit";
        var title = talk.querySelector(".talk-title, .grid-title");
        if (title) title.appendChild(badge);
      }
      done[slug] = true;
      seen[slug] = state;
    });
    localStorage.setItem(seenKey(pageEvent), JSON.stringify(seen));
    if (!moved && !cancelled) return;
    var parts = [];
    if (moved) parts.push(moved + " of your talks moved");
    if (cancelled) parts.push(cancelled + (cancelled === 1 ? " was" : " were") + " cancelled");
    var notice = document.createElement("p");
    notice.className = "notice changes-notice";
    notice.setAttribute("role", "status");
    notice.textContent = parts.join(", ") + " since your last visit.";
    var heading = document.querySelector("main h1");
    if (heading) heading.parentNode.insertBefore(notice, heading.nextSibling);
  }

  /* Buttons start as "☆ Star"; only starred ones are repainted (a day list has 470). */
  function wire(root) {
    var starredBy = {};
    root.querySelectorAll("button[data-star]").forEach(function (button) {
      var event = eventOf(button);
      if (!event) return;
      if (button.hidden) button.hidden = false;
      if (!starredBy[event]) starredBy[event] = load(event);
      if (starredBy[event].indexOf(button.dataset.star) !== -1) paint(button, true);
    });
  }

  function toggle(button) {
    var event = eventOf(button);
    if (!event) return;
    var slugs = load(event), slug = button.dataset.star, at = slugs.indexOf(slug);
    if (at === -1) slugs.push(slug); else slugs.splice(at, 1);
    save(event, slugs);
    var holder = button.closest("[data-state]");
    if (at === -1 && holder) remember(event, slug, holder.dataset.state);
    document.querySelectorAll('button[data-star="' + slug + '"]').forEach(function (b) {
      if (eventOf(b) === event) paint(b, at === -1);
    });
    if (own && at !== -1) dropFromOwnList(slug);
    if (own) updateOwnLinks();
    changed(event, [slug], at === -1);
  }

  /* Tells agenda.js (server sync) which stars changed. */
  function changed(event, slugs, starred) {
    document.dispatchEvent(new CustomEvent("stars:changed", {
      detail: { event: event, slugs: slugs, starred: starred }
    }));
  }

  /* agenda.js replaced this browser's stars with the synced list: repaint every button. */
  document.addEventListener("stars:repaint", function (e) {
    var mine = load(e.detail.event);
    document.querySelectorAll("button[data-star]").forEach(function (b) {
      if (eventOf(b) === e.detail.event) paint(b, mine.indexOf(b.dataset.star) !== -1);
    });
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button[data-star]");
    if (button) toggle(button);
  });

  var list = document.getElementById("starred-list");
  var own = list && list.dataset.own === "true";

  function starredUrl(slugs) {
    return location.pathname + "?talks=" + encodeURIComponent(slugs.join(","));
  }

  function updateOwnLinks() {
    var slugs = load(pageEvent), share = document.getElementById("share-stars");
    if (share) {
      share.href = starredUrl(slugs);
      share.parentNode.hidden = !slugs.length;
    }
  }

  function dropFromOwnList(slug) {
    list.querySelectorAll('[data-talk="' + slug + '"]').forEach(function (article) {
      var group = article.parentNode;
      article.remove();
      if (group && group.classList.contains("day-group") && !group.querySelector("[data-talk]")) group.remove();
    });
    if (!list.querySelector("[data-talk]")) {
      list.innerHTML = '<p class="empty">No starred talks any more.</p>';
    }
  }

  function fillOwnList() {
    var slugs = load(pageEvent);
    updateOwnLinks();
    if (!slugs.length) return;
    list.setAttribute("aria-busy", "true");
    fetch(starredUrl(slugs), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fetched = page.getElementById("starred-list");
        if (!fetched) return;
        list.innerHTML = fetched.innerHTML;
        var notice = page.querySelector(".notice");
        if (notice) list.insertBefore(notice, list.firstChild);
        wire(list);
        noteChanges(list);
      })
      .finally(function () { list.removeAttribute("aria-busy"); });
  }

  wire(document);
  if (own) fillOwnList(); else if (!document.getElementById("adopt-stars")) noteChanges(document);

  var adopt = document.getElementById("adopt-stars");
  if (adopt && pageEvent) {
    adopt.hidden = false;
    adopt.addEventListener("click", function () {
      var mine = load(pageEvent), added = [];
      adopt.dataset.talks.split(",").forEach(function (slug) {
        if (slug && mine.indexOf(slug) === -1) { mine.push(slug); added.push(slug); }
      });
      save(pageEvent, mine);
      if (added.length) changed(pageEvent, added, true);
      document.querySelectorAll("button[data-star]").forEach(function (b) {
        if (eventOf(b) === pageEvent) paint(b, mine.indexOf(b.dataset.star) !== -1);
      });
      adopt.textContent = "Added to your stars";
      adopt.disabled = true;
    });
  }
})();
