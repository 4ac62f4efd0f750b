// The floor-plan editor (/admin/plans/<floor>): drag stands, draw shapes, all through the forms.
//
// Nothing is saved here: a dragged (or arrow-key moved) stand fills in its position form under
// the plan and submits it; a drawn shape fills in the points field of the shape form. So the
// keyboard and the forms reach the same result as the mouse (WCAG 2.5.7), and without this
// script the forms still work on their own.
(function () {
  "use strict";
  var editor = document.getElementById("plan-editor");
  var svg = editor && editor.querySelector("svg.fp-svg");
  if (!svg) return;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var width = parseFloat(editor.getAttribute("data-width"));
  var height = parseFloat(editor.getAttribute("data-height"));
  var status = editor.querySelector(".plan-status");
  var texts = JSON.parse(status.getAttribute("data-texts") || "{}");
  var toolbar = editor.querySelector(".plan-tools");
  var shapeForm = document.querySelector("[data-shape-form]");
  var tool = "move";

  function say(text) { status.textContent = text || ""; }
  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }
  function tidy(value) { return Math.round(value * 10) / 10; }

  // Where the pointer is, in plan units (the SVG's own coordinates).
  function planPoint(event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var inside = point.matrixTransform(svg.getScreenCTM().inverse());
    return [clamp(inside.x, 0, width), clamp(inside.y, 0, height)];
  }

  // --- Tools -----------------------------------------------------------------------------------
  toolbar.hidden = false;
  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tool]");
    if (button) setTool(button.getAttribute("data-tool"));
  });

  function setTool(name) {
    tool = name;
    toolbar.querySelectorAll("[data-tool]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-tool") === name ? "true" : "false");
    });
    editor.classList.toggle("is-drawing", name !== "move");
    clearDraft();
    say(texts[name]);
  }

  // --- Stands: drag, or arrow keys and Enter ---------------------------------------------------
  var dragging = null;

  function markerForm(marker) {
    return document.getElementById("stand-" + marker.getAttribute("data-stand-id"));
  }

  function moveMarker(marker, x, y) {
    x = tidy(clamp(x, 0, width));
    y = tidy(clamp(y, 0, height));
    marker.setAttribute("transform", "translate(" + x + " " + y + ")");
    marker.setAttribute("data-x", x);
    marker.setAttribute("data-y", y);
    marker.classList.add("is-moved");
    var form = markerForm(marker);
    if (form) {
      form.elements.x.value = x;
      form.elements.y.value = y;
    }
  }

  function saveMarker(marker) {
    var form = markerForm(marker);
    if (!form) return;
    say(texts.moved);
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  svg.querySelectorAll(".fp-stand").forEach(function (marker) {
    var start = [parseFloat(marker.getAttribute("data-x")), parseFloat(marker.getAttribute("data-y"))];

    marker.addEventListener("pointerdown", function (event) {
      if (tool !== "move" || event.button !== 0) return;
      event.preventDefault();
      event.stopPropagation();
      marker.focus();
      marker.setPointerCapture(event.pointerId);
      var at = planPoint(event);
      dragging = {marker: marker, dx: parseFloat(marker.getAttribute("data-x")) - at[0],
                  dy: parseFloat(marker.getAttribute("data-y")) - at[1], moved: false};
      marker.classList.add("is-dragging");
    });
    marker.addEventListener("pointermove", function (event) {
      if (!dragging || dragging.marker !== marker) return;
      var at = planPoint(event);
      moveMarker(marker, at[0] + dragging.dx, at[1] + dragging.dy);
      dragging.moved = true;
    });
    marker.addEventListener("pointerup", function () {
      if (!dragging || dragging.marker !== marker) return;
      var moved = dragging.moved;
      dragging = null;
      marker.classList.remove("is-dragging");
      if (moved) saveMarker(marker);
    });
    marker.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 25 : 5;
      var x = parseFloat(marker.getAttribute("data-x")), y = parseFloat(marker.getAttribute("data-y"));
      var moves = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]};
      if (moves[event.key]) {
        event.preventDefault();
        moveMarker(marker, x + moves[event.key][0], y + moves[event.key][1]);
        var name = marker.querySelector(".fp-stand-name");
        say((name ? name.textContent : "") + ": x " + marker.getAttribute("data-x") + ", y " + marker.getAttribute("data-y"));
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        saveMarker(marker);
      } else if (event.key === "Escape") {
        moveMarker(marker, start[0], start[1]);
        marker.classList.remove("is-moved");
      }
    });
  });

  // Back from saving a stand (…#stand-marker-3): the keyboard stays on that stand.
  var saved = /^#stand-marker-(\d+)$/.exec(location.hash);
  if (saved) {
    var marker = svg.querySelector('.fp-stand[data-stand-id="' + saved[1] + '"]');
    if (marker) marker.focus();
  }

  // --- Shapes: pick one to redraw, or draw a new one ---------------------------------------------
  var placeSelect = shapeForm && shapeForm.elements.location;
  var pointsField = shapeForm && shapeForm.elements.points;
  var newPlace = shapeForm && shapeForm.querySelector("[data-new-place]");

  function showNewPlace() {
    if (newPlace) newPlace.hidden = placeSelect.value !== "new";
  }
  if (placeSelect) {
    placeSelect.addEventListener("change", showNewPlace);
    showNewPlace();
  }

  svg.querySelectorAll(".fp-place[data-location-id]").forEach(function (place) {
    place.addEventListener("click", function () {
      if (tool !== "move" || !placeSelect) return;
      svg.querySelectorAll(".fp-place.is-selected").forEach(function (other) { other.classList.remove("is-selected"); });
      place.classList.add("is-selected");
      placeSelect.value = place.getAttribute("data-location-id");
      pointsField.value = place.getAttribute("data-points");
      showNewPlace();
      var name = place.querySelector("text");
      say((texts.selected || "").replace("{name}", name ? name.textContent : ""));
    });
  });

  var draft = null, corners = [], anchor = null;

  function clearDraft() {
    if (draft) draft.remove();
    draft = null;
    corners = [];
    anchor = null;
  }

  function drawDraft(points, closed) {
    if (!draft) {
      draft = document.createElementNS(SVG_NS, "g");
      svg.appendChild(draft);
    }
    while (draft.firstChild) draft.removeChild(draft.firstChild);
    var outline = document.createElementNS(SVG_NS, closed ? "polygon" : "polyline");
    outline.setAttribute("class", "plan-draft");
    outline.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
    draft.appendChild(outline);
    points.forEach(function (p) {
      var dot = document.createElementNS(SVG_NS, "circle");
      dot.setAttribute("class", "plan-draft-point");
      dot.setAttribute("cx", p[0]);
      dot.setAttribute("cy", p[1]);
      dot.setAttribute("r", 5);
      draft.appendChild(dot);
    });
  }

  function finish(points) {
    if (points.length < 3 || !pointsField) return;
    drawDraft(points, true);
    pointsField.value = points.map(function (p) { return Math.round(p[0]) + "," + Math.round(p[1]); }).join(" ");
    corners = [];
    anchor = null;
    say(texts.drawn);
    placeSelect.focus();
  }

  function rectangle(a, b) {
    var x1 = Math.min(a[0], b[0]), x2 = Math.max(a[0], b[0]), y1 = Math.min(a[1], b[1]), y2 = Math.max(a[1], b[1]);
    return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
  }

  svg.addEventListener("pointerdown", function (event) {
    if (tool === "move" || event.button !== 0) return;
    event.preventDefault();
    var at = planPoint(event).map(Math.round);
    if (tool === "rect") {
      svg.setPointerCapture(event.pointerId);
      anchor = at;
      drawDraft(rectangle(at, at), true);
    } else if (tool === "polygon") {
      if (corners.length >= 3 && Math.hypot(at[0] - corners[0][0], at[1] - corners[0][1]) < 12) {
        finish(corners);
        return;
      }
      corners.push(at);
      drawDraft(corners, false);
    }
  });
  svg.addEventListener("pointermove", function (event) {
    if (tool === "rect" && anchor) drawDraft(rectangle(anchor, planPoint(event).map(Math.round)), true);
  });
  svg.addEventListener("pointerup", function (event) {
    if (tool !== "rect" || !anchor) return;
    var points = rectangle(anchor, planPoint(event).map(Math.round));
    anchor = null;
    if (points[1][0] - points[0][0] >= 5 && points[2][1] - points[1][1] >= 5) finish(points); else clearDraft();
  });
  svg.addEventListener("dblclick", function () {
    if (tool === "polygon" && corners.length >= 3) finish(corners);
  });
  document.addEventListener("keydown", function (event) {
    if (tool !== "polygon") return;
    if (event.key === "Enter" && corners.length >= 3) finish(corners);
    if (event.key === "Escape") clearDraft();
  });
})();
