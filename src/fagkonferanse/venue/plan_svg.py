"""Drawing a floor's plan as SVG: one renderer for the web, the posters, the screens and the booklet.

The picture carries its own colours and sizes as SVG presentation attributes, not in a
stylesheet: the site's Content-Security-Policy allows no inline ``<style>``, WeasyPrint styles an
inline SVG only from inside it, and so the same markup looks the same in a browser, on a poster
and on a hall screen. Pages may still restyle it (focus rings, the editor's handles) from CSS.

Text is never smaller than :data:`.plan.SMALLEST_TEXT` plan units; a page shows the plan no
smaller than 12 CSS px for that (see ``min_width_px``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..content import norwegian
from ..stands.models import Stand
from ..uploads.images import image_url
from .geometry import Box, Point, format_points
from .models import Location
from .plan import (LABEL_SIZE, LINE_HEIGHT, MARKER_RADIUS, NUMBER_SIZE, SMALLEST_TEXT, STAND_NAME_SIZE,
                   FloorPlan, Marker, Shape, floor_anchor, obstacles, text_width, view_box)

FONT = "'Print Sans', system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
INK, PAPER, LINE = "#1d2330", "#ffffff", "#d5dae3"
STAND_COLOUR = "#0b5c8c"  # white on it: 7.0:1
HIGHLIGHT_COLOUR = "#8a3b00"  # white on it: 7.3:1
HERE_SIZE = 22
PAGE_MIN_PX_PER_UNIT = 12 / SMALLEST_TEXT  # 12 CSS px for the smallest text

# Fill and outline per kind of place: light fills, so the names on them (ink) stay above 12:1.
KIND_STYLES: dict[str, tuple[str, str]] = {
    "room": ("#ffffff", "#0b5c8c"),
    "hall": ("#e8f1f8", "#0b5c8c"),
    "corridor": ("#f3efe6", "#857d6b"),
    "stairway": ("#e6ebf2", "#4a5263"),
    "lift": ("#eee9f7", "#5b4a8a"),
    "entrance": ("#e3f1e6", "#1d6b2f"),
    "toilet": ("#edf2f6", "#4a5263"),
    "coffee_bar": ("#fbeadb", "#8a3b00"),
    "area": ("#f6f6f6", "#857d6b"),
}


@dataclass(frozen=True)
class Drawing:
    """How to draw a plan: what to link, what to point out, and for which medium.

    ``links``: stands link to their pages and stairs to the floors they lead to (a web page);
    ``floor_href`` makes a stairs link from a floor plan's anchor. ``editable`` draws the stands
    as handles for the organisers' editor instead. ``image_href`` gives the uploaded drawing's
    address (a data: URI for a PDF). ``size`` sets the picture's CSS width and height (print).
    """

    id_prefix: str = "plan"
    links: bool = True
    highlight: Stand | None = None
    here: Stand | None = None
    # A hall screen's own place: outlined, with "Du er her" on it (a stand's ``here`` wins).
    here_place: Location | None = None
    editable: bool = False
    floor_href: Callable[[str], str] = lambda anchor: f"#{anchor}"
    image_href: Callable = image_url
    size: tuple[str, str] | None = None
    language: str | None = None


def min_width_px(plan: FloorPlan, drawing: Drawing | None = None) -> int:
    """The narrowest a page may show the picture, for 12 CSS px text."""
    return round(plan_view(plan, drawing or Drawing()).width * PAGE_MIN_PX_PER_UNIT)


def plan_view(plan: FloorPlan, drawing: Drawing) -> Box:
    """The part of the plan the picture shows: the building's frame, and the "you are here" tag."""
    target = _here_target(plan, drawing)
    return view_box(plan, [_here_box(plan, *target)[0]] if target is not None else [])


