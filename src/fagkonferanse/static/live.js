/* Live pages: the programme, "Mitt program" and the hall screens follow the day without a reload.
 *
 * On an element with [data-live]:
 * - "Nå"/"Neste" move with the site's clock (the server's clock plus FAGKONFERANSE_NOW's offset,
 *   in the venue's time zone), and [data-day-over] shows once the day has ended;
 * - [data-clock] shows the time, [data-time-left] how long the item with that data-end has left;
 * - every few seconds the tiny, versioned /live.json is asked whether anything changed (a "304
 *   Not Modified" while nothing did); after a change the page is fetched again and each
 *   [data-live-region] is swapped in, so a shifted programme shows within seconds;
 * - [data-refresh-at] on the same element names the moment (the venue's wall clock, as
 *   "2016-11-09T10:55:00") the page changes by itself — the next item starts, the day ends — and
 *   the live regions are fetched again then (again a few seconds later if the page that came back
 *   still names a moment that has passed: a clock a second off, a copy cached until just then).
 * It survives a server restart or a network blip (it tries again, waiting longer each time), and
 * keeps nothing that grows: a screen can run all day. All its words come from the page.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.fetch) { return; }

  var POLL_MS = 3000, HIDDEN_POLL_MS = 30000, MAX_BACKOFF_MS = 30000, RETRY_MS = 3000;
  var version = root.getAttribute("data-version");
  var offset = Number(root.getAttribute("data-clock-offset")) || 0;  // the site's clock − the server's
  var skew = 0;                                                       // the server's clock − this device's
  var failures = 0, timer = null;
  var refreshing = null, retryAt = 0;                                 // the fetch under way; when to try again
  var venue = new Intl.DateTimeFormat("en-GB", {
    timeZone: root.getAttribute("data-timezone") || "Europe/Oslo", hourCycle: "h23",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit"
  });

  /* The site's now on the venue's wall clock, as "2016-11-09T10:40:12" (the pages' format). */
  function venueNow() {
    var parts = {};
    venue.formatToParts(new Date(Date.now() + skew + offset)).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + "T" + parts.hour + ":" + parts.minute + ":" + parts.second;
  }

  function minutesBetween(from, to) {
    return Math.round((Date.parse(to + "Z") - Date.parse(from + "Z")) / 60000);
  }

  /* Every item running now is "Nå" (parallel sessions run side by side); every item starting at
     the next start time is "Neste". Cancelled items are neither. */
  function markNowAndNext(now) {
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-start]"));
    var today = now.slice(0, 10), nextStart = null;
    var held = items.filter(function (item) {
      return !item.hasAttribute("data-cancelled") && item.getAttribute("data-start").slice(0, 10) === today;
    });
    held.forEach(function (item) {
      var start = item.getAttribute("data-start");
      if (start > now && (nextStart === null || start < nextStart)) { nextStart = start; }
    });
    items.forEach(function (item) {
      var start = item.getAttribute("data-start"), end = item.getAttribute("data-end") || today + "T24:00:00";
      var isHeld = held.indexOf(item) >= 0;
      var isNow = isHeld && start <= now && now < end, isNext = isHeld && start === nextStart;
      item.classList.toggle("is-now", isNow);
      item.classList.toggle("is-next", isNext);
      if (isNow) { item.setAttribute("aria-current", "time"); } else { item.removeAttribute("aria-current"); }
      var nowBadge = item.querySelector(".badge.now"), nextBadge = item.querySelector(".badge.next");
      if (nowBadge) { nowBadge.hidden = !isNow; }
      if (nextBadge) { nextBadge.hidden = !isNext; }
    });
  }

  function tick() {
    var now = venueNow();
    markNowAndNext(now);
    var dayEnd = root.getAttribute("data-day-end");
    root.querySelectorAll("[data-day-over]").forEach(function (notice) {
      notice.hidden = !(dayEnd && now >= dayEnd && now.slice(0, 10) === dayEnd.slice(0, 10));
    });
    root.querySelectorAll("[data-clock]").forEach(function (clock) {
      var text = now.slice(11, 16).replace(":", clock.getAttribute("data-clock") || ".");
      if (clock.textContent !== text) { clock.textContent = text; }
    });
    root.querySelectorAll("[data-time-left]").forEach(function (left) {
      var minutes = minutesBetween(now, left.getAttribute("data-time-left"));
      var text = minutes > 0 ? (left.getAttribute("data-template") || "{n}").replace("{n}", minutes) : "";
      if (left.textContent !== text) { left.textContent = text; }
    });
    var refreshAt = root.getAttribute("data-refresh-at");
    if (refreshAt && now >= refreshAt && !refreshing && Date.now() >= retryAt) {
      retryAt = Date.now() + Math.max(RETRY_MS, failures ? backoff() : 0);
      refresh().then(function () { failures = 0; }, function () { failures += 1; });
    }
  }

  function schedulePoll(delay) {
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  function backoff() {
    return Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, failures));
  }

  function nextDelay() {
    if (failures) { return backoff(); }
    return document.hidden ? HIDDEN_POLL_MS : POLL_MS + Math.random() * 1000;
  }

  function poll() {
    fetch(root.getAttribute("data-live-url"), {cache: "no-cache", credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error("live " + response.status); }
        var served = Date.parse(response.headers.get("Date") || "");
        if (!isNaN(served) && Math.abs(served - Date.now()) > 2000) { skew = served - Date.now(); }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        offset = Number(state.clock_offset_ms) || 0;
        if (String(state.version) !== version) { return refresh(String(state.version)); }
      })
      .catch(function () { failures += 1; })
      .then(function () { schedulePoll(nextDelay()); });
  }

  /* Fetch this page again and swap in its live regions (one fetch at a time: a poll and the
     clock may ask together). */
  function refresh(newVersion) {
    if (!refreshing) {
      refreshing = fetch(location.href, {cache: "no-cache", credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (response) {
          if (!response.ok) { throw new Error("page " + response.status); }
          return response.text();
        })
        .then(function (html) { swapIn(html, newVersion); });
      var done = function () { refreshing = null; };
      refreshing.then(done, done);
    }
    return refreshing;
  }

  function swapIn(html, newVersion) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var freshRoot = fresh.querySelector("[data-live]");
    if (!freshRoot) { return; }
    fresh.querySelectorAll("[data-live-region][id]").forEach(function (region) {
      var old = document.getElementById(region.id);
      if (old) { old.replaceWith(document.importNode(region, true)); }
    });
    ["data-day-end", "data-refresh-at"].forEach(function (name) {
      if (freshRoot.hasAttribute(name)) { root.setAttribute(name, freshRoot.getAttribute(name)); }
      else { root.removeAttribute(name); }
    });
    version = freshRoot.getAttribute("data-version") || newVersion || version;
    tick();
    document.dispatchEvent(new CustomEvent("live:changed"));
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { failures = 0; retryAt = 0; schedulePoll(0); }
  });
  window.addEventListener("online", function () { failures = 0; retryAt = 0; schedulePoll(0); });
  tick();
  setInterval(tick, 1000);
  schedulePoll(nextDelay());
})();
