/*
 * The door page as an app that works offline. Without this script the page still works: the scan
 * field, the name search and the walk-in form are plain forms and every answer is a new page.
 *
 * With it (and IndexedDB, door-store.js; the matching rules in door-rules.js):
 *  - the device holds the attendee list for the door (what scanning and name search need: see
 *    checkin/doorlist.py) and every action goes into a queue on disk with an id made here, before
 *    the door shows its answer; the queue is sent at once and every few seconds (checkin/doorsync.py);
 *  - online, the door waits a moment for the server's answer (the same HTML the page renders
 *    without JavaScript); offline or without an answer in time, it answers from the list and says
 *    that the scan waits to be sent;
 *  - name search and the walk-in form work from the list too; undo takes back this device's own
 *    check-in; the counters follow the list;
 *  - a service worker (door-sw.js) keeps the page for an offline start; the line under the
 *    heading says whether the device is connected, how many scans wait and when it last synced;
 *  - phones get a camera scanner: the browser's BarcodeDetector where it has one, otherwise the
 *    vendored jsQR decoder (static/vendor/jsqr, loaded only when needed; no CDN).
 *
 * When the server says the login is gone (401), or the login's end has passed while offline, the
 * list and the kept page are removed from the device; waiting scans stay until the next login.
 * Every text comes from the page (data- attributes the template fills through gettext); this
 * file holds no words of its own.
 */
