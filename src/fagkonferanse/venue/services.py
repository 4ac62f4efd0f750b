"""Reading and changing the venue's locations, with audit entries.

SQLite does not enforce ``ON DELETE SET NULL`` unless asked to, so deleting a location clears the
items and stands placed there explicitly: the result is the same on every database.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..audit.services import diff, record
from ..collation import sort_key
from ..events.models import Event
from ..extensions import db
from ..programme.models import ProgrammeItem
from ..stands.models import Stand
from .models import Location
from .plan_editing import ensure_floor

ENTITY = "location"

LOCATION_KIND_LABELS = {
    "room": _l("Rom"),
    "hall": _l("Sal eller aula"),
    "corridor": _l("Gang"),
    "stairway": _l("Trappegang"),
    "lift": _l("Heis"),
    "entrance": _l("Inngang"),
    "toilet": _l("Toalett"),
    "coffee_bar": _l("Kaffebar"),
    "area": _l("Område"),
}


class DuplicateName(ValueError):
    """Another location of the event already has this name."""


@dataclass(frozen=True)
class LocationDetails:
    """What the location form asks for."""

    name: str
    building: str
    floor: int
    kind: str
    description: str = ""
    name_en: str = ""  # optional: empty shows the Norwegian name on English pages


@dataclass(frozen=True)
class Usage:
    """What is placed at a location: shown before it is deleted."""

    items: list[ProgrammeItem]
    stands: list[Stand]


def locations(event: Event) -> list[Location]:
    """The event's locations by building, floor (ground up) and name (Norwegian order)."""
    rows = db.session.scalars(db.select(Location).where(Location.event_id == event.id))
    return sorted(rows, key=lambda place: (sort_key(place.building), place.floor, sort_key(place.name)))


def usage(location: Location) -> Usage:
    """The items and stands at a location, shown on the list and before a delete."""
    items = db.session.scalars(
        db.select(ProgrammeItem).where(ProgrammeItem.location_id == location.id).order_by(ProgrammeItem.start))
    stands = db.session.scalars(db.select(Stand).where(Stand.location_id == location.id))
    return Usage(list(items), list(stands))


def save_location(event: Event, location: Location | None, details: LocationDetails) -> Location:
    """Create or update a location; raises :class:`DuplicateName` instead of a database error."""
    # Compared in Python: SQLite's lower() folds only A–Z, so "Øvre sal" would miss "øvre sal".
    clash = next((place for place in db.session.scalars(db.select(Location).where(Location.event_id == event.id))
                  if place.name.casefold() == details.name.casefold()), None)
    if clash is not None and clash is not location:
        raise DuplicateName(_("Det finnes allerede et sted som heter «%(name)s».", name=clash.name))
    before = snapshot(location) if location is not None else {}
    if location is None:
        location = Location(event_id=event.id, outline="")
        db.session.add(location)
    elif (location.building, location.floor) != (details.building, details.floor) and location.outline:
        # Another floor's plan: the shape drawn on this one means nothing there.
        location.outline = ""
        for stand in usage(location).stands:
            stand.plan_x = stand.plan_y = None
    location.name, location.building, location.floor = details.name, details.building, details.floor
    location.name_en = details.name_en
    location.kind, location.description = details.kind, details.description
    db.session.flush()
    ensure_floor(event, location.building, location.floor)
    summary = (_("Endret stedet %(name)s", name=location.name) if before
               else _("La til stedet %(name)s", name=location.name))
    record("update" if before else "create", ENTITY, location.id, summary, diff(before, snapshot(location)),
           event_id=event.id)
    return location


def delete_location(event: Event, location: Location) -> Usage:
    """Remove a location; what was there stays, without a place (and is returned)."""
    placed = usage(location)
    for item in placed.items:
        item.location = None  # a new version too: an open edit form of the item is now stale
    for stand in placed.stands:
        stand.location = None
        stand.plan_x = stand.plan_y = None
    changes = diff({}, snapshot(location))
    unplaced = [f"«{item.title}»" for item in placed.items] + [stand.organisation.name for stand in placed.stands]
    if unplaced:
        changes[_("uten sted nå")] = ["", ", ".join(unplaced)]
    record("delete", ENTITY, location.id, _("Slettet stedet %(name)s", name=location.name), changes,
           event_id=event.id)
    db.session.delete(location)
    return placed


def kind_label(kind: str) -> str:
    """The label of a location kind; an unknown code shows as itself."""
    return str(LOCATION_KIND_LABELS.get(kind, kind))


def snapshot(location: Location) -> dict[str, str]:
    """A location as an organiser reads it, for the audit log's before/after."""
    return {
        _("navn"): location.name,
        _("navn (engelsk)"): location.name_en,
        _("bygg"): location.building,
        _("etasje"): str(location.floor),
        _("type"): kind_label(location.kind),
        _("beskrivelse"): location.description,
    }
