"""Changing floor plans: a floor's drawing and size, the places' shapes, where stands stand.

The rules, for the editor and every other caller:

* A shape lies on its floor's plan (every point inside ``0…width × 0…height``), has three
  points at least and an area; it belongs to a place on that floor.
* A stand is placed at a point on the plan of its floor. Dropped inside a drawn place, it moves
  to that place (the smallest one, when places nest); dropped outside every place, it keeps its
  place if that is on this floor, and is refused otherwise — a stand is always somewhere.
* A floor is resized only so that every shape and stand stays on it. An uploaded drawing sets
  the plan's proportions (its height follows the width).

Every change is written to the audit log, in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..audit.services import diff, record
from ..events.models import Event
from ..extensions import db
from ..stands.models import Stand
from ..uploads.images import copy_image, store_image
from . import geometry
from .models import Floor, Location
from .plan import outline_points

ENTITY = "floor"
MIN_SIZE, MAX_SIZE = 100, 10000


class PlanError(ValueError):
    """A change the plan's rules refuse; the message is for the organiser."""


@dataclass(frozen=True)
class FloorSettings:
    """What the floor form asks for."""

    width: int
    height: int
    schematic: bool
    note: str = ""
    note_en: str = ""


def floors(event: Event) -> list[Floor]:
    """The event's floors by building, from the ground up."""
    return list(db.session.scalars(db.select(Floor).where(Floor.event_id == event.id)
                                   .order_by(Floor.building, Floor.number)))


def ensure_floor(event: Event, building: str, number: int) -> Floor:
    """The floor a place is on, made when it is the first place there."""
    found = db.session.scalar(db.select(Floor).where(Floor.event_id == event.id, Floor.building == building,
                                                     Floor.number == number))
    if found is None:
        found = Floor(event_id=event.id, building=building, number=number, width=1000, height=600,
                      schematic=False, note="", note_en="")
        db.session.add(found)
        db.session.flush()
    return found


def places_on(floor: Floor) -> list[Location]:
    """The places on a floor, by name."""
    return list(db.session.scalars(db.select(Location).where(
        Location.event_id == floor.event_id, Location.building == floor.building, Location.floor == floor.number)
        .order_by(Location.name)))


def stands_on(floor: Floor) -> list[Stand]:
    """The stands whose place is on this floor, by organisation."""
    found = db.session.scalars(db.select(Stand).join(Stand.location).where(
        Location.event_id == floor.event_id, Location.building == floor.building, Location.floor == floor.number))
    return sorted(found, key=lambda stand: stand.organisation.name.casefold())


# --- Shapes -------------------------------------------------------------------------------------------


def outline_message(error: geometry.OutlineError, floor: Floor) -> str:
    """What an organiser reads when a typed or drawn outline is refused."""
    if error.reason == "unreadable":
        return _("«%(token)s» er ikke et punkt. Skriv punktene som x,y med mellomrom mellom, for eksempel "
                 "«10,20 200,20 200,120 10,120».", token=error.token)
    if error.reason == "too few":
        return _("En form trenger minst tre punkter.")
    if error.reason == "too many":
        return _("En form kan ha høyst %(count)s punkter.", count=geometry.MAX_POINTS)
    if error.reason == "outside":
        return _("Alle punktene må ligge på planen: x fra 0 til %(width)s og y fra 0 til %(height)s.",
                 width=floor.width, height=floor.height)
    return _("Punktene ligger på en linje: formen har ikke noe areal.")


def save_outline(event: Event, floor: Floor, location: Location, text: str) -> Location:
    """Give a place on ``floor`` its shape from points as typed or drawn; PlanError if refused."""
    if (location.event_id, location.building, location.floor) != (event.id, floor.building, floor.number):
        raise PlanError(_("%(name)s er ikke i denne etasjen.", name=location.name))
    try:
        points = geometry.check_outline(geometry.parse_points(text), floor.width, floor.height)
    except geometry.OutlineError as error:
        raise PlanError(outline_message(error, floor)) from error
    before = location.outline
    location.outline = geometry.format_points(points)
    if before != location.outline:
        record("update", "location", location.id, _("Tegnet %(name)s på planen", name=location.name),
               {_("form"): [before, location.outline]}, event_id=event.id)
    return location


def clear_outline(event: Event, location: Location) -> None:
    """Take a place off the drawing (it stays a place); its stands go back to its middle."""
    if not location.outline:
        return
    record("update", "location", location.id, _("Tok %(name)s av planen", name=location.name),
           {_("form"): [location.outline, ""]}, event_id=event.id)
    location.outline = ""
    for stand in db.session.scalars(db.select(Stand).where(Stand.location_id == location.id)):
        stand.plan_x = stand.plan_y = None


# --- Stands -------------------------------------------------------------------------------------------


