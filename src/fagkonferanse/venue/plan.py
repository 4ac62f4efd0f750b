"""A floor's plan as plain data: its shapes, its stands' markers and the area a picture shows.

Every picture of the plan — the public page, a stand's page, the posters, the hall screens and
the booklet — is drawn from :func:`building_plans` by :mod:`.plan_svg`, so none of them can show
a stand somewhere the others do not. All floors of a building share one frame, so the stairs
are in the same spot on every floor's picture.

A floor whose places are not drawn yet still gets a picture: its places laid out as boxes in a
row, marked as schematic, as the plan looked before there were drawings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from ..content import Localized, localized
from ..events.models import Event
from ..extensions import db
from ..printing.fit import widths
from ..stands.models import Stand
from ..text import slugify
from . import geometry
from .geometry import Box, Point
from .models import DEFAULT_PLAN_HEIGHT, DEFAULT_PLAN_WIDTH, Floor, Location

# Sizes in plan units. The smallest text is SMALLEST_TEXT: pages never show it under 12 CSS px.
LABEL_SIZE = 20
STAND_NAME_SIZE = 20
NUMBER_SIZE = 16
SMALLEST_TEXT = 16
LINE_HEIGHT = 1.2
MARKER_RADIUS = 15
MARKER_SPACING = 46
ROW_SPACING = 230  # markers side by side in a low corridor: room for a name between them
STAIR_LINK_STEP = SMALLEST_TEXT * 1.8
MARGIN = 16
# Boxes for places that are not drawn, when none on the floor is.
AUTO_WIDTH, AUTO_HEIGHT, AUTO_GAP, AUTO_COLUMNS = 300, 150, 24, 3


@dataclass(frozen=True)
class Shape:
    """A place as the plan draws it: its outline and its name, wrapped to fit, centred on ``label_at``."""

    location: Location
    name: Localized
    points: list[Point]
    label_at: Point
    label_lines: tuple[str, ...]
    drawn: bool  # False: a box laid out for a floor without drawings

    @property
    def box(self) -> Box:
        return geometry.bounds(self.points)

    @property
    def label_box(self) -> Box:
        width = max((text_width(line, LABEL_SIZE, bold=True) for line in self.label_lines), default=0)
        height = len(self.label_lines) * LABEL_SIZE * LINE_HEIGHT
        return Box(self.label_at[0] - width / 2, self.label_at[1] - height / 2, width, height)


@dataclass(frozen=True)
class Marker:
    """A stand's marker: its number on the plan (the same in every list), where it stands, and
    the box of its name beside it."""

    stand: Stand
    number: int
    at: Point
    placed: bool  # True: an organiser put it there; False: in its place, under the place's name
    label: Box


@dataclass(frozen=True)
class StairLink:
    """"↑ 2. etg" in a stairway: the floor it leads to and where its text's baseline is."""

    number: int
    up: bool
    at: Point


@dataclass
class FloorPlan:
    """One floor of one building, ready to draw."""

    building: str
    number: int
    floor: Floor | None
    shapes: list[Shape] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    undrawn: list[Location] = field(default_factory=list)  # places with stands, not on the drawing
    above: int | None = None  # the next floor up and down that the stairs lead to
    below: int | None = None
    frame: Box | None = None  # what a picture of the floor shows (all of an uploaded drawing)

    @property
    def width(self) -> int:
        return self.floor.width if self.floor else DEFAULT_PLAN_WIDTH

    @property
    def height(self) -> int:
        return self.floor.height if self.floor else DEFAULT_PLAN_HEIGHT

    @property
    def image(self):
        return self.floor.image if self.floor else None

    @property
    def schematic(self) -> bool:
        """Said on the page: a sketch, or boxes laid out because nothing is drawn yet."""
        return (self.floor is not None and self.floor.schematic) or any(not shape.drawn for shape in self.shapes)

    @property
    def anchor(self) -> str:
        """The floor's id on the plan page: stairs and floor tabs link to it."""
        return floor_anchor(self.building, self.number)

    @property
    def has_stairs(self) -> bool:
        return any(shape.location.kind == "stairway" for shape in self.shapes)

    def marker_of(self, stand: Stand | None) -> Marker | None:
        return next((marker for marker in self.markers if stand is not None and marker.stand.id == stand.id), None)

    def stair_links(self, shape: Shape) -> list[StairLink]:
        """The links a stairway shows, stacked at its bottom: up first."""
        if shape.location.kind != "stairway":
            return []
        targets = [(number, up) for number, up in ((self.above, True), (self.below, False)) if number is not None]
        box = shape.box
        x = shape.label_at[0]
        bottom = box.bottom - 10
        return [StairLink(number, up, (x, bottom - (len(targets) - 1 - index) * STAIR_LINK_STEP))
                for index, (number, up) in enumerate(targets)]