def render_plan(plan: FloorPlan, drawing: Drawing | None = None) -> Markup:
    """The floor's plan as an ``<svg>`` element."""
    drawing = drawing or Drawing()
    view = plan_view(plan, drawing)
    title_id = f"{drawing.id_prefix}-title"
    size = (f' width="{drawing.size[0]}" height="{drawing.size[1]}"' if drawing.size
            else f' width="{_n(view.width)}" height="{_n(view.height)}"')
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fp-svg" viewBox="{_n(view.x)} {_n(view.y)} '
        f'{_n(view.width)} {_n(view.height)}"{size} role="group" aria-labelledby="{title_id}" '
        f'font-family="{FONT}" style="--fp-width: {_n(view.width)}">',
        f'<title id="{title_id}">{escape(floor_title(plan))}</title>',
        _defs(drawing.id_prefix),
        f'<rect x="{_n(view.x)}" y="{_n(view.y)}" width="{_n(view.width)}" height="{_n(view.height)}" fill="#fbfcfd"/>',
    ]
    if plan.image is not None:
        parts.append(f'<image href="{escape(drawing.image_href(plan.image))}" x="0" y="0" width="{plan.width}" '
                     f'height="{plan.height}" preserveAspectRatio="none"/>')
    parts.append('<g class="fp-places">')
    parts += [_shape(shape, plan, drawing) for shape in plan.shapes]
    parts.append('</g><g class="fp-stands">')
    ordered = sorted(plan.markers, key=lambda m: _is_pointed_out(m, drawing))  # the pointed-out one on top
    parts += [_marker(marker, plan, drawing) for marker in ordered]
    parts.append("</g>")
    target = _here_target(plan, drawing)
    if target is not None:
        parts.append(_here(plan, *target))
    parts.append("</svg>")
    return Markup("".join(parts))


def floor_title(plan: FloorPlan) -> str:
    return _("Plan over %(floor)s. etasje, %(building)s", floor=plan.number, building=plan.building)


def _defs(prefix: str) -> str:
    """Stair treads: lines across the flight, one pattern for each direction a flight can run."""
    return (
        "<defs>"
        f'<pattern id="{prefix}-treads-h" width="14" height="14" patternUnits="userSpaceOnUse">'
        '<path d="M7 0V14" stroke="#4a5263" stroke-width="2"/></pattern>'
        f'<pattern id="{prefix}-treads-v" width="14" height="14" patternUnits="userSpaceOnUse">'
        '<path d="M0 7H14" stroke="#4a5263" stroke-width="2"/></pattern>'
        "</defs>"
    )


def _shape(shape: Shape, plan: FloorPlan, drawing: Drawing) -> str:
    place = shape.location
    fill, stroke = KIND_STYLES.get(place.kind, KIND_STYLES["area"])
    points = format_points(shape.points)
    pointed = ((drawing.highlight is not None and drawing.highlight.location_id == place.id)
               or (drawing.here_place is not None and drawing.here_place.id == place.id))
    opacity = ' fill-opacity="0.6"' if plan.image is not None else ""
    dashed = ' stroke-dasharray="10 6"' if place.kind == "area" or not shape.drawn else ""
    width = 5 if pointed else 3
    colour = HIGHLIGHT_COLOUR if pointed else stroke
    data = f' data-location-id="{place.id}" data-points="{points}"' if drawing.editable else ""
    parts = [f'<g class="fp-place fp-kind-{escape(place.kind)}"{data}>',
             f'<polygon points="{points}" fill="{fill}"{opacity} stroke="{colour}" stroke-width="{width}" '
             f'stroke-linejoin="round"{dashed}/>']
    if place.kind == "stairway":
        box = shape.label_box
        direction = "h" if _bounds_ratio(shape) >= 1 else "v"
        parts.append(f'<polygon points="{points}" fill="url(#{drawing.id_prefix}-treads-{direction})" '
                     f'fill-opacity="0.35" stroke="none"/>')
        parts.append(f'<rect x="{_n(box.x - 6)}" y="{_n(box.y - 3)}" width="{_n(box.width + 12)}" '
                     f'height="{_n(box.height + 6)}" rx="4" fill="{PAPER}" fill-opacity="0.9"/>')
    elif plan.image is not None:
        box = shape.label_box
        parts.append(f'<rect x="{_n(box.x - 6)}" y="{_n(box.y - 3)}" width="{_n(box.width + 12)}" '
                     f'height="{_n(box.height + 6)}" rx="4" fill="{PAPER}" fill-opacity="0.85"/>')
    parts.append(_text_lines(shape, shape.name.lang_attr))
    if drawing.links and place.kind == "stairway":
        parts.append(_stair_links(shape, plan, drawing))
    parts.append("</g>")
    return "".join(parts)


