"""Figures over time for the organisers: registrations per day, check-ins per quarter hour, stand
visits per stand and per hour. Grouped in Python, in the event's wall-clock time, so the hours
are Norwegian hours on every database."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration
from ..registration.settings import to_local
from ..stands.models import Stand
from ..stands.services import stands
from .models import CheckIn, StandVisit


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart (drawn in CSS, read as a table)."""

    label: object  # a date, a time slot or a name; the template formats it
    value: int
    share: float  # 0..1 of the largest bar, for drawing


@dataclass(frozen=True)
class HourGrid:
    """Visits per stand (rows) and hour (columns)."""

    hours: list[int]
    rows: list[tuple[Stand, list[int], int]]  # stand, counts per hour, total
    peak: int


def bars(pairs: list[tuple[Any, int]]) -> list[Bar]:
    """Labels and counts → bars scaled to the largest."""
    peak = max((value for _label, value in pairs), default=0)
    return [Bar(label, value, value / peak if peak else 0.0) for label, value in pairs]


def registrations_per_day(event: Event) -> list[tuple[dt.date, int]]:
    """How many of today's registrations were made on each day (cancelled ones included)."""
    times = db.session.scalars(db.select(Registration.created_at).where(Registration.event_id == event.id)).all()
    days = Counter(to_local(value, event).date() for value in times)
    return sorted(days.items())


def checkins_per_slot(event: Event, minutes: int = 15) -> list[tuple[dt.datetime, int]]:
    """Check-ins per ``minutes`` slot, gaps filled with zero between the first and the last."""
    times = [to_local(value, event) for value in
             db.session.scalars(db.select(CheckIn.at).where(CheckIn.event_id == event.id))]
    if not times:
        return []
    def slot(value: dt.datetime) -> dt.datetime:
        return value.replace(minute=value.minute - value.minute % minutes, second=0, microsecond=0)

    counts = Counter(slot(value) for value in times)
    first, last = min(counts), max(counts)
    result, current = [], first
    while current <= last:
        result.append((current, counts.get(current, 0)))
        current += dt.timedelta(minutes=minutes)
    return result


def visits_per_stand(event: Event) -> HourGrid:
    """Every stand of the event (unvisited ones too) with its visits per hour of the day."""
    rows = db.session.execute(
        db.select(StandVisit.stand_id, StandVisit.at).where(StandVisit.event_id == event.id)
    ).all()
    per_stand_hour = Counter((stand_id, to_local(at, event).hour) for stand_id, at in rows)
    hours = sorted({hour for _stand, hour in per_stand_hour})
    if hours:
        hours = list(range(hours[0], hours[-1] + 1))
    grid_rows = []
    for stand in stands(event):
        counts = [per_stand_hour.get((stand.id, hour), 0) for hour in hours]
        grid_rows.append((stand, counts, sum(counts)))
    grid_rows.sort(key=lambda row: -row[2])
    peak = max((count for _s, counts, _t in grid_rows for count in counts), default=0)
    return HourGrid(hours, grid_rows, peak)
