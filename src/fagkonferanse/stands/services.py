"""Stands of an event and a schematic floor plan of where they are."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from ..collation import sort_key
from ..events.models import Event
from ..extensions import db
from ..venue.models import Location
from .models import Stand


def stands(event: Event) -> list[Stand]:
    """The event's stands, floor by floor from the ground up, then by location name."""
    rows = db.session.scalars(
        db.select(Stand)
        .where(Stand.event_id == event.id)
        .options(selectinload(Stand.organisation), selectinload(Stand.location))
    ).all()
    return sorted(rows, key=lambda s: (s.location.floor if s.location else 99,
                                       sort_key(s.location.name if s.location else ""), sort_key(s.organisation.name)))


def stand_by_slug(event: Event, slug: str) -> Stand | None:
    return db.session.scalar(db.select(Stand).where(Stand.event_id == event.id, Stand.slug == slug))


# --- Floor plan ---------------------------------------------------------------------------------

PLAN_WIDTH = 760
FLOOR_HEIGHT = 96
LABEL_WIDTH = 84
GAP = 12


@dataclass
class PlacedLocation:
    location: Location
    x: int
    y: int
    width: int
    height: int
    stands: list[Stand] = field(default_factory=list)


@dataclass
class PlanFloor:
    number: int
    y: int
    locations: list[PlacedLocation]


@dataclass
class FloorPlan:
    building: str
    width: int
    height: int
    floors: list[PlanFloor]


def floor_plan(event: Event, stand_list: list[Stand]) -> FloorPlan:
    """A schematic section of the building: one band per floor, top floor first.

    Only locations that hold a stand are drawn, side by side in their floor's band; the plan
    shows where to go, not the building's real geometry.
    """
    by_location: dict[int, PlacedLocation] = {}
    floors: dict[int, list[PlacedLocation]] = {}
    for stand in stand_list:
        if stand.location is None:
            continue
        placed = by_location.get(stand.location.id)
        if placed is None:
            placed = by_location[stand.location.id] = PlacedLocation(stand.location, 0, 0, 0, 0)
            floors.setdefault(stand.location.floor, []).append(placed)
        placed.stands.append(stand)
    numbers = sorted(floors, reverse=True)
    plan_floors = []
    for row, number in enumerate(numbers):
        y = row * FLOOR_HEIGHT
        places = sorted(floors[number], key=lambda p: p.location.name)
        width = (PLAN_WIDTH - LABEL_WIDTH - GAP * (len(places) + 1)) // len(places)
        for column, place in enumerate(places):
            place.x = LABEL_WIDTH + GAP + column * (width + GAP)
            place.y = y + GAP
            place.width = width
            place.height = FLOOR_HEIGHT - 2 * GAP
        plan_floors.append(PlanFloor(number, y, places))
    return FloorPlan(event.building, PLAN_WIDTH, max(1, len(numbers)) * FLOOR_HEIGHT, plan_floors)