def floor_anchor(building: str, number: int) -> str:
    """"etasje-h-bygget-2", "etasje-h-bygget-minus-1": a floor's id on the plan page."""
    return f"etasje-{slugify(building, 40)}-{number if number >= 0 else f'minus-{-number}'}"


def building_plans(event: Event, language: str | None = None, stand_list: list[Stand] | None = None) -> list[FloorPlan]:
    """Every floor of the event that has a place or a plan, by building and from the ground up,
    with place names in ``language`` (the page's); ``stand_list`` is the event's stands if the
    caller has them already (in the order of :func:`..stands.services.stands`)."""
    places = list(db.session.scalars(db.select(Location).where(Location.event_id == event.id)
                                     .order_by(Location.building, Location.floor, Location.name)))
    floors = {(floor.building, floor.number): floor for floor in db.session.scalars(
        db.select(Floor).where(Floor.event_id == event.id).options(selectinload(Floor.image)))}
    stands = _stands(event) if stand_list is None else stand_list
    with_stands = {stand.location_id for stand in stands if stand.location_id is not None}
    plans = []
    for building, number in sorted(set(floors) | {(place.building, place.floor) for place in places}):
        plan = FloorPlan(building, number, floors.get((building, number)))
        _add_shapes(plan, [place for place in places if (place.building, place.floor) == (building, number)],
                    with_stands, language)
        plans.append(plan)
    _link_stairs(plans)
    for plan in plans:
        _add_markers(plan, stands)
    for plan in plans:
        plan.frame = _frame(plan)
    return plans


def plan_of_floor(plans: list[FloorPlan], location: Location | None) -> FloorPlan | None:
    """The plan of the floor ``location`` is on."""
    if location is None:
        return None
    return next((plan for plan in plans if (plan.building, plan.number) == (location.building, location.floor)), None)


def _stands(event: Event) -> list[Stand]:
    from ..stands.services import stands  # the order every page numbers stands in

    return stands(event)


def outline_points(place: Location) -> list[Point]:
    """The place's outline as points; empty when it is not drawn (or not readable)."""
    try:
        return geometry.parse_points(place.outline) if place.outline else []
    except geometry.OutlineError:  # stored by hand in the database: drawn as not drawn
        return []


def _add_shapes(plan: FloorPlan, places: list[Location], with_stands: set[int], language: str | None) -> None:
    outlines = {place.id: outline_points(place) for place in places}
    if any(outlines.values()):
        plan.shapes = [_shape(place, outlines[place.id], True, place.id in with_stands, language)
                       for place in places if outlines[place.id]]
        plan.undrawn = [place for place in places if not outlines[place.id] and place.id in with_stands]
        return
    shown = [place for place in places if place.id in with_stands] or places
    for index, place in enumerate(shown):
        row, column = divmod(index, AUTO_COLUMNS)
        box = geometry.rectangle(MARGIN + column * (AUTO_WIDTH + AUTO_GAP), MARGIN + row * (AUTO_HEIGHT + AUTO_GAP),
                                 AUTO_WIDTH, AUTO_HEIGHT)
        plan.shapes.append(_shape(place, box, False, True, language))


def _shape(place: Location, points: list[Point], drawn: bool, holds_stands: bool, language: str | None) -> Shape:
    """The place's name wrapped to its width, in its middle — or near its top when stands go
    below it."""
    box = geometry.bounds(points)
    name = localized(place, "name", language)
    lines = wrap(name.text, max(box.width - 16, 80), LABEL_SIZE)
    x, y = geometry.label_point(points)
    if holds_stands:
        top = box.y + 10 + len(lines) * LABEL_SIZE * LINE_HEIGHT / 2
        if geometry.contains(points, (x, top)) and top < y:
            y = top
    return Shape(place, name, points, (x, y), tuple(lines), drawn)


def _add_markers(plan: FloorPlan, stands: list[Stand]) -> None:
    by_place = {shape.location.id: shape for shape in plan.shapes}
    right_edge = max([plan.width if plan.image is not None else 0] + [shape.box.right for shape in plan.shapes])
    for number, stand in enumerate(stands, start=1):
        shape = by_place.get(stand.location_id)
        if shape is None:
            continue
        at, placed = _marker_point(stand, shape, plan)
        plan.markers.append(Marker(stand, number, at, placed, _name_box(stand, at, right_edge)))


