/*
 * What a door device keeps in IndexedDB, so it survives a reload, a closed tab and a restart:
 *
 *  - "queue": every action of the door (check-in, undo, walk-in) with the id the device made for
 *    it (scan_id), until the server has answered it. Written with strict durability before the
 *    door shows its answer: a scan the door staff saw answered is on disk.
 *  - "people": the attendee list as the server last gave it (checkin/doorlist.py).
 *  - "meta": the device's id and name, the list's cursor, the last sync, when the login ends.
 *
 * Sending the queue lives here too, because logging out (door-logout.js, on every organiser
 * page) sends it before it lets the organiser go. The list is personal data: it is wiped at
 * logout, when the server says the login is gone (401), and when the login's end has passed.
 */
(function () {
  "use strict";

  var NAME = "fagkonferanse-door";
  var FLAG = "fagkonferanse-door"; // localStorage: this browser holds door data
  var CACHE_PREFIX = "fagkonferanse-door";
  var BATCH = 100;
  var opening = null;
  var destroyed = false; // logged out on this page: nothing may create the data again

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function done(tx) {
    return new Promise(function (resolve, reject) {
      tx.oncomplete = function () { resolve(); };
      tx.onabort = tx.onerror = function () { reject(tx.error); };
    });
  }

  function open() {
    if (destroyed) {
      return Promise.reject(new Error("logged out"));
    }
    if (opening) {
      return opening;
    }
    opening = new Promise(function (resolve, reject) {
      var req = indexedDB.open(NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore("people", { keyPath: "id" });
        var queue = db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
        queue.createIndex("scan_id", "scan_id", { unique: true });
        db.createObjectStore("meta");
      };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = function () { // another tab deletes the data (logout): let it
          db.close();
          opening = null;
          destroyed = true;
          window.dispatchEvent(new CustomEvent("door-store-closed"));
        };
        resolve(db);
      };
      req.onerror = function () { opening = null; reject(req.error); };
      req.onblocked = function () { opening = null; reject(new Error("blocked")); };
    });
    return opening;
  }

  function transaction(stores, mode, work, durability) {
    return open().then(function (db) {
      var tx = durability ? db.transaction(stores, mode, { durability: durability }) : db.transaction(stores, mode);
      var result = work(tx);
      return done(tx).then(function () { return result; });
    });
  }

  function all(storeName) {
    return open().then(function (db) {
      return request(db.transaction(storeName).objectStore(storeName).getAll());
    });
  }

  function getMeta() {
    return open().then(function (db) {
      var store = db.transaction("meta").objectStore("meta");
      return Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    }).then(function (pair) {
      var meta = {};
      pair[0].forEach(function (key, index) { meta[key] = pair[1][index]; });
      return meta;
    });
  }

  function setMeta(values) {
    return transaction(["meta"], "readwrite", function (tx) {
      var store = tx.objectStore("meta");
      Object.keys(values).forEach(function (key) { store.put(values[key], key); });
    });
  }

  /* Queue an action; resolves once it is on disk, with its place in the queue (seq). */
  function enqueue(action) {
    return transaction(["queue"], "readwrite", function (tx) {
      var holder = {};
      request(tx.objectStore("queue").add(action)).then(function (seq) { holder.seq = seq; });
      return holder;
    }, "strict").then(function (holder) {
      action.seq = holder.seq;
      return action;
    });
  }

  /* Change a queued action (what the door showed, once it stopped waiting for the server). */
  function updateQueued(scanId, changes) {
    return transaction(["queue"], "readwrite", function (tx) {
      var store = tx.objectStore("queue");
      var req = store.index("scan_id").get(scanId);
      req.onsuccess = function () {
        if (req.result) {
          store.put(Object.assign(req.result, changes));
        }
      };
    }, "strict");
  }

  /* The server answered: store what it says of each person, and forget the answered actions. */
  function settle(results) {
    return transaction(["queue", "people"], "readwrite", function (tx) {
      var queue = tx.objectStore("queue");
      var people = tx.objectStore("people");
      results.forEach(function (result) {
        if (result.person) {
          people.put(result.person);
        }
        var req = queue.index("scan_id").getKey(result.scan_id);
        req.onsuccess = function () {
          if (req.result !== undefined) {
            queue.delete(req.result);
          }
        };
      });
    }, "strict");
  }

  /* The list from the server: the whole of it (full) or what changed. */
  function storeList(data) {
    return transaction(["people", "meta"], "readwrite", function (tx) {
      var people = tx.objectStore("people");
      if (data.full) {
        people.clear();
      }
      data.people.forEach(function (person) { people.put(person); });
    });
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    });
  }

  /*
   * Send the queue, oldest first, in batches. `options`: {syncUrl, token(), refreshToken(),
   * device: {id, name}, onResults(results)}. Resolves with {status}: "sent" (the queue is empty),
   * "offline" (no answer: try again later), "logged-out" (401: the login is gone) or "refused"
   * (the server would not take it). Nothing leaves the queue without the server's answer.
   */
  function send(options) {
    var retried = false;

    function next() {
      return all("queue").then(function (queue) {
        if (!queue.length) {
          return { status: "sent" };
        }
        var batch = queue.slice(0, BATCH);
        var body = { device: options.device, sent_at: Date.now(), actions: batch.map(function (action) {
          var copy = Object.assign({}, action);
          delete copy.person;
          return copy;
        }) };
        return post(options.syncUrl, options.token(), body).then(function (response) {
          if (response.status === 401) {
            return { status: "logged-out" };
          }
          if (response.status === 400 && !retried && options.refreshToken) {
            retried = true; // most likely a stale CSRF token (a page started offline): once more
            return options.refreshToken().then(next);
          }
          if (!response.ok) {
            return { status: response.status >= 500 ? "offline" : "refused" };
          }
          return response.json().then(function (data) {
            return settle(data.results).then(function () {
              if (options.onResults) {
                options.onResults(data.results, data);
              }
              return next();
            });
          });
        }, function () {
          return { status: "offline" };
        });
      });
    }

    return withLock(next);
  }

  /* One sender at a time on this device, across its tabs. */
  function withLock(work) {
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request(NAME + "-send", work);
    }
    return work();
  }

  function forgetCaches() {
    if (!window.caches) {
      return Promise.resolve();
    }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(CACHE_PREFIX) === 0; })
        .map(function (name) { return caches.delete(name); }));
    });
  }

  function forgetServiceWorker() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.getRegistrations) {
      return Promise.resolve();
    }
    return navigator.serviceWorker.getRegistrations().then(function (registrations) {
      return Promise.all(registrations.filter(function (registration) {
        return registration.scope.indexOf("/admin/checkin") >= 0;
      }).map(function (registration) { return registration.unregister(); }));
    });
  }

  /* The login is gone: remove the list and the kept page, keep the queue and the device's name. */
  function wipeList() {
    return transaction(["people", "meta"], "readwrite", function (tx) {
      tx.objectStore("people").clear();
      var meta = tx.objectStore("meta");
      ["cursor", "synced_at", "session_ends_at", "event", "token", "kept"].forEach(function (key) {
        meta.delete(key);
      });
    }).then(forgetCaches);
  }

  /* Logged out with nothing left to send: remove everything the door kept on this device. */
  function destroy() {
    destroyed = true;
    var closing = opening ? opening.then(function (db) { db.close(); }, function () {}) : Promise.resolve();
    opening = null;
    return closing.then(function () {
      return new Promise(function (resolve) {
        var req = indexedDB.deleteDatabase(NAME);
        req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
      });
    }).then(forgetCaches).then(forgetServiceWorker).then(function () {
      window.localStorage.removeItem(FLAG);
      if (window.BroadcastChannel) {
        new BroadcastChannel(NAME).postMessage({ type: "logged-out" });
      }
    });
  }

  function inUse() {
    try {
      return window.localStorage.getItem(FLAG) === "yes";
    } catch (error) {
      return false;
    }
  }

  function markInUse() {
    try {
      window.localStorage.setItem(FLAG, "yes");
    } catch (error) { /* private mode: logout then cleans up without the hint */ }
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (byte) { return ("0" + byte.toString(16)).slice(-2); }).join("");
  }

  window.DoorStore = {
    name: NAME,
    open: open,
    people: function () { return all("people"); },
    queue: function () { return all("queue"); },
    getMeta: getMeta,
    setMeta: setMeta,
    enqueue: enqueue,
    updateQueued: updateQueued,
    settle: settle,
    storeList: storeList,
    send: send,
    wipeList: wipeList,
    destroy: destroy,
    inUse: inUse,
    markInUse: markInUse,
    newId: newId
  };
})();
