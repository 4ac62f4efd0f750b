/*
 * The door page, enhanced. Without this script the page still works: the scan field is a plain
 * form (a USB scanner types the code and Enter) and every answer is a new page.
 *
 * With it:
 *  - scans are sent in the background (Accept: application/json) and the server's own result
 *    HTML is put in place, so the field keeps focus and the next scan can follow at once;
 *  - phones get a camera scanner: the browser's BarcodeDetector where it has one, otherwise the
 *    vendored jsQR decoder (static/vendor/jsqr, loaded only when needed; no CDN);
 *  - the counters are refreshed every 15 seconds.
 *
 * Every text it shows comes from the page (data- attributes the template fills through gettext),
 * so the door page speaks the organiser's language; this file holds no words of its own.
 */
(function () {
  "use strict";

  var form = document.getElementById("scan-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var input = document.getElementById("scan-code");
  var answer = document.getElementById("door-answer");
  var counters = document.getElementById("door-counters");
  var script = document.querySelector("script[data-jsqr]");
  var jsqrUrl = script ? script.getAttribute("data-jsqr") : null;
  var busy = false;

  function showCounters(data) {
    if (!data || !counters) {
      return;
    }
    Object.keys(data).forEach(function (key) {
      var element = counters.querySelector('[data-counter="' + key + '"]');
      if (element) {
        element.textContent = data[key];
      }
    });
  }

  function feedback(state) {
    if (navigator.vibrate) {
      navigator.vibrate(state === "checked_in" ? 120 : [120, 80, 120, 80, 400]);
    }
  }

  function showProblem(text) {
    answer.innerHTML = "";
    var box = document.createElement("div");
    box.className = "door-result door-unknown";
    box.setAttribute("role", "alert");
    var line = document.createElement("p");
    line.className = "door-headline";
    line.textContent = text;
    box.appendChild(line);
    answer.appendChild(box);
  }

  function submitCode(code) {
    var body = new FormData(form);
    body.set("code", code);
    busy = true;
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401) {
        window.location.reload(); // logged out: the guard sends the page to the login form
        return null;
      }
      return response.json();
    }).then(function (data) {
      if (!data) {
        return;
      }
      if (data.state === "rate_limited") {
        showProblem(form.getAttribute("data-rate-limited"));
      } else {
        answer.innerHTML = data.html;
        showCounters(data.counters);
      }
      feedback(data.state);
      input.value = "";
    }).catch(function () {
      showProblem(form.getAttribute("data-offline"));
      feedback("error");
    }).then(function () {
      busy = false;
      input.focus();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value.trim();
    if (code && !busy) {
      submitCode(code);
    } else {
      input.focus();
    }
  });

  // --- Counters ---------------------------------------------------------------------------
  if (counters && counters.getAttribute("data-url")) {
    window.setInterval(function () {
      if (document.hidden) {
        return;
      }
      fetch(counters.getAttribute("data-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(showCounters)
        .catch(function () { /* the next poll tries again */ });
    }, 15000);
  }

  // --- Camera -----------------------------------------------------------------------------
  var camera = document.getElementById("camera");
  var toggle = document.getElementById("camera-toggle");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  if (!camera || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.isSecureContext) {
    return; // cameras need https (or localhost); the scan field still works
  }
  camera.hidden = false;
  var stream = null;
  var canvas = document.createElement("canvas");
  var lastCode = "";
  var lastAt = 0;
  var detect = null;

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
        var found = decode(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  function tick() {
    if (!stream) {
      return;
    }
    detect().then(function (text) {
      var now = Date.now();
      // The same code stays in front of the camera for a while: answer it once.
      if (text && !busy && (text !== lastCode || now - lastAt > 4000)) {
        lastCode = text;
        lastAt = now;
        input.value = text;
        submitCode(text);
      }
    }).catch(function () { /* an unreadable frame */ }).then(function () {
      window.setTimeout(tick, 200);
    });
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.hidden = true;
    toggle.textContent = toggle.getAttribute("data-start") || toggle.textContent;
    status.textContent = "";
  }

  toggle.setAttribute("data-start", toggle.textContent);
  toggle.addEventListener("click", function () {
    if (stream) {
      stop();
      return;
    }
    status.textContent = "…";
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
        status.textContent = camera.getAttribute("data-ready") || "";
        tick();
      })
      .catch(function () {
        stop();
        status.textContent = camera.getAttribute("data-denied");
      });
  });
})();
