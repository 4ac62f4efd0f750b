/*
 * A print job's page, kept up to date while the PDF is being made. Without this script the page
 * still works: it says the job is queued or running and links to itself ("Oppdater siden").
 *
 * With it, the job's status (the server's own HTML, from the URL in data-poll) is fetched every
 * two seconds and put in place until the job is no longer waiting. The status paragraph is a
 * live region (role="status") that stays in the page, so screen readers announce its new text;
 * the page is not reloaded, so focus and scroll position stay where they were.
 */
(function () {
  "use strict";

  var job = document.getElementById("print-job");
  if (!job || !job.getAttribute("data-poll") || !window.fetch || !window.DOMParser) {
    return;
  }
  var INTERVAL = 2000;
  var failures = 0;

  function replace(fresh, id) {
    var current = document.getElementById(id);
    var replacement = fresh.querySelector("#" + id);
    if (!current || !replacement) {
      return;
    }
    if (current.className !== replacement.className) {
      current.className = replacement.className;
    }
    if (current.innerHTML !== replacement.innerHTML) {
      current.innerHTML = replacement.innerHTML;
    }
  }

  function poll() {
    fetch(job.getAttribute("data-poll"), {credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("print-job");
        if (!fresh) {
          return;  // not the status (logged out, say): stop, the link still reloads the page
        }
        failures = 0;
        replace(fresh, "print-job-status");
        replace(fresh, "print-job-actions");
        var next = fresh.getAttribute("data-poll");
        if (next) {
          job.setAttribute("data-poll", next);
          window.setTimeout(poll, INTERVAL);
        } else {
          job.removeAttribute("data-poll");
        }
      })
      .catch(function () {
        failures += 1;  // a server restart, a dropped connection: try again, more slowly
        if (failures < 30) {
          window.setTimeout(poll, INTERVAL * Math.min(failures + 1, 10));
        }
      });
  }

  window.setTimeout(poll, INTERVAL);
}());