def place_stand(event: Event, floor: Floor, stand: Stand, x: float, y: float) -> Stand:
    """Put a stand's marker at (x, y) on ``floor``, moving it to the place it lands in."""
    if stand.event_id != event.id or floor.event_id != event.id:
        raise PlanError(_("Standen hører ikke til denne konferansen."))
    if not (0 <= x <= floor.width and 0 <= y <= floor.height):
        raise PlanError(_("Plasseringen må være på planen: x fra 0 til %(width)s og y fra 0 til %(height)s.",
                          width=floor.width, height=floor.height))
    shapes = [(place, outline_points(place)) for place in places_on(floor)]
    landed = geometry.innermost(shapes, (x, y))
    on_this_floor = stand.location is not None and (stand.location.building, stand.location.floor) == (
        floor.building, floor.number)
    if landed is None and not on_this_floor:
        raise PlanError(_("Legg standen inne i et av stedene på planen, eller velg standplass i skjemaet."))
    before = _position(stand)
    if landed is not None:
        stand.location = landed
    stand.plan_x, stand.plan_y = round(x, 1), round(y, 1)
    record("update", "stand", stand.id, _("Flyttet standen til %(name)s på planen", name=stand.organisation.name),
           diff(before, _position(stand)), event_id=event.id)
    return stand


def clear_position(event: Event, stand: Stand) -> None:
    """Let the plan place the stand again (in the middle of its place)."""
    before = _position(stand)
    stand.plan_x = stand.plan_y = None
    record("update", "stand", stand.id, _("Standen til %(name)s står midt på plassen sin igjen",
                                          name=stand.organisation.name), diff(before, _position(stand)),
           event_id=event.id)


def _position(stand: Stand) -> dict[str, str]:
    where = "" if stand.plan_x is None else f"{stand.plan_x:g}, {stand.plan_y:g}"
    return {_("standplass"): stand.location.name if stand.location else "", _("plassering"): where}


# --- Floors -------------------------------------------------------------------------------------------


def save_floor_settings(event: Event, floor: Floor, settings: FloorSettings) -> Floor:
    """Size, "schematic" and the note; a size that would leave a shape or a stand off the plan is refused."""
    if not (MIN_SIZE <= settings.width <= MAX_SIZE and MIN_SIZE <= settings.height <= MAX_SIZE):
        raise PlanError(_("Bredde og høyde må være fra %(least)s til %(most)s.", least=MIN_SIZE, most=MAX_SIZE))
    off = off_the_plan(floor, settings.width, settings.height)
    if off:
        raise PlanError(_("Så liten blir planen for liten for %(names)s. Flytt dem først, eller velg en større plan.",
                          names=", ".join(off)))
    before = _snapshot(floor)
    floor.width, floor.height, floor.schematic = settings.width, settings.height, settings.schematic
    floor.note, floor.note_en = settings.note, settings.note_en
    _record(event, floor, before)
    return floor


def off_the_plan(floor: Floor, width: float, height: float) -> list[str]:
    """The places and stands of ``floor`` that would not fit a ``width`` × ``height`` plan."""
    names = []
    for place in places_on(floor):
        if outline_points(place):
            box = geometry.bounds(outline_points(place))
            if box.right > width or box.bottom > height:
                names.append(place.name)
    for stand in stands_on(floor):
        if stand.plan_x is not None and (stand.plan_x > width or stand.plan_y > height):
            names.append(stand.organisation.name)
    return names


def set_floor_image(event: Event, floor: Floor, raw: bytes) -> list[str]:
    """Put an uploaded drawing under the floor's shapes (ImageRefused if it is not one).

    The plan takes the drawing's proportions: the width stays, the height follows. Returns the
    places and stands that now lie off the plan, for the organiser to redraw.
    """
    image = store_image(raw)
    db.session.flush()
    before = _snapshot(floor)
    floor.image = image
    floor.height = max(MIN_SIZE, min(MAX_SIZE, round(floor.width * image.height / image.width)))
    _record(event, floor, before)
    return off_the_plan(floor, floor.width, floor.height)


def remove_floor_image(event: Event, floor: Floor) -> None:
    """Take the uploaded drawing away; the shapes stay."""
    if floor.image is None:
        return
    before = _snapshot(floor)
    old = floor.image
    floor.image = None
    db.session.delete(old)
    _record(event, floor, before)


def _snapshot(floor: Floor) -> dict[str, str]:
    return {
        _("størrelse"): f"{floor.width} × {floor.height}",
        _("tegning"): f"{floor.image.content_type} {floor.image.width} × {floor.image.height}" if floor.image else "",
        _("skjematisk"): _("ja") if floor.schematic else _("nei"),
        _("merknad"): floor.note,
        _("merknad (engelsk)"): floor.note_en,
    }


def _record(event: Event, floor: Floor, before: dict[str, str]) -> None:
    changes = diff(before, _snapshot(floor))
    if changes:
        record("update", ENTITY, floor.id, _("Endret planen for %(floor)s. etasje i %(building)s",
                                             floor=floor.number, building=floor.building), changes, event_id=event.id)


# --- A new conference from an old one ----------------------------------------------------------------


def copy_venue(source: Event, target: Event) -> dict[int, Location]:
    """Copy the building — floors with their drawings, places with their shapes — to another
    event; returns the new place for each old place's id, for copying stands and programme."""
    for floor in floors(source):
        db.session.add(Floor(event_id=target.id, building=floor.building, number=floor.number, width=floor.width,
                             height=floor.height, image=copy_image(floor.image), schematic=floor.schematic,
                             note=floor.note, note_en=floor.note_en))
    copies = {}
    for place in db.session.scalars(db.select(Location).where(Location.event_id == source.id)):
        copies[place.id] = Location(event_id=target.id, building=place.building, floor=place.floor, name=place.name,
                                    name_en=place.name_en, kind=place.kind, description=place.description,
                                    outline=place.outline)
        db.session.add(copies[place.id])
    db.session.flush()
    return copies