def _text_lines(shape: Shape, lang: str) -> str:
    x, _y = shape.label_at
    top = shape.label_box.y
    tspans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(top + LABEL_SIZE * (LINE_HEIGHT * index + 0.95))}">{escape(line)}</tspan>'
        for index, line in enumerate(shape.label_lines))
    return (f'<text class="fp-place-name" text-anchor="middle" font-size="{LABEL_SIZE}" font-weight="bold" '
            f'fill="{INK}"{lang}>{tspans}</text>')


def _stair_links(shape: Shape, plan: FloorPlan, drawing: Drawing) -> str:
    """"↑ 2. etg" and "↓ 1. etg" at the bottom of the stairs, each a link to that floor's plan."""
    links = []
    for link in plan.stair_links(shape):
        x, y = link.at
        arrow = "↑" if link.up else "↓"
        words = (_("Trapp opp til %(floor)s. etasje", floor=link.number) if link.up
                 else _("Trapp ned til %(floor)s. etasje", floor=link.number))
        label = _("%(floor)s. etasje", floor=link.number)
        width = text_width(f"{arrow} {label}", SMALLEST_TEXT, bold=True) + 12
        links.append(
            f'<a class="fp-stairs-link" href="{escape(drawing.floor_href(floor_anchor(plan.building, link.number)))}" '
            f'aria-label="{escape(words)}">'
            f'<rect x="{_n(x - width / 2)}" y="{_n(y - SMALLEST_TEXT * 1.05)}" width="{_n(width)}" '
            f'height="{_n(SMALLEST_TEXT * 1.45)}" rx="4" fill="{PAPER}" stroke="{STAND_COLOUR}" stroke-width="1.5"/>'
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" font-size="{SMALLEST_TEXT}" font-weight="bold" '
            f'fill="{STAND_COLOUR}" text-decoration="underline">{arrow} {escape(label)}</text></a>')
    return "".join(links)


def _is_pointed_out(marker: Marker, drawing: Drawing) -> bool:
    chosen = drawing.here or drawing.highlight
    return chosen is not None and marker.stand.id == chosen.id


def _marker(marker: Marker, plan: FloorPlan, drawing: Drawing) -> str:
    stand = marker.stand
    pointed = _is_pointed_out(marker, drawing)
    radius = MARKER_RADIUS + (4 if pointed else 0)
    colour = HIGHLIGHT_COLOUR if pointed else STAND_COLOUR
    label = marker.label
    x, y = marker.at
    left = label.x < x
    name = norwegian(stand.organisation.name, drawing.language)
    text_x = (label.right - 8) - x if left else label.x + 8 - x
    inner = (
        f'<circle r="{radius}" fill="{colour}" stroke="{PAPER}" stroke-width="3"/>'
        f'<text class="fp-number" y="{_n(NUMBER_SIZE * 0.36)}" text-anchor="middle" font-size="{NUMBER_SIZE}" '
        f'font-weight="bold" fill="{PAPER}">{marker.number}</text>'
        f'<rect x="{_n(label.x - x)}" y="{_n(label.y - y)}" width="{_n(label.width)}" height="{_n(label.height)}" '
        f'rx="5" fill="{PAPER}" stroke="{colour}" stroke-width="{2 if pointed else 1}"/>'
        f'<text class="fp-stand-name" x="{_n(text_x)}" y="{_n(STAND_NAME_SIZE * 0.36)}" '
        f'text-anchor="{"end" if left else "start"}" font-size="{STAND_NAME_SIZE}" font-weight="bold" '
        f'fill="{INK}"{name.lang_attr}>{escape(name.text)}</text>'
    )
    classes = "fp-stand" + (" fp-pointed" if pointed else "")
    at = f'transform="translate({_n(x)} {_n(y)})"'
    if drawing.editable:  # a handle named by what it shows ("3 Husbanken"), described by the keys
        return (f'<g class="{classes}" id="stand-marker-{stand.id}" {at} tabindex="0" role="button" '
                f'data-stand-id="{stand.id}" data-x="{_n(x)}" data-y="{_n(y)}" '
                f'aria-describedby="plan-editor-keys">{inner}</g>')
    if drawing.links:
        return (f'<a class="{classes}" href="{escape(url_for("stands.stand", slug=stand.slug))}" {at} '
                f'data-stand-id="{stand.id}">{inner}</a>')
    return f'<g class="{classes}" {at}>{inner}</g>'


