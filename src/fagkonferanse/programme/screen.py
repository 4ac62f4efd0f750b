"""What a hall screen shows: the item on now, the next two, and at lunch where the stands are.

A screen hangs in the hall or by the stands for the whole day and is read from five metres, by
people who cannot click anything. So it decides more than the programme page does: which item
is "now", which two come next, when the day is over, and the moment its content next changes by
itself (an item starting or ending), which the page's script waits for before fetching itself
again. These are plain functions over the public programme's items (no request, no database),
so the tests call them directly; the views in :mod:`.screen_views` only load and render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..events.phase import OVER, Day
from ..text import slugify
from ..venue.models import Location
from .services import PublicItem

UPCOMING = 2  # "the next two items": more cannot be read from the back of the hall
LUNCH_KIND = "stands"  # "Lunsj og stands": the screen shows where the stands are


@dataclass(frozen=True)
class ScreenState:
    """What the screen shows at one moment.

    ``now`` holds the items running (several when sessions run in parallel rooms);
    ``called_off`` the cancelled items whose time it is, shown struck through so nobody waits
    for them; ``upcoming`` the next two held items, with any cancelled item before the second
    of them struck through among them. ``changes_at`` is the next moment any of it changes by
    itself, None when nothing will.
    """

    phase: str
    ended_today: bool
    first_start: dt.datetime | None
    now: tuple[PublicItem, ...]
    called_off: tuple[PublicItem, ...]
    upcoming: tuple[PublicItem, ...]
    changes_at: dt.datetime | None

    @property
    def is_lunch(self) -> bool:
        """Lunch and stands is on: the screen shows who stands where."""
        return any(item.kind == LUNCH_KIND for item in self.now)


def screen_state(items: Sequence[PublicItem], day: Day, date: dt.date) -> ScreenState:
    """The screen for ``items`` (the programme, or one place's part of it) at ``day.now``.

    ``day`` is the whole conference's phase: a room's screen says the day is over when the
    conference's day is, not when that room's last talk ends. An item without an end (the
    closing words) runs until the day ends.
    """
    moment = day.now
    on_the_day = moment.date() == date and day.phase != OVER
    running = [item for item in items if on_the_day and item.start <= moment < (item.end or day.day_end)]
    later = sorted((item for item in items if item.start > moment and day.phase != OVER),
                   key=lambda item: (item.start, item.id))
    return ScreenState(
        phase=day.phase, ended_today=day.ended_today, first_start=day.first_start,
        now=tuple(item for item in running if not item.cancelled),
        called_off=tuple(item for item in running if item.cancelled),
        upcoming=_next_held(later, UPCOMING),
        changes_at=next_change(items, day, date),
    )


def _next_held(later: Iterable[PublicItem], count: int) -> tuple[PublicItem, ...]:
    """The first ``count`` items that are held, and the cancelled ones before the last of them."""
    chosen: list[PublicItem] = []
    held = 0
    for item in later:
        if held == count:
            break
        chosen.append(item)
        held += not item.cancelled
    while chosen and chosen[-1].cancelled:  # a cancelled item after the last held one is not "next"
        chosen.pop()
    return tuple(chosen)


def next_change(items: Sequence[PublicItem], day: Day, date: dt.date) -> dt.datetime | None:
    """The next moment after ``day.now`` at which the screen changes without anyone editing.

    Every start and end of an item, the end of the day, and midnight before the conference's
    date ("Programmet starter onsdag 9. november" becomes "Programmet starter kl. 08.30").
    """
    moments = [moment for item in items for moment in (item.start, item.end) if moment is not None]
    moments += [day.day_end, dt.datetime.combine(date, dt.time())]
    if day.first_start is not None:
        moments.append(day.first_start)
    later = [moment for moment in moments if moment > day.now]
    return min(later) if later else None


def seconds_until(moment: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole seconds from ``now`` until just after ``moment``: how long a rendered screen holds."""
    if moment is None:
        return None
    return max(1, int((moment - now).total_seconds()) + 1)


# --- Places ---------------------------------------------------------------------------------------


def place_key(location: Location) -> str:
    """The name of a place in a screen's address: /screen/h-113."""
    return slugify(location.name)


def find_place(locations: Iterable[Location], key: str) -> Location | None:
    """The location ``key`` names: its id ("3") or its name as in :func:`place_key` ("h-113")."""
    for location in locations:
        if key == str(location.id) or key == place_key(location):
            return location
    return None


def items_at(items: Iterable[PublicItem], location_id: int) -> tuple[PublicItem, ...]:
    """The items held at one place, and those without a place: lunch and the closing words are
    for everyone, so every room's screen shows them."""
    return tuple(item for item in items if item.location is None or item.location.id == location_id)


# --- Stands at lunch ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandSpot:
    """One stand as the lunch screen lists it: who, and where on the floor."""

    organisation: str
    place: str
    place_en: str


@dataclass(frozen=True)
class FloorStands:
    floor: int
    stands: tuple[StandSpot, ...]


def stands_by_floor(stands: Iterable) -> tuple[FloorStands, ...]:
    """The stands grouped by floor from the ground up, as :func:`..stands.services.stands` orders them.

    A stand without a place yet is left out: the screen is there to help people find them.
    """
    floors: dict[int, list[StandSpot]] = {}
    for stand in stands:
        if stand.location is None:
            continue
        floors.setdefault(stand.location.floor, []).append(
            StandSpot(stand.organisation.name, stand.location.name, stand.location.name_en))
    return tuple(FloorStands(floor, tuple(spots)) for floor, spots in sorted(floors.items()))

