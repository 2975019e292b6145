/* Personal agenda sync (schedule.live). Once "Sync my stars" is pressed, this browser keeps
   the agenda's links ("agenda:<event>" in localStorage) and sends every star and unstar as
   a per-talk operation, so two devices never undo each other. Operations wait in
   `pending` while offline and go with the next page. Each page load also brings the
   stars here up to date with the server's list (at most once a minute): the stars are
   the server's list plus what is still pending. */
(function () {
  "use strict";
  if (!window.localStorage || !window.fetch) return;
  var body = document.body, pageEvent = body.dataset.event;
  if (!pageEvent) return;
  var PULL_EVERY = 60 * 1000;

  function key(event) { return "agenda:" + event; }
  function loadAgenda(event) {
    try { return JSON.parse(localStorage.getItem(key(event))); } catch (e) { return null; }
  }
  function saveAgenda(event, agenda) {
    if (agenda) localStorage.setItem(key(event), JSON.stringify(agenda));
    else localStorage.removeItem(key(event));
  }
  function loadStars(event) {
    try { return JSON.parse(localStorage.getItem("starred:" + event)) || []; } catch (e) { return []; }
  }
  function setStars(event, slugs) {
    localStorage.setItem("starred:" + event, JSON.stringify(slugs));
    document.dispatchEvent(new CustomEvent("stars:repaint", { detail: { event: event } }));
  }
  function notice(text) {
    var element = document.getElementById("agenda-device");
    if (!element) {
      element = document.createElement("p");
      element.className = "notice";
      element.setAttribute("role", "status");
      var heading = document.querySelector("main h1");
      if (!heading) return;
      heading.parentNode.insertBefore(element, heading.nextSibling);
    }
    element.textContent = text;
    element.hidden = false;
  }
  function send(url, method, data) {
    var options = { method: method, credentials: "omit", referrerPolicy: "no-referrer", cache: "no-cache" };
    if (data) {
      options.headers = { "Content-Type": "application/json" };
      options.body = JSON.stringify(data);
    }
    return fetch(url, options);
  }
  function fromServer(urls) {
    return { page: urls.page, json: urls.json, talks: urls.talks, ics: urls.ics, webcal: urls.webcal };
  }

  /* This device's stars = the server's list, with the operations not sent yet applied. */
  function reconcile(event, agenda, serverTalks) {
    var slugs = serverTalks.slice(), pending = agenda.pending || {};
    Object.keys(pending).forEach(function (slug) {
      var at = slugs.indexOf(slug);
      if (pending[slug] === "add" && at === -1) slugs.push(slug);
      if (pending[slug] === "remove" && at !== -1) slugs.splice(at, 1);
    });
    setStars(event, slugs);
  }
  function lost(event) {
    saveAgenda(event, null);
    notice("The agenda link this device used no longer works (it was changed or deleted). " +
      "Your stars stay in this browser; open the new link or sync again from the Starred page.");
  }
  function answered(event, sent) {
    return function (response) {
      if (response.status === 404) { lost(event); return null; }
      if (!response.ok) return null; // rate limited or down: the operations stay pending
      return response.json().then(function (data) {
        var agenda = loadAgenda(event);
        if (!agenda) return null;
        Object.keys(sent).forEach(function (slug) {
          if (agenda.pending && agenda.pending[slug] === sent[slug]) delete agenda.pending[slug];
        });
        agenda.pulled = Date.now();
        saveAgenda(event, agenda);
        reconcile(event, agenda, data.talks);
        return data;
      });
    };
  }
  function flush(event) {
    var agenda = loadAgenda(event);
    var pending = (agenda && agenda.pending) || {};
    var slugs = Object.keys(pending);
    if (!slugs.length) return Promise.resolve(null);
    var add = slugs.filter(function (s) { return pending[s] === "add"; });
    var remove = slugs.filter(function (s) { return pending[s] === "remove"; });
    return send(agenda.talks, "POST", { add: add, remove: remove })
      .then(function (response) {
        if (response.status === 400) { // a talk left the schedule: drop what was refused
          var now = loadAgenda(event);
          if (now) { now.pending = {}; saveAgenda(event, now); }
          return pull(event);
        }
        return answered(event, pending)(response);
      })
      .catch(function () { return null; });
  }
  function pull(event) {
    var agenda = loadAgenda(event);
    if (!agenda) return Promise.resolve(null);
    return send(agenda.json, "GET").then(answered(event, {})).catch(function () { return null; });
  }

  document.addEventListener("stars:changed", function (e) {
    var event = e.detail.event, agenda = loadAgenda(event);
    if (!agenda) return;
    agenda.pending = agenda.pending || {};
    e.detail.slugs.forEach(function (slug) { agenda.pending[slug] = e.detail.starred ? "add" : "remove"; });
    saveAgenda(event, agenda);
    flush(event);
  });

  /* The starred page: "Sync my stars" once, then a link to the agenda. */
  var sync = document.getElementById("agenda-sync");
  function showSynced(agenda) {
    var link = document.getElementById("agenda-open");
    link.href = agenda.page;
    var webcal = document.getElementById("agenda-webcal");
    if (webcal) webcal.href = agenda.webcal;
    document.getElementById("agenda-synced").hidden = false;
    document.getElementById("agenda-sync-button").hidden = true;
  }
  if (sync) {
    sync.hidden = false;
    var existing = loadAgenda(pageEvent);
    if (existing) showSynced(existing);
    document.getElementById("agenda-sync-button").addEventListener("click", function (e) {
      var button = e.currentTarget;
      button.disabled = true;
      send(sync.dataset.create, "POST", { talks: loadStars(pageEvent), creation: sync.dataset.creation })
        .then(function (response) {
          if (response.ok) return response.json();
          return response.text().then(function (text) {
            throw new Error(response.status === 429
              ? "Too many new agendas from this browser right now; try again later."
              : "The server refused to sync: " + text);
          });
        }, function () {
          throw new Error("Could not reach the server to sync your stars; try again in a moment.");
        })
        .then(function (data) {
          var agenda = fromServer(data.urls);
          agenda.pending = {};
          agenda.pulled = Date.now();
          saveAgenda(pageEvent, agenda);
          showSynced(agenda);
          if (data.skipped && data.skipped.length) {
            var mine = loadStars(pageEvent).filter(function (s) { return data.skipped.indexOf(s) === -1; });
            setStars(pageEvent, mine);
            notice(data.skipped.length + " starred talk" + (data.skipped.length === 1 ? " is" : "s are") +
              " no longer in the schedule and " + (data.skipped.length === 1 ? "was" : "were") + " left out.");
          }
        })
        .catch(function (error) {
          button.disabled = false;
          notice(error.message);
        });
    });
  }

  /* The agenda page: this device can join the agenda (its stars are merged in). */
  var adopt = document.getElementById("agenda-adopt");
  var here = body.dataset.agendaPage && {
    page: body.dataset.agendaPage, json: body.dataset.agendaJson, talks: body.dataset.agendaTalks,
    ics: body.dataset.agendaIcs, webcal: body.dataset.agendaWebcal
  };
  /* After "Change the link" the old (dead) token comes in the fragment: only the device
     that held it switches to the new link. */
  var rotatedFrom = /^#rotated=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (rotatedFrom) history.replaceState(null, "", location.pathname + location.search);
  if (adopt && here) {
    var current = loadAgenda(pageEvent);
    if (current && rotatedFrom && current.page.indexOf("/" + rotatedFrom[1] + "/") !== -1) {
      Object.assign(current, here);
      saveAgenda(pageEvent, current);
      current = loadAgenda(pageEvent);
    }
    if (rotatedFrom) {
      notice("This agenda has a new link; the old one no longer works. Open this one on your other devices.");
    }
    if (current && current.page === here.page) {
      if (!rotatedFrom) notice("This device uses this agenda: starring here changes it on every device.");
      /* Send what this device still holds, then show the list as the server has it. */
      flush(pageEvent).then(function (data) { if (data) location.reload(); });
    } else {
      adopt.hidden = false;
      adopt.addEventListener("click", function () {
        var mine = loadStars(pageEvent), agenda = Object.assign({ pending: {} }, here);
        var chosen = Array.prototype.map.call(
          document.querySelectorAll("#agenda-list [data-talk]"), function (t) { return t.dataset.talk; }
        );
        mine.forEach(function (slug) { if (chosen.indexOf(slug) === -1) agenda.pending[slug] = "add"; });
        saveAgenda(pageEvent, agenda);
        adopt.hidden = true;
        notice("This device now uses this agenda.");
        (Object.keys(agenda.pending).length ? flush(pageEvent) : pull(pageEvent)).then(function (data) {
          if (data && Object.keys(agenda.pending).length) location.reload();
        });
      });
    }
  }

  /* The page shown after a deletion: this browser forgets that agenda. */
  var deleted = body.dataset.agendaDeleted;
  if (deleted) {
    var held = loadAgenda(pageEvent);
    if (held && held.page.indexOf("/" + deleted + "/") !== -1) saveAgenda(pageEvent, null);
  }

  /* Any page of the event: send what is pending, then catch up with the other devices. */
  if (loadAgenda(pageEvent) && !(adopt && here)) {
    flush(pageEvent).then(function () {
      var agenda = loadAgenda(pageEvent);
      if (agenda && Date.now() - (agenda.pulled || 0) > PULL_EVERY) pull(pageEvent);
    });
  }
})();