def _marker_point(stand: Stand, shape: Shape, plan: FloorPlan) -> tuple[Point, bool]:
    """The stand's own position if an organiser placed it, else the next free spot in its place:
    under the place's name, one below the other, or side by side where the place is low."""
    if shape.drawn and stand.plan_x is not None and stand.plan_y is not None:
        return (stand.plan_x, stand.plan_y), True
    index = sum(1 for marker in plan.markers if marker.stand.location_id == shape.location.id and not marker.placed)
    box = shape.box
    links = plan.stair_links(shape)
    floor = links[0].at[1] - SMALLEST_TEXT * 1.2 if links else box.bottom - 4
    left = box.x + 24 + MARKER_RADIUS if box.width > 200 else box.centre[0]
    top = shape.label_box.bottom + 10 + MARKER_RADIUS
    y = top + index * MARKER_SPACING
    if y + MARKER_RADIUS <= floor:
        return (left, y), False
    y = top if top + MARKER_RADIUS <= floor else (shape.label_box.bottom + floor) / 2
    return (left + index * ROW_SPACING, y), False


def _name_box(stand: Stand, at: Point, right_edge: float) -> Box:
    """The name's box beside the marker: to its right, or to its left near the plan's right edge."""
    width = text_width(stand.organisation.name, STAND_NAME_SIZE, bold=True) + 16
    height = STAND_NAME_SIZE * 1.4
    x, y = at
    gap = MARKER_RADIUS + 8
    if x + gap + width > right_edge + 40 and x - gap - width >= 0:
        return Box(x - gap - width, y - height / 2, width, height)
    return Box(x + gap, y - height / 2, width, height)


def _link_stairs(plans: list[FloorPlan]) -> None:
    """Stairs lead to the nearest floor above and below in the same building that has stairs too."""
    for building in {plan.building for plan in plans}:
        with_stairs = sorted((plan for plan in plans if plan.building == building and plan.has_stairs),
                             key=lambda plan: plan.number)
        for lower, upper in zip(with_stairs, with_stairs[1:]):
            lower.above, upper.below = upper.number, lower.number


def obstacles(plan: FloorPlan, marker: Marker | None) -> list[Box]:
    """What a tag pointing at ``marker`` (or a place) should not cover: names, stair links and
    the other markers."""
    boxes = [shape.label_box for shape in plan.shapes]
    boxes += [Box(link.at[0] - 45, link.at[1] - SMALLEST_TEXT * 1.1, 90, SMALLEST_TEXT * 1.5)
              for shape in plan.shapes for link in plan.stair_links(shape)]
    boxes += [other.label for other in plan.markers]
    boxes += [Box(m.at[0] - MARKER_RADIUS, m.at[1] - MARKER_RADIUS, 2 * MARKER_RADIUS, 2 * MARKER_RADIUS)
              for m in plan.markers if m is not marker]
    return boxes


def _content(plan: FloorPlan) -> list[Box]:
    boxes = [shape.box for shape in plan.shapes] + [shape.label_box for shape in plan.shapes]
    boxes += [marker.label for marker in plan.markers]
    boxes += [Box(m.at[0] - MARKER_RADIUS - 4, m.at[1] - MARKER_RADIUS - 4, 2 * MARKER_RADIUS + 8,
                  2 * MARKER_RADIUS + 8) for m in plan.markers]
    if plan.image is not None:
        boxes.append(Box(0, 0, plan.width, plan.height))
    return boxes


def _frame(plan: FloorPlan) -> Box | None:
    boxes = _content(plan)
    return _union(boxes) if boxes else None


def _union(boxes: list[Box]) -> Box:
    union = boxes[0]
    for box in boxes[1:]:
        union = union.union(box)
    return union


def view_box(plan: FloorPlan, extra: list[Box]) -> Box:
    """What a picture of the floor shows: its frame and ``extra`` (a "you are here" tag), with a
    margin."""
    boxes = ([plan.frame] if plan.frame else []) + extra
    return _union(boxes or [Box(0, 0, plan.width, plan.height)]).grown(MARGIN)


# --- Text on the plan ------------------------------------------------------------------------

def text_width(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is at ``size`` in DejaVu Sans, the widest of the fonts the plan is shown in
    (the PDFs' own; phones' system fonts are narrower), so a name's box is never too short."""
    return widths("bold" if bold else "regular").text(text) * size


def wrap(text: str, width: float, size: float, bold: bool = True) -> list[str]:
    """``text`` in lines no wider than ``width`` where it has spaces to break at."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [text]