def _here_target(plan: FloorPlan, drawing: Drawing) -> tuple[Point, float, Marker | None] | None:
    """What "Du er her" points at: ``(point, how far from it the tag keeps, the stand's marker)``."""
    marker = plan.marker_of(drawing.here)
    if marker is not None:
        return marker.at, MARKER_RADIUS, marker
    shape = next((shape for shape in plan.shapes if drawing.here_place is not None
                  and shape.location.id == drawing.here_place.id), None)
    if shape is None:
        return None
    return shape.label_at, shape.label_box.height / 2, None


def _here_box(plan: FloorPlan, at: Point, reach: float, marker: Marker | None) -> tuple[Box, str]:
    """Where the "Du er her" tag goes: above, below or beside the point, whichever covers the
    least of the names around it (above when nothing is in the way). Returns the box and the side."""
    width = text_width(_("Du er her"), HERE_SIZE, bold=True) + 28
    height = HERE_SIZE * 1.7
    x, y = at
    gap = reach + 16
    candidates = [
        (Box(x - width / 2, y - gap - height, width, height), "above"),
        (Box(x - width / 2, y + gap, width, height), "below"),
        (Box(x - gap - width, y - height / 2, width, height), "left"),
        (Box(x + gap, y - height / 2, width, height), "right"),
    ]
    blocking = obstacles(plan, marker)
    if marker is None:  # pointing at a place's name: the name itself is not in the way
        blocking = [box for box in blocking if not (box.x <= x <= box.right and box.y <= y <= box.bottom)]
    return min(candidates, key=lambda candidate: sum(_overlap(candidate[0], box) for box in blocking))


def _overlap(a: Box, b: Box) -> float:
    clipped = a.clipped(b)
    return clipped.width * clipped.height


def _here(plan: FloorPlan, at: Point, reach: float, marker: Marker | None) -> str:
    """"Du er her" in a dark tag beside the stand's marker (or the place), pointing at it."""
    box, side = _here_box(plan, at, reach, marker)
    x, y = at
    reach += 5
    pointer = {
        "above": f"M{_n(x - 10)} {_n(box.bottom - 1)}L{_n(x)} {_n(y - reach)}L{_n(x + 10)} {_n(box.bottom - 1)}Z",
        "below": f"M{_n(x - 10)} {_n(box.y + 1)}L{_n(x)} {_n(y + reach)}L{_n(x + 10)} {_n(box.y + 1)}Z",
        "left": f"M{_n(box.right - 1)} {_n(y - 10)}L{_n(x - reach)} {_n(y)}L{_n(box.right - 1)} {_n(y + 10)}Z",
        "right": f"M{_n(box.x + 1)} {_n(y - 10)}L{_n(x + reach)} {_n(y)}L{_n(box.x + 1)} {_n(y + 10)}Z",
    }[side]
    return (
        '<g class="fp-here">'
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" height="{_n(box.height)}" rx="6" fill="{INK}"/>'
        f'<path d="{pointer}" fill="{INK}"/>'
        f'<text x="{_n(box.centre[0])}" y="{_n(box.y + box.height / 2 + HERE_SIZE * 0.36)}" text-anchor="middle" '
        f'font-size="{HERE_SIZE}" font-weight="bold" fill="{PAPER}">{escape(_("Du er her"))}</text>'
        "</g>"
    )


def _bounds_ratio(shape: Shape) -> float:
    xs, ys = [x for x, _y in shape.points], [y for _x, y in shape.points]
    return (max(xs) - min(xs)) / max(1.0, max(ys) - min(ys))


def _n(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def legend(plans: list[FloorPlan]) -> list[tuple[str, str, str, str]]:
    """``(kind, label, fill, outline)`` for each kind of place the plans show, in the kinds' order."""
    from .services import kind_label

    shown = {shape.location.kind for plan in plans for shape in plan.shapes}
    return [(kind, kind_label(kind), *KIND_STYLES[kind]) for kind in KIND_STYLES if kind in shown]
