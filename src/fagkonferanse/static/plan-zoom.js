// Zoom buttons for the floor plans (plan.css, macros/floorplan.html): − / Tilpass / +.
// Without this script the plan still scrolls in its box and pinch-zooms with the page.
(function () {
  "use strict";
  var STEP = 1.4;

  function setup(tools) {
    var canvas = document.getElementById(tools.getAttribute("data-plan-zoom"));
    var svg = canvas && canvas.querySelector("svg");
    if (!svg) return;
    tools.hidden = false;
    var hint = canvas.parentNode.querySelector(".fp-scroll-hint");
    function showHint() { if (hint) hint.hidden = canvas.scrollWidth <= canvas.clientWidth + 1; }
    showHint();
    window.addEventListener("resize", showHint);
    var minimum = parseFloat(canvas.getAttribute("data-min-width")) || 300;

    function width() { return svg.getBoundingClientRect().width; }

    function zoomTo(pixels, keepCentre) {
      var ratio = (canvas.scrollLeft + canvas.clientWidth / 2) / Math.max(1, canvas.scrollWidth);
      var ratioY = (canvas.scrollTop + canvas.clientHeight / 2) / Math.max(1, canvas.scrollHeight);
      canvas.classList.add("is-zoomed");
      svg.style.width = Math.round(pixels) + "px";
      if (keepCentre) {
        canvas.scrollLeft = ratio * canvas.scrollWidth - canvas.clientWidth / 2;
        canvas.scrollTop = ratioY * canvas.scrollHeight - canvas.clientHeight / 2;
      }
    }

    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) return;
      var how = button.getAttribute("data-zoom");
      if (how === "in") zoomTo(Math.min(width() * STEP, minimum * 6), true);
      if (how === "out") zoomTo(Math.max(width() / STEP, Math.min(minimum, canvas.clientWidth)), true);
      if (how === "fit") {
        canvas.classList.remove("is-zoomed");
        svg.style.width = "";
      }
      showHint();
    });
  }

  document.querySelectorAll("[data-plan-zoom]").forEach(setup);
})();

// A stand's page: its marker in the middle of the box, where a phone shows only part of the plan.
(function () {
  "use strict";
  document.querySelectorAll(".fp-canvas").forEach(function (canvas) {
    var pointed = canvas.querySelector(".fp-pointed");
    if (!pointed || canvas.scrollWidth <= canvas.clientWidth) return;
    var box = pointed.getBoundingClientRect(), frame = canvas.getBoundingClientRect();
    canvas.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
  });
})();
