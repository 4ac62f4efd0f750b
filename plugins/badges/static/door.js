/*
 * Badges printed on arrival, on the door device (the badges plugin's door script).
 *
 * The door page announces every green check-in on document:
 *   document.dispatchEvent(new CustomEvent("fk:door-checked-in",
 *     {detail: {registration_id: 12, scan_id: "…"}}))
 * For each, this script asks the server (POST /admin/badges/arrival, with the page's CSRF token)
 * whether to print. When it should, the server has made the badge's PDF already; it is loaded
 * into a hidden frame and the browser's print dialog opens for it. A browser that cannot show a
 * PDF in a page (most phones: navigator.pdfViewerEnabled is false) gets a button that opens the
 * PDF, where the phone's own viewer prints it.
 *
 * Afterwards the focus goes back where it was (the scan field), so a USB scanner can go on.
 * Every text shown comes from the server's answer, in the organiser's language; this file holds
 * no words of its own. After trying to print it announces "fk:badge-print" on document
 * ({registration_id, scan_id, url, via: "frame" | "link"}) for anything that wants to know.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch || !window.FormData || !window.CustomEvent) {
    return;
  }
  var endpoint = new URL("../arrival", script.src).pathname;
  var status = null;

  function csrfToken() {
    var field = document.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function statusLine() {
    if (status && document.body.contains(status)) {
      return status;
    }
    status = document.createElement("div");
    status.className = "badge-print-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var answer = document.getElementById("door-answer");
    if (answer && answer.parentNode) {
      answer.parentNode.insertBefore(status, answer.nextSibling);
    } else {
      (document.querySelector("main") || document.body).appendChild(status);
    }
    return status;
  }

  function show(message, link) {
    var line = statusLine();
    line.textContent = "";
    if (message) {
      var text = document.createElement("p");
      text.className = "hint";
      text.textContent = message;
      line.appendChild(text);
    }
    if (link) {
      line.appendChild(link);
    }
  }

  function announce(detail, via) {
    document.dispatchEvent(new CustomEvent("fk:badge-print", {
      detail: { registration_id: detail.registration_id, scan_id: detail.scan_id, url: detail.url, via: via }
    }));
  }

  function refocus(element) {
    if (element && element.focus && document.body.contains(element)) {
      element.focus();
    }
  }

  function offerLink(data, detail, message) {
    var link = document.createElement("a");
    link.classList.add("button", "secondary");
    link.href = data.url;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = data.link_label;
    show(message, link);
    announce(detail, "link");
  }

  function printInFrame(data, detail, previous) {
    var old = document.getElementById("badge-print-frame");
    if (old) {
      old.parentNode.removeChild(old);
    }
    var frame = document.createElement("iframe");
    frame.id = "badge-print-frame";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    // Off screen but laid out: a frame with display:none never loads the PDF viewer.
    frame.style.position = "fixed";
    frame.style.right = "0";
    frame.style.bottom = "0";
    frame.style.width = "1px";
    frame.style.height = "1px";
    frame.style.border = "0";
    frame.style.opacity = "0";
    frame.addEventListener("load", function () {
      window.setTimeout(function () {
        try {
          frame.contentWindow.focus();
          frame.contentWindow.print();
          announce(detail, "frame");
        } catch (error) {
          offerLink(data, detail, data.message);
        }
        window.setTimeout(function () { refocus(previous); }, 0);
      }, 50);
    });
    frame.src = data.url;
    document.body.appendChild(frame);
    window.addEventListener("focus", function () { refocus(previous); }, { once: true });
  }

  document.addEventListener("fk:door-checked-in", function (event) {
    var detail = event.detail || {};
    if (!detail.registration_id) {
      return;
    }
    var previous = document.activeElement;
    var body = new FormData();
    body.set("csrf_token", csrfToken());
    body.set("registration_id", String(detail.registration_id));
    body.set("scan_id", detail.scan_id ? String(detail.scan_id) : "");
    fetch(endpoint, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return type.indexOf("application/json") === 0 ? response.json() : null;
    }).then(function (data) {
      if (!data) {
        return;
      }
      if (!data.print || !data.url) {
        show(data.message);
        return;
      }
      var printing = { registration_id: detail.registration_id, scan_id: detail.scan_id, url: data.url };
      if (navigator.pdfViewerEnabled === false) {
        offerLink(data, printing, data.message);
      } else {
        show(data.message);
        printInFrame(data, printing, previous);
      }
    }).catch(function () {
      /* offline: the check-in stands; the badge can be printed from /admin/badges later */
    });
  });
}());
