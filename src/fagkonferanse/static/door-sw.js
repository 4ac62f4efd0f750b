/*
 * The door's service worker (served as /admin/checkin/sw.js, scope /admin/checkin): it keeps the
 * door page and its own files, so that a phone or laptop that opened the door once online starts
 * it again without a network. The attendee list and the queued scans are in IndexedDB, kept by
 * the page (door-store.js); this worker holds no personal data beyond the page itself (the
 * organiser's name and the form's token), and is removed with its cache at logout.
 *
 *  - Opening /admin/checkin (any query): the network first, so an online device always gets
 *    today's page, and a login that ended is sent to the login form; the kept page when there is
 *    no answer within a few seconds.
 *  - The page's files (the core's /static/ and plugins' static folders such as
 *    /admin/badges/static/, with a version in their address): from the cache when kept.
 *  - Everything else (the list, the sync, other pages) goes to the network untouched.
 *
 * The page tells the worker which files it uses ("keep" message) after each successful sync;
 * the worker fetches the page shell (/admin/checkin/shell) and those files, and drops the rest.
 */
"use strict";

var CACHE = "fagkonferanse-door";
var SCOPE = new URL(self.registration.scope);
var SHELL = SCOPE.href.replace(/\/?$/, "/shell");
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function keep(files) {
  return caches.open(CACHE).then(function (cache) {
    return fetch(SHELL, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok || response.redirected) {
        return false; // logged out meanwhile: keep nothing new
      }
      return cache.put(SHELL, response).then(function () {
        return Promise.all(files.map(function (file) {
          return cache.match(file).then(function (hit) {
            return hit || fetch(file, { credentials: "same-origin" }).then(function (answer) {
              return answer.ok ? cache.put(file, answer) : null;
            });
          });
        }));
      }).then(function () {
        var wanted = new Set(files.concat([SHELL]));
        return cache.keys().then(function (requests) {
          return Promise.all(requests.filter(function (request) { return !wanted.has(request.url); })
            .map(function (request) { return cache.delete(request); }));
        });
      }).then(function () { return true; });
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (data.type === "keep") {
    var files = (data.files || []).filter(function (file) {
      return new URL(file).origin === self.location.origin;
    });
    event.waitUntil(keep(files).then(function (kept) {
      if (port) {
        port.postMessage({ kept: kept });
      }
    }, function () {
      if (port) {
        port.postMessage({ kept: false });
      }
    }));
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(CACHE).then(function () {
      if (port) {
        port.postMessage({ forgotten: true });
      }
    }));
  }
});

function fromNetwork(request) {
  var timer;
  var late = new Promise(function (resolve, reject) {
    timer = setTimeout(function () { reject(new Error("timeout")); }, NETWORK_WAIT_MS);
  });
  return Promise.race([fetch(request), late]).finally(function () { clearTimeout(timer); });
}

function doorPage(request) {
  return fromNetwork(request).catch(function (problem) {
    return caches.match(SHELL).then(function (kept) {
      if (kept) {
        return kept;
      }
      throw problem;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    if (url.pathname === SCOPE.pathname || url.pathname === SCOPE.pathname + "/") {
      event.respondWith(doorPage(request));
    }
    return;
  }
  if (url.pathname.indexOf("/static/") !== -1) {
    event.respondWith(caches.match(request).then(function (kept) {
      return kept || fetch(request);
    }));
  }
});
