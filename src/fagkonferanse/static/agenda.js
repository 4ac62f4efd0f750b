/* "Mitt program": stars on the programme, the starred items on /programme/mine, and keeping them
 * on the ticket so they follow the attendee to another device.
 *
 * The stars are kept in this browser (localStorage "fagkonferanse.agenda"):
 *   {stars: [item ids], base: [ids] | null, key: string | null, expired: bool}
 * `key` is the sync key the ticket page hands out (registration/agenda.py; not the ticket's
 * secret) and `base` the list this browser and the ticket last agreed on, so a star or an
 * un-star made here reaches the ticket, and one made on another device comes back.
 *
 * - [data-star] buttons (hidden in the HTML) are shown; aria-pressed carries the state.
 * - A starred item that overlaps another starred one says so in its [data-overlap-note].
 * - On "Mitt program" ([data-agenda-mine]) the items not starred are hidden and their times set
 *   aside, so live.js gives "Nå" and "Neste" to starred items only; an empty state shows.
 * - On the ticket page ([data-agenda-ticket]) this browser and the ticket sync both ways.
 * After live.js swaps in a changed programme ("live:changed") everything is applied again.
 * All words come from the page.
 */
(function () {
  "use strict";
  var STORE = "fagkonferanse.agenda";
  var page = document.querySelector("[data-agenda]");
  var ticket = document.querySelector("[data-agenda-ticket]");
  var memory = null;       // when localStorage cannot be used (a locked-down browser): this page only
  var unstarredHere = {};  // on "Mitt program": items un-starred by a tap stay until the page changes
  var syncing = false, syncAgain = false;
  if (!page && !ticket) { return; }

  function cleanIds(list) {
    var seen = {};
    return (Array.isArray(list) ? list : []).filter(function (value) {
      var fresh = typeof value === "number" && value > 0 && value % 1 === 0 && !seen[value];
      seen[value] = true;
      return fresh;
    }).sort(function (a, b) { return a - b; });
  }

  function sameIds(a, b) {
    return a.length === b.length && a.every(function (value, index) { return value === b[index]; });
  }

  function read() {
    var state = memory;
    try { state = JSON.parse(window.localStorage.getItem(STORE) || "null") || memory; } catch (error) { /* memory */ }
    state = state || {};
    return {stars: cleanIds(state.stars), base: Array.isArray(state.base) ? cleanIds(state.base) : null,
            key: typeof state.key === "string" ? state.key : null, expired: state.expired === true};
  }

  function write(state) {
    memory = state;
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (error) { /* memory only */ }
  }

  function post(url, body, csrf) {
    var headers = {"Content-Type": "application/json", "Accept": "application/json"};
    if (csrf) { headers["X-CSRFToken"] = csrf; }
    // The ticket page sends no Referer to other sites; its own site may see it (CSRF on https).
    return fetch(url, {method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin",
                       cache: "no-store", referrerPolicy: "same-origin"});
  }

  function itemId(element) { return Number(element.id.replace("item-", "")); }

  function times(item) {
    return {start: item.getAttribute("data-start") || item.getAttribute("data-agenda-start"),
            end: item.getAttribute("data-end") || item.getAttribute("data-agenda-end")};
  }

  /* As programme/rules.py overlaps(): half-open intervals; an item without an end is a moment. */
  function overlaps(a, b) {
    if (!a.end && !b.end) { return a.start === b.start; }
    if (!a.end) { return b.start <= a.start && a.start < b.end; }
    if (!b.end) { return a.start <= b.start && b.start < a.end; }
    return a.start < b.end && b.start < a.end;
  }

  function setText(element, text) {
    if (element.textContent !== text) { element.textContent = text; }
  }

  function markOverlaps(starred) {
    var template = page.getAttribute("data-overlap-text") || "{title}";
    var held = [];
    document.querySelectorAll(".programme-item").forEach(function (item) {
      var note = item.querySelector("[data-overlap-note]");
      if (!note) { return; }
      if (starred[itemId(item)] && !item.hasAttribute("data-cancelled")) {
        var link = item.querySelector(".item-title a");
        held.push({note: note, when: times(item), title: link ? link.textContent.trim() : ""});
      } else {
        setText(note, "");
      }
    });
    held.forEach(function (one) {
      var notes = held.filter(function (other) { return other !== one && overlaps(one.when, other.when); })
        .map(function (other) { return template.replace("{title}", other.title); });
      setText(one.note, notes.join(" "));
    });
  }

  function moveAttribute(element, from, to) {
    if (element.hasAttribute(from)) {
      element.setAttribute(to, element.getAttribute(from));
      element.removeAttribute(from);
    }
  }

  function keepStarred(list, starred) {
    var kept = 0;
    list.querySelectorAll(".programme-item").forEach(function (item) {
      var id = itemId(item), keep = !!(starred[id] || unstarredHere[id]);
      item.hidden = !keep;
      if (keep) {
        kept += 1;
        moveAttribute(item, "data-agenda-start", "data-start");
        moveAttribute(item, "data-agenda-end", "data-end");
      } else {
        moveAttribute(item, "data-start", "data-agenda-start");
        moveAttribute(item, "data-end", "data-agenda-end");
      }
    });
    document.querySelectorAll("[data-agenda-empty]").forEach(function (empty) { empty.hidden = kept > 0; });
  }

  function showTicketState(state) {
    var shown = !state.key ? (state.expired ? "expired" : "unlinked")
      : (state.base && sameIds(state.stars, state.base) ? "saved" : "unsaved");
    document.querySelectorAll("[data-agenda-state]").forEach(function (element) {
      element.hidden = element.getAttribute("data-agenda-state") !== shown;
    });
  }

  function apply() {
    var state = read(), starred = {};
    state.stars.forEach(function (id) { starred[id] = true; });
    document.querySelectorAll("[data-star]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", starred[button.getAttribute("data-star")] ? "true" : "false");
    });
    document.querySelectorAll("[data-agenda-only]").forEach(function (element) { element.hidden = false; });
    document.querySelectorAll("[data-agenda-noscript]").forEach(function (element) { element.hidden = true; });
    var mine = document.querySelector("[data-agenda-mine]");
    if (mine) { keepStarred(mine, starred); }
    document.querySelectorAll("[data-agenda-feeds]").forEach(function (list) {
      list.hidden = state.stars.length === 0;
      list.querySelectorAll("[data-agenda-feed]").forEach(function (link) {
        link.href = link.getAttribute("data-agenda-feed") + "?items=" + state.stars.join(",");
      });
    });
    showTicketState(state);
    markOverlaps(starred);
  }

  /* Send this browser's stars to the ticket it is linked to, and take back the merged list. */
  function sync() {
    var sent = read();
    if (!sent.key) { return; }
    if (syncing) { syncAgain = true; return; }
    syncing = true;
    post(page.getAttribute("data-sync-url"), {key: sent.key, items: sent.stars, base: sent.base})
      .then(function (response) {
        if (response.status === 410) {  // the ticket's link was replaced: this browser is no longer linked
          var now = read();
          write({stars: now.stars, base: null, key: null, expired: true});
          return;
        }
        if (!response.ok) { throw new Error("sync " + response.status); }
        return response.json().then(function (answer) {
          var now = read();
          if (!sameIds(now.stars, sent.stars)) { syncAgain = true; return; }  // starred meanwhile: once more
          var merged = cleanIds(answer.items);
          write({stars: merged, base: merged, key: now.key, expired: false});
        });
      })
      .catch(function () { /* kept as unsaved; "Lagre på billetten" or the next change tries again */ })
      .then(function () {
        syncing = false;
        apply();
        if (syncAgain) { syncAgain = false; sync(); }
      });
  }

  function toggle(button) {
    var state = read(), id = Number(button.getAttribute("data-star"));
    var at = state.stars.indexOf(id);
    if (at >= 0) { state.stars.splice(at, 1); unstarredHere[id] = true; } else { state.stars.push(id); }
    state.stars = cleanIds(state.stars);
    write(state);
    apply();
    sync();
  }

  /* The ticket page: merge both ways, link this browser, and show what the ticket now holds. */
  function openTicket() {
    var sent = read(), status = ticket.querySelector("[data-agenda-status]");
    post(ticket.getAttribute("data-sync-url"), {items: sent.stars, base: sent.base, key: sent.key},
         ticket.getAttribute("data-csrf"))
      .then(function (response) {
        if (!response.ok) { throw new Error("ticket " + response.status); }
        return response.json();
      })
      .then(function (answer) {
        var merged = cleanIds(answer.items), shown = {};
        write({stars: merged, base: merged, key: answer.key, expired: false});
        merged.forEach(function (id) { shown[id] = true; });
        ticket.querySelectorAll("[data-item]").forEach(function (item) {
          item.hidden = !shown[item.getAttribute("data-item")];
        });
        ticket.querySelectorAll("[data-agenda-none]").forEach(function (none) { none.hidden = merged.length > 0; });
        setText(status, status.getAttribute("data-text-synced"));
      })
      .catch(function () { setText(status, status.getAttribute("data-text-failed")); });
  }

  if (ticket) { openTicket(); }
  if (!page) { return; }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-star]");
    if (button) { toggle(button); return; }
    if (event.target.closest("[data-agenda-save]")) { sync(); }
  });
  document.addEventListener("live:changed", function () { unstarredHere = {}; apply(); });
  window.addEventListener("storage", function (event) { if (event.key === STORE) { apply(); } });
  apply();
  var start = read();
  // "Mitt program" asks the ticket for stars made on other devices; other pages only catch up.
  if (start.key && (document.querySelector("[data-agenda-mine]") || !start.base || !sameIds(start.stars, start.base))) {
    sync();
  }
})();