(function () {
  "use strict";

  var root = document.getElementById("door");
  var form = document.getElementById("scan-form");
  var Store = window.DoorStore;
  var Rules = window.DoorRules;
  if (!root || !form || !window.fetch || !window.Promise || !window.indexedDB || !Store || !Rules) {
    return; // the plain forms
  }
  var SYNC_EVERY_MS = 5000;
  var ANSWER_WAIT_MS = 3000;
  var SEARCH_LIMIT = 25;
  var config = root.dataset;

  var input = document.getElementById("scan-code");
  var answer = document.getElementById("door-answer");
  var counters = document.getElementById("door-counters");
  var searchForm = document.getElementById("search-form");
  var searchInput = document.getElementById("search-q");
  var found = document.getElementById("door-found");
  var walkInForm = document.getElementById("walk-in-form");
  var statusLine = document.getElementById("door-status");
  var linkState = document.getElementById("door-link");
  var queueState = document.getElementById("door-queue");
  var syncedState = document.getElementById("door-synced");
  var templates = document.getElementById("door-answers").content;

  var people = new Map();  // id → the server's record
  var queue = [];          // actions waiting for the server, in the device's order
  var view = new Map();    // the people as the door sees them: the records and what the queue does
  var find = { byCode: new Map(), byDoorCode: new Map() };
  var meta = {};
  var loaded = false;      // the list is on the device
  var connected = navigator.onLine;
  var stopped = false;
  var kept = false;
  var current = null;      // {scanId, person}: the answer on screen, for its undo button
  var waiting = new Map(); // scan_id → resolve: answers the door waits for
  var syncing = null;
  var again = false;

  // --- Words, times ----------------------------------------------------------------------------

  function fill(pattern, values) {
    return String(pattern || "").replace(/\{(\w+)\}/g, function (whole, key) {
      return values[key] !== undefined && values[key] !== null ? values[key] : whole;
    });
  }

  var clockParts = new Intl.DateTimeFormat("en-GB", { timeZone: config.timezone || undefined, hour: "2-digit",
                                                      minute: "2-digit", hourCycle: "h23" });

  function clock(ms) {
    var parts = {};
    clockParts.formatToParts(new Date(ms)).forEach(function (part) { parts[part.type] = part.value; });
    return config.clock.replace("%H", parts.hour).replace("%M", parts.minute);
  }

  function plural(count, one, many) {
    return fill(count === 1 ? one : many, { n: count });
  }

  // --- The list and what the queue does to it ---------------------------------------------------

  function isOnline() {
    return navigator.onLine && connected;
  }

  function rebuild() {
    view = new Map();
    people.forEach(function (person) { view.set(person.id, Object.assign({}, person)); });
    queue.forEach(function (action) {
      if (action.action === "walk-in" && action.shown === "checked_in") {
        view.set(action.person, placeholder(action));
      } else if (action.action === "checkin" && action.shown === "checked_in" && view.has(action.person)) {
        var person = view.get(action.person);
        if (!person.checked_in_at) {
          person.checked_in_at = action.at;
          person.checked_in_by = config.organiser;
        }
      } else if (action.action === "undo" && view.has(action.person)) {
        view.get(action.person).checked_in_at = null;
      }
    });
    find = { byCode: new Map(), byDoorCode: new Map() };
    view.forEach(function (person) {
      person.key = Rules.searchKey(person.name + " " + (person.organisation || ""));
      if (person.code) {
        find.byCode.set(person.code, person);
      }
      if (person.door_code) {
        find.byDoorCode.set(person.door_code, person);
      }
    });
    showCounters();
  }

  function placeholder(action) {
    var values = {};
    action.fields.forEach(function (pair) { values[pair[0]] = pair[1]; });
    return { id: action.person, name: values["walkin-name"] || "", organisation: values["walkin-organisation"] || "",
             status: "confirmed", note: values["walkin-accessibility"] || "", checked_in_at: action.at,
             checked_in_by: config.organiser, local: true };
  }

  function showCounters() {
    if (!loaded || !counters) {
      return;
    }
    var figures = { confirmed: 0, checked_in: 0, waiting: 0 };
    view.forEach(function (person) {
      if (person.status === "confirmed") {
        figures.confirmed += 1;
        figures.checked_in += person.checked_in_at ? 1 : 0;
      } else if (person.status === "waiting") {
        figures.waiting += 1;
      }
    });
    figures.expected = figures.confirmed - figures.checked_in;
    Object.keys(figures).forEach(function (key) {
      var element = counters.querySelector('[data-counter="' + key + '"]');
      if (element) {
        element.textContent = figures[key];
      }
    });
  }

  function reload() {
    return Promise.all([Store.people(), Store.queue(), Store.getMeta()]).then(function (stored) {
      people = new Map(stored[0].map(function (person) { return [person.id, person]; }));
      queue = stored[1];
      meta = stored[2];
      loaded = Boolean(meta.cursor);
      kept = kept || Boolean(meta.kept);
      rebuild();
      showStatus();
    });
  }

  // --- The line under the heading ----------------------------------------------------------------

  function showStatus() {
    if (stopped) {
      return;
    }
    statusLine.hidden = false;
    var online = isOnline();
    linkState.textContent = online ? root.getAttribute("data-connected") : root.getAttribute("data-disconnected");
    linkState.className = "door-link " + (online ? "is-online" : "is-offline");
    var count = queue.length;
    queueState.textContent = count ? plural(count, root.getAttribute("data-queue-one"), root.getAttribute("data-queue-many"))
      : root.getAttribute("data-queue-empty");
    queueState.className = "door-queue" + (count ? " has-queue" : "");
    var synced = meta.synced_at ? fill(root.getAttribute("data-synced"), { time: clock(meta.synced_at) })
      : root.getAttribute("data-never-synced");
    syncedState.textContent = synced + (kept ? " · " + root.getAttribute("data-ready-offline") : "");
  }

  // --- Answers --------------------------------------------------------------------------------

  function feedback(state) {
    if (navigator.vibrate) {
      navigator.vibrate(state === "checked_in" ? 120 : [120, 80, 120, 80, 400]);
    }
  }

  function setSlot(node, name, value) {
    var slot = node.querySelector('[data-slot="' + name + '"]');
    if (!slot) {
      return;
    }
    var pattern = slot.dataset.text;
    slot.textContent = pattern ? fill(pattern, value || {}) : (value || "");
    slot.hidden = !value;
  }

  function showLocal(state, person, pending) {
    var template = templates.querySelector('[data-state="' + state + '"]') ||
      templates.querySelector('[data-state="unknown"]');
    var node = template.cloneNode(true);
    setSlot(node, "name", person && person.name);
    setSlot(node, "organisation", person && person.organisation);
    setSlot(node, "note", person && person.note ? { note: person.note } : null);
    setSlot(node, "detail", person && person.checked_in_at ? {
      time: clock(person.checked_in_at), who: person.checked_in_by || root.getAttribute("data-unknown-who")
    } : null);
    var pendingSlot = node.querySelector('[data-slot="pending"]');
    if (pendingSlot) {
      pendingSlot.hidden = !pending;
    }
    answer.replaceChildren(node);
  }

  function showMessage(state, text) {
    var node = templates.querySelector('[data-state="' + state + '"]').cloneNode(true);
    setSlot(node, "detail", text);
    answer.replaceChildren(node);
  }

  function localState(person) {
    if (person.status === "cancelled") {
      return "cancelled";
    }
    if (person.status === "waiting") {
      return "waiting";
    }
    return person.checked_in_at ? "already" : "checked_in";
  }

  // --- Acting: queue first, then the server's answer or the device's own -----------------------

  function awaitAnswer(scanId) {
    return new Promise(function (resolve) {
      var timer = window.setTimeout(function () {
        waiting.delete(scanId);
        resolve(null);
      }, ANSWER_WAIT_MS);
      waiting.set(scanId, function (result) {
        window.clearTimeout(timer);
        waiting.delete(scanId);
        resolve(result);
      });
      syncNow();
    });
  }

  function onResults(results) {
    results.forEach(function (result) {
      if (waiting.has(result.scan_id)) {
        waiting.get(result.scan_id)(result);
      }
      if (result.state === "checked_in" && !result.replayed && result.person) {
        announceCheckIn(result);
      }
    });
  }

  /*
   * Tell plugins' scripts (the door_scripts hook) that the server recorded a check-in made on this
   * device: online at once, or when a queued one is sent. A repeated send is not announced again.
   */
  function announceCheckIn(result) {
    document.dispatchEvent(new CustomEvent("fk:door-checked-in", {
      detail: { registration_id: result.person.id, scan_id: result.scan_id }
    }));
  }

  /*
   * Queue `action` (on disk before anything is shown), then answer: the server's answer when the
   * device is online and it comes in time, else `local` ({state, person}) from the list.
   */
  function act(action, local) {
    action.scan_id = action.scan_id || Store.newId();
    action.at = Date.now();
    action.shown = isOnline() ? "" : local.state;
    return Store.enqueue(action).then(function () {
      queue.push(action);
      if (action.shown) {
        rebuild();
        showStatus();
        syncNow();
        return { local: true };
      }
      return awaitAnswer(action.scan_id).then(function (result) {
        if (result) {
          return { result: result };
        }
        action.shown = local.state; // no answer in time: the door answers from its list
        rebuild();
        showStatus();
        return Store.updateQueued(action.scan_id, { shown: local.state }).then(function () { return { local: true }; });
      });
    });
  }

  function show(action, local, outcome) {
    var result = outcome.result;
    current = { scanId: action.scan_id, person: result && result.person ? result.person.id : local.person && local.person.id };
    if (!result) {
      var person = local.person && view.get(local.person.id) || local.person;
      showLocal(local.state, person, true);
      feedback(local.state);
      return;
    }
    if (result.html) {
      answer.innerHTML = result.html;
    } else {
      showLocal(result.state, result.person, false);
    }
    feedback(result.state);
  }

  function scan(text) {
    var local = Rules.identify(text, find);
    var state = local.state || localState(local.person);
    var action = { action: "checkin", method: "scan", text: text, person: local.person ? local.person.id : null };
    return act(action, { state: state, person: local.person }).then(function (outcome) {
      show(action, { state: state, person: local.person }, outcome);
      input.value = "";
      input.focus();
    }, function () {
      input.value = text; // the device could not store it: the plain form sends it to the server
      form.submit();
    });
  }

  function checkInPerson(id) {
    var person = view.get(id);
    if (!person) {
      return false;
    }
    var action = { action: "checkin", method: "search", registration_id: id, person: id };
    var local = { state: localState(person), person: person };
    act(action, local).then(function (outcome) {
      show(action, local, outcome);
      if (searchInput.value.trim()) {
        search(searchInput.value);
      }
      answer.scrollIntoView({ block: "nearest" });
    });
    return true;
  }

  function undo() {
    if (!current) {
      return false;
    }
    var person = view.get(current.person);
    var action = { action: "undo", undoes: current.scanId, person: current.person };
    action.scan_id = Store.newId();
    action.at = Date.now();
    action.shown = "";
    current = null;
    Store.enqueue(action).then(function () {
      queue.push(action);
      rebuild();
      showStatus();
      showMessage("undone", fill(root.getAttribute("data-undone"), { name: person ? person.name : "" }));
      syncNow();
      input.focus();
    });
    return true;
  }

  // --- Name search from the list -----------------------------------------------------------------

  var ORDER = { confirmed: 0, waiting: 1, cancelled: 2 };

  function statusText(person) {
    if (person.checked_in_at) {
      return fill(root.getAttribute("data-status-checked-in"), { time: clock(person.checked_in_at) });
    }
    return root.getAttribute({ confirmed: "data-status-confirmed", waiting: "data-status-waiting" }[person.status] ||
                             "data-status-cancelled");
  }

  function search(query) {
    var key = Rules.searchKey(query).trim();
    found.replaceChildren();
    if (!key) {
      return;
    }
    var hits = [];
    view.forEach(function (person) {
      if (Rules.matches(person.key, query)) {
        hits.push(person);
      }
    });
    hits.sort(function (a, b) {
      return (ORDER[a.status] - ORDER[b.status]) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    });
    hits = hits.slice(0, SEARCH_LIMIT);
    if (!hits.length) {
      var none = document.createElement("p");
      none.textContent = fill(root.getAttribute("data-found-none"), { query: query.trim() });
      found.appendChild(none);
      return;
    }
    var table = document.getElementById("door-found-table").content.firstElementChild.cloneNode(true);
    table.querySelector("caption").textContent = fill(
      hits.length === 1 ? root.getAttribute("data-found-one") : root.getAttribute("data-found-many"),
      { n: hits.length, query: query.trim() });
    var rowTemplate = document.getElementById("door-found-row").content.firstElementChild;
    hits.forEach(function (person) {
      var row = rowTemplate.cloneNode(true);
      row.querySelector('[data-slot="name"]').textContent = person.name;
      row.querySelector('[data-slot="organisation"]').textContent = person.organisation || "";
      row.querySelector('[data-slot="status"]').textContent = statusText(person);
      var button = row.querySelector('[data-slot="check-in"]');
      var link = row.querySelector('[data-slot="open"]');
      if (person.status === "confirmed" && !person.checked_in_at) {
        button.querySelector('[data-slot="check-in-name"]').textContent = " " + person.name;
        button.dataset.person = person.id;
        link.remove();
      } else {
        button.remove();
        if (person.local) {
          link.remove();
        } else {
          link.href = config.attendeeUrl.replace("2147483647", person.id);
          link.querySelector('[data-slot="open-name"]').textContent = " " + person.name;
        }
      }
      table.tBodies[0].appendChild(row);
    });
    found.appendChild(table);
  }

  // --- Walk-in ------------------------------------------------------------------------------------

  function clearErrors() {
    Array.prototype.forEach.call(walkInForm.querySelectorAll(".error[data-local]"), function (line) { line.remove(); });
    Array.prototype.forEach.call(walkInForm.querySelectorAll("[aria-invalid=true]"), function (field) {
      field.setAttribute("aria-invalid", "false");
      field.closest(".field").classList.remove("has-error");
    });
  }

  function showErrors(errors) {
    clearErrors();
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var field = document.getElementById("walkin-" + name);
      if (!field) {
        return;
      }
      var line = document.createElement("p");
      line.className = "error";
      line.id = field.id + "-error";
      line.setAttribute("data-local", "yes");
      line.textContent = errors[name].join(" ");
      var box = field.closest(".field") || field.parentNode;
      box.classList.add("has-error");
      box.appendChild(line);
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", line.id);
      first = first || field;
    });
    if (first) {
      first.focus();
    }
    return Boolean(first);
  }

  function checkWalkIn() {
    var errors = {};
    var name = document.getElementById("walkin-name");
    var email = document.getElementById("walkin-email");
    var consent = document.getElementById("walkin-consent");
    if (name && !name.value.trim()) {
      errors.name = [root.getAttribute("data-required")];
    }
    if (email && email.value.trim() && email.validity && email.validity.typeMismatch) {
      errors.email = [root.getAttribute("data-bad-email")];
    }
    if (consent && !consent.checked) {
      errors.consent = [root.getAttribute("data-consent-required")];
    }
    return errors;
  }

  function walkIn() {
    if (showErrors(checkWalkIn())) {
      return;
    }
    var fields = [];
    new FormData(walkInForm).forEach(function (value, name) {
      if (name !== "csrf_token") {
        fields.push([name, String(value)]);
      }
    });
    var action = { action: "walk-in", fields: fields, scan_id: Store.newId() };
    action.person = "w:" + action.scan_id;
    var local = { state: "checked_in", person: placeholder(Object.assign({ at: Date.now() }, action)) };
    act(action, local).then(function (outcome) {
      if (outcome.result && outcome.result.errors && outcome.result.state === "invalid") {
        showErrors(outcome.result.errors);
        return;
      }
      clearErrors();
      walkInForm.reset();
      document.getElementById("walk-in-details").open = false;
      show(action, local, outcome);
      answer.scrollIntoView({ block: "nearest" });
    });
  }

  // --- Sync ---------------------------------------------------------------------------------------

  function deviceInfo() {
    return { id: meta.device_id, name: meta.device_name || "" };
  }

  function token() {
    return meta.token || form.querySelector("input[name=csrf_token]").value;
  }

  function getList(full) {
    var url = config.peopleUrl + (meta.cursor && !full ? "?since=" + encodeURIComponent(meta.cursor) : "");
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) {
          return null;
        }
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      });
  }

  function refreshToken() {
    return getList(true).then(function (data) {
      if (data) {
        meta.token = data.csrf_token;
      }
    });
  }

  function pull(full) {
    return getList(full).then(function (data) {
      if (!data) {
        return loggedOut();
      }
      if (!data.full && String(data.event) !== String(meta.event)) {
        return pull(true); // another event became the current one
      }
      var now = Date.now();
      return Store.storeList(data).then(function () {
        return Store.setMeta({ cursor: data.cursor, synced_at: now, token: data.csrf_token, event: data.event,
                               session_ends_at: data.session_ends_at ? data.session_ends_at - data.server_now + now : null });
      }).then(reload).then(function () {
        var checkedIn = 0;
        people.forEach(function (person) { checkedIn += person.checked_in_at ? 1 : 0; });
        if (!data.full && (people.size !== data.counts.people || checkedIn !== data.counts.checked_in)) {
          return pull(true); // a deletion the changes cannot carry: take the whole list
        }
        Store.markInUse();
        keepForOffline();
        return null;
      });
    });
  }

  function syncNow() {
    if (stopped) {
      return Promise.resolve();
    }
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = Store.send({ syncUrl: config.syncUrl, device: deviceInfo(), token: token, refreshToken: refreshToken,
                           onResults: onResults })
      .then(function (outcome) {
        if (outcome.status === "logged-out") {
          return loggedOut();
        }
        connected = outcome.status !== "offline";
        return reload().then(function () { return connected ? pull(false) : null; });
      })
      .catch(function () { connected = false; })
      .then(function () {
        syncing = null;
        if (!connected) {
          waiting.forEach(function (resolve) { resolve(null); }); // no answer is coming: the door answers
        }
        showStatus();
        if (again && !stopped) {
          again = false;
          return syncNow();
        }
        return null;
      });
    return syncing;
  }

  function tick() {
    if (meta.session_ends_at && Date.now() > meta.session_ends_at) {
      loggedOut(); // the login has ended by now, network or not: the list goes
      return;
    }
    syncNow();
  }

  // --- Offline start: the service worker keeps the page ------------------------------------------

  function files() {
    var urls = [];
    Array.prototype.forEach.call(document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon]"),
      function (element) { urls.push(element.src || element.href); });
    var jsqr = document.querySelector("script[data-jsqr]");
    if (jsqr) {
      urls.push(new URL(jsqr.getAttribute("data-jsqr"), location.href).href);
    }
    return urls;
  }

  function registerWorker() {
    if (!navigator.serviceWorker || !window.isSecureContext) {
      return Promise.resolve(null);
    }
    return navigator.serviceWorker.register(config.swUrl, { scope: config.scope }).catch(function () { return null; });
  }

  function keepForOffline() {
    if (kept || !navigator.serviceWorker || !window.isSecureContext) {
      return;
    }
    navigator.serviceWorker.ready.then(function (registration) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        kept = Boolean(event.data && event.data.kept);
        root.setAttribute("data-kept", kept ? "yes" : "no");
        Store.setMeta({ kept: kept });
        showStatus();
      };
      registration.active.postMessage({ type: "keep", files: files() }, [channel.port2]);
    });
  }

  // --- Logged out ----------------------------------------------------------------------------------

  function loggedOut(elsewhere) {
    if (stopped) {
      return Promise.resolve();
    }
    stopped = true;
    people = new Map();
    view = new Map();
    find = { byCode: new Map(), byDoorCode: new Map() };
    found.replaceChildren();
    var wiped = elsewhere ? Promise.resolve([]) : Store.wipeList().then(Store.queue);
    return wiped.then(function (left) {
      var box = document.createElement("div");
      box.className = "door-result door-unknown door-logged-out";
      box.setAttribute("role", "alert");
      var line = document.createElement("p");
      line.className = "door-detail";
      line.textContent = root.getAttribute("data-logged-out") + (left.length
        ? " " + fill(root.getAttribute("data-logged-out-queue"), { n: left.length }) : "");
      var link = document.createElement("a");
      link.href = config.loginUrl;
      link.className = "button";
      link.textContent = root.getAttribute("data-log-in");
      box.append(line, link);
      answer.replaceChildren(box);
      statusLine.hidden = true;
      root.classList.add("is-logged-out");
    });
  }

  // --- Wiring ---------------------------------------------------------------------------------------

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value.trim();
    if (code && !stopped) {
      scan(code);
    } else {
      input.focus();
    }
  });

  searchForm.addEventListener("submit", function (event) {
    if (!loaded) {
      return; // no list yet: the server searches
    }
    event.preventDefault();
    search(searchInput.value);
  });

  document.addEventListener("submit", function (event) {
    var target = event.target;
    if (target.classList.contains("door-undo") && answer.contains(target) && !stopped) {
      if (undo()) {
        event.preventDefault();
      }
    } else if (target.hasAttribute("data-registration") && !stopped) {
      if (checkInPerson(Number(target.dataset.registration))) {
        event.preventDefault();
      }
    }
  });

  found.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-person]");
    if (button && !stopped) {
      checkInPerson(Number(button.dataset.person));
    }
  });

  if (walkInForm) {
    walkInForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!stopped) {
        walkIn();
      }
    });
  }

  document.getElementById("device-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var name = document.getElementById("device-name").value.trim().slice(0, 100);
    meta.device_name = name;
    Store.setMeta({ device_name: name }).then(showDevice);
  });

  function showDevice() {
    var label = meta.device_name || fill(root.getAttribute("data-device-default"),
                                         { id: String(meta.device_id).slice(0, 4).toUpperCase() });
    document.getElementById("device-label").textContent = label;
    document.getElementById("device-name").value = meta.device_name || "";
    document.getElementById("door-device").hidden = false;
  }

  window.addEventListener("online", function () { connected = true; syncNow(); });
  window.addEventListener("offline", function () { connected = false; showStatus(); });
  window.addEventListener("door-store-closed", function () { loggedOut(true); });
  if (window.BroadcastChannel) {
    new BroadcastChannel(Store.name).onmessage = function (event) {
      if (event.data && event.data.type === "logged-out") {
        loggedOut(true);
      }
    };
  }

  registerWorker();
  Store.getMeta().then(function (stored) {
    if (stored.device_id) {
      return stored;
    }
    return Store.setMeta({ device_id: Store.newId() }).then(Store.getMeta);
  }).then(function (stored) {
    meta = stored;
    showDevice();
    return reload();
  }).then(function () {
    if (meta.session_ends_at && Date.now() > meta.session_ends_at) {
      return loggedOut();
    }
    syncNow();
    window.setInterval(tick, SYNC_EVERY_MS);
    return null;
  });

  // --- Camera -----------------------------------------------------------------------------------
  var camera = document.getElementById("camera");
  var toggle = document.getElementById("camera-toggle");
  var video = document.getElementById("camera-video");
  var cameraStatus = document.getElementById("camera-status");
  var jsqrScript = document.querySelector("script[data-jsqr]");
  var jsqrUrl = jsqrScript ? jsqrScript.getAttribute("data-jsqr") : null;
  if (!camera || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.isSecureContext) {
    return; // cameras need https (or localhost); the scan field still works
  }
  camera.hidden = false;
  var stream = null;
  var canvas = document.createElement("canvas");
  var lastCode = "";
  var lastAt = 0;
  var detect = null;
  var busy = false;

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) {
        resolve(window.jsQR);
        return;
      }
      var tag = document.createElement("script");
      tag.src = jsqrUrl;
      tag.onload = function () { resolve(window.jsQR); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function chooseDetector() {
    if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf("qr_code") === -1) {
          throw new Error("no qr_code");
        }
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function () {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        };
      }).catch(jsqrDetector);
    }
    return jsqrDetector();
  }

  function jsqrDetector() {
    return loadJsQR().then(function (decode) {
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        if (!video.videoWidth) {
          return Promise.resolve(null);
        }
        var scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var decoded = decode(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(decoded ? decoded.data : null);
      };
    });
  }

  function tickCamera() {
    if (!stream) {
      return;
    }
    detect().then(function (text) {
      var now = Date.now();
      // The same code stays in front of the camera for a while: answer it once.
      if (text && !busy && !stopped && (text !== lastCode || now - lastAt > 4000)) {
        lastCode = text;
        lastAt = now;
        busy = true;
        return scan(text).then(function () { busy = false; }, function () { busy = false; });
      }
      return null;
    }).catch(function () { /* an unreadable frame */ }).then(function () {
      window.setTimeout(tickCamera, 200);
    });
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.hidden = true;
    toggle.replaceChildren.apply(toggle, toggle.startContent);
    cameraStatus.textContent = "";
  }

  toggle.startContent = Array.prototype.slice.call(toggle.childNodes);
  toggle.addEventListener("click", function () {
    if (stream) {
      stop();
      return;
    }
    cameraStatus.textContent = "…";
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        return video.play();
      })
      .then(chooseDetector)
      .then(function (detector) {
        detect = detector;
        toggle.textContent = camera.getAttribute("data-stop");
        cameraStatus.textContent = camera.getAttribute("data-ready") || "";
        tickCamera();
      })
      .catch(function () {
        stop();
        cameraStatus.textContent = camera.getAttribute("data-denied");
      });
  });
})();
