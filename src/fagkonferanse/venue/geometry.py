"""Shapes on a floor plan: outlines as points in plan units, and the rules they follow.

A place's outline is stored as SVG's own ``points`` syntax ("x,y x,y …"), so the database, the
editor's hidden field and the rendered ``<polygon>`` all read the same text, and an organiser
without the drawing editor can type it. A rectangle is four points; a plan unit is whatever the
floor's width and height say (1000 across by default), so a drawing can be any size.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

Point = tuple[float, float]

MAX_POINTS = 200  # a room is a handful; more is a pasted path, not a place
NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)"
PAIR = re.compile(rf"^({NUMBER}),({NUMBER})$")


class OutlineError(ValueError):
    """An outline that cannot be a place on the plan: ``reason`` is one of "unreadable" (with the
    ``token`` that was not a point), "too few", "too many", "outside" and "flat"; the service
    turns it into the organiser's words."""

    def __init__(self, reason: str, token: str = ""):
        super().__init__(reason, token)
        self.reason, self.token = reason, token


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: the bounds of a shape, or a plan's visible area."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def grown(self, margin: float) -> Box:
        return Box(self.x - margin, self.y - margin, self.width + 2 * margin, self.height + 2 * margin)

    def union(self, other: Box) -> Box:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Box(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)

    def clipped(self, bounds: Box) -> Box:
        x, y = max(self.x, bounds.x), max(self.y, bounds.y)
        return Box(x, y, max(0.0, min(self.right, bounds.right) - x), max(0.0, min(self.bottom, bounds.bottom) - y))


def parse_points(text: str) -> list[Point]:
    """"10,20 110,20 110,80" → [(10, 20), (110, 20), (110, 80)]; OutlineError on anything else.

    Pairs are separated by spaces (or new lines), x and y by a comma; that is what SVG writes and
    what the editor's field shows.
    """
    tokens = re.sub(r"\s*,\s*", ",", text.strip()).split()
    points = []
    for token in tokens:
        match = PAIR.match(token)
        if match is None:
            raise OutlineError("unreadable", token[:40])
        x, y = float(match.group(1)), float(match.group(2))
        if not (math.isfinite(x) and math.isfinite(y)):
            raise OutlineError("unreadable", token[:40])
        points.append((x, y))
    return points


def format_points(points: list[Point]) -> str:
    """The points as stored and drawn: whole numbers where they are whole, one decimal otherwise."""
    return " ".join(f"{_number(x)},{_number(y)}" for x, y in points)


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def rectangle(x: float, y: float, width: float, height: float) -> list[Point]:
    """A rectangle's four corners, clockwise from the top left."""
    return [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]


def check_outline(points: list[Point], width: float, height: float) -> list[Point]:
    """The outline if it can be a place on a ``width`` × ``height`` plan; OutlineError otherwise.

    Three points at least and not too many, every point on the plan, and an area (three points
    on a line are not a room). Repeated consecutive points (a double click) are dropped.
    """
    cleaned = [point for index, point in enumerate(points) if index == 0 or point != points[index - 1]]
    if len(cleaned) > 1 and cleaned[0] == cleaned[-1]:
        cleaned.pop()  # a closed path repeats its first point
    if len(cleaned) < 3:
        raise OutlineError("too few")
    if len(cleaned) > MAX_POINTS:
        raise OutlineError("too many")
    if any(not (0 <= x <= width and 0 <= y <= height) for x, y in cleaned):
        raise OutlineError("outside")
    if area(cleaned) < 1:
        raise OutlineError("flat")
    return cleaned


def area(points: list[Point]) -> float:
    """The polygon's area (shoelace formula), whichever way it winds."""
    return abs(_signed_area(points))


def _signed_area(points: list[Point]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        total += x1 * y2 - x2 * y1
    return total / 2


def bounds(points: list[Point]) -> Box:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def contains(points: list[Point], point: Point) -> bool:
    """Whether ``point`` lies inside the polygon or on its edge (ray casting, edges included)."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        if _on_segment((x1, y1), (x2, y2), point):
            return True
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _on_segment(a: Point, b: Point, p: Point) -> bool:
    cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    if abs(cross) > 1e-9 * max(1.0, abs(b[0] - a[0]) + abs(b[1] - a[1])):
        return False
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def label_point(points: list[Point]) -> Point:
    """Where a shape's name goes: its centroid, or — for an L or a U whose centroid lies outside —
    the middle of the widest inside stretch of the horizontal line through the centroid."""
    signed = _signed_area(points)
    box = bounds(points)
    if abs(signed) < 1e-9:
        return box.centre
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    centroid = (cx / (6 * signed), cy / (6 * signed))
    if contains(points, centroid):
        return centroid
    for y in (centroid[1], box.centre[1], box.y + box.height / 4, box.y + 3 * box.height / 4):
        stretch = _widest_stretch(points, y)
        if stretch is not None:
            return ((stretch[0] + stretch[1]) / 2, y)
    return box.centre


def _widest_stretch(points: list[Point], y: float) -> tuple[float, float] | None:
    crossings = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1])
        if (y1 > y) != (y2 > y)
    )
    pairs = list(zip(crossings[::2], crossings[1::2]))
    return max(pairs, key=lambda pair: pair[1] - pair[0]) if pairs else None


def innermost(shapes: list[tuple[object, list[Point]]], point: Point) -> object | None:
    """Of ``(key, outline)`` pairs, the key of the smallest outline holding ``point`` (a stand
    dropped in a room inside a hall is in the room), or None."""
    holding = [(area(outline), index, key) for index, (key, outline) in enumerate(shapes)
               if outline and contains(outline, point)]
    return min(holding)[2] if holding else None
