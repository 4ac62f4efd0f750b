"""Parallel sessions: items that run at the same time, shown side by side by place.

2016 had one room, so its programme is a single list. A conference with parallel tracks needs
the reader to see at a glance what they must choose between: items whose times overlap
(:func:`~.rules.overlaps`, half-open intervals) are gathered into a *time slot*, and each slot
holds one column per place. The page shows the slots as a grid on a desktop (one column per
place, the places as column headings) and grouped by time on a phone (CSS only, the same HTML).

A slot is a chain of overlaps in time order: 10.00–11.00 in Sal A, 10.30–11.30 in Sal B and
11.00–12.00 in Sal A make one slot from 10.00 to 12.00 with two items in Sal A's column. A day
where nothing overlaps has no slots, and its programme is the single list it always was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .rules import Slot as RuleSlot
from .rules import overlaps


@dataclass(frozen=True)
class TimeSlot:
    """Items that overlap in a chain, in time order (then by place), each with its column: the
    1-based position of its place in the day's grid (:attr:`ProgrammeLayout.places`).

    Time order is the reading order, on a phone and for a screen reader; the column only places
    an item on a desktop.
    """

    start: dt.datetime
    end: dt.datetime | None
    placed: tuple[tuple[Any, int], ...]


@dataclass(frozen=True)
class ProgrammeLayout:
    """The day as rows: an item on its own (everyone's: a plenary talk, lunch) or a time slot.

    ``places`` are the grid's columns: every place that has an item in some slot, in the order
    the places were created (the dataset's order), with ``None`` — items without a place — last.
    """

    rows: tuple[Any, ...]
    places: tuple[Any, ...]

    @property
    def is_parallel(self) -> bool:
        """Whether anything runs side by side; if not, the programme is a plain list."""
        return bool(self.places)


def programme_layout(items: Sequence[Any]) -> ProgrammeLayout:
    """Group time-ordered programme items (``PublicItem`` or rows) into rows and time slots."""
    groups: list[list[Any]] = []
    for item in items:
        if groups and any(overlaps(_slot(item), _slot(other)) for other in groups[-1]):
            groups[-1].append(item)
        else:
            groups.append([item])
    places = _places_of([item for group in groups if len(group) > 1 for item in group])
    rows = tuple(group[0] if len(group) == 1 else _time_slot(group, places) for group in groups)
    return ProgrammeLayout(rows, places)


def _slot(item: Any) -> RuleSlot:
    return RuleSlot(item.id, item.title, item.start, item.end)


def _places_of(items: list[Any]) -> tuple[Any, ...]:
    found = {item.location.id: item.location for item in items if item.location is not None}
    places: list[Any] = [found[key] for key in sorted(found)]
    if any(item.location is None for item in items):
        places.append(None)
    return tuple(places)


def _place_key(place: Any) -> int | None:
    return None if place is None else place.id


def _time_slot(group: list[Any], places: tuple[Any, ...]) -> TimeSlot:
    column_of = {_place_key(place): number for number, place in enumerate(places, start=1)}
    placed = sorted(((item, column_of[_place_key(item.location)]) for item in group),
                    key=lambda entry: (entry[0].start, entry[1]))
    ends = [item.end for item in group if item.end is not None]
    return TimeSlot(min(item.start for item in group), max(ends) if ends else None, tuple(placed))
