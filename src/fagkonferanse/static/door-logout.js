/*
 * Logging out of a door device (on every organiser page, since any tab can log out): first the
 * scans that wait are sent, then the attendee list, the kept door page and the service worker
 * are removed from the device, then the logout goes ahead. While a scan cannot be sent, the
 * logout is refused with a message and nothing is removed: a scan is never lost to a logout.
 *
 * A browser that never opened the door page has nothing kept (DoorStore.inUse() is false) and
 * logs out as usual. Without JavaScript there is no queue and no list, so the plain form is right.
 */
(function () {
  "use strict";

  var Store = window.DoorStore;
  var forms = document.querySelectorAll("form[data-door-logout]");
  if (!Store || !forms.length || !window.indexedDB || !window.fetch) {
    return;
  }
  // The texts and the address: on the logout form of the page's own header.
  var source = document.querySelector("form.logout-form[data-door-logout]");

  function say(form, text) {
    var line = form.querySelector(".logout-problem") || (source && source.querySelector(".logout-problem"));
    if (line) {
      line.textContent = text;
      line.hidden = !text;
    }
  }

  function unsent(count) {
    var pattern = count === 1 ? source.getAttribute("data-door-unsent-one") : source.getAttribute("data-door-unsent-many");
    return pattern.replace("{n}", count);
  }

  function logOut(form) {
    var token = form.querySelector("input[name=csrf_token]").value;
    say(form, source.getAttribute("data-door-sending"));
    return Store.getMeta().then(function (meta) {
      return Store.send({
        syncUrl: source.dataset.syncUrl,
        device: { id: meta.device_id || Store.newId(), name: meta.device_name || "" },
        token: function () { return token; }
      });
    }).then(function () {
      return Store.queue().then(function (queue) {
        if (queue.length) {
          // "logged-out" too: the login already ended elsewhere, and the queue waits for the next one.
          say(form, unsent(queue.length));
          return false;
        }
        return Store.destroy().then(function () { return true; });
      });
    });
  }

  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.doorCleared === "yes" || !Store.inUse() || !source) {
        return;
      }
      event.preventDefault();
      logOut(form).then(function (proceed) {
        if (proceed) {
          form.dataset.doorCleared = "yes";
          form.submit();
        }
      }, function () {
        Store.queue().then(function (queue) { say(form, unsent(queue.length)); });
      });
    });
  });
})();
