"""Reading the programme: the day in order and what is on now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload

from ..events.models import Event
from ..extensions import db
from .models import ProgrammeItem, Speaker


def programme_items(event: Event) -> list[ProgrammeItem]:
    """The event's items in time order (parallel items by location name)."""
    return list(
        db.session.scalars(
            db.select(ProgrammeItem)
            .where(ProgrammeItem.event_id == event.id)
            .options(selectinload(ProgrammeItem.speakers), selectinload(ProgrammeItem.organisations),
                     selectinload(ProgrammeItem.location))
            .order_by(ProgrammeItem.start, ProgrammeItem.id)
        )
    )


def speakers(event: Event) -> list[Speaker]:
    """The event's speakers by name."""
    return list(
        db.session.scalars(db.select(Speaker).where(Speaker.event_id == event.id).order_by(Speaker.name))
    )


def local_now(event: Event) -> dt.datetime:
    """The wall-clock time at the venue, naive like the programme's times."""
    return dt.datetime.now(ZoneInfo(event.timezone)).replace(tzinfo=None)


@dataclass(frozen=True)
class NowAndNext:
    now: ProgrammeItem | None
    next: ProgrammeItem | None


def now_and_next(items: list[ProgrammeItem], moment: dt.datetime) -> NowAndNext:
    """What is running at ``moment`` and what starts next; both empty on other days.

    An item without an end (the day's closing words) is "now" from its start to midnight.
    """
    if not items or items[0].start.date() != moment.date():
        return NowAndNext(None, None)
    running = [
        item for item in items
        if item.start <= moment and (item.end is None or moment < item.end)
    ]
    upcoming = [item for item in items if item.start > moment]
    return NowAndNext(running[-1] if running else None, upcoming[0] if upcoming else None)


def seconds_until_change(items: list[ProgrammeItem], moment: dt.datetime) -> int | None:
    """How long the "now and next" marker stays as it is, or None when it never changes today.

    Lets the page cache keep the programme page exactly until the next item starts or ends.
    """
    if not items or items[0].start.date() != moment.date():
        return None
    boundaries = [t for item in items for t in (item.start, item.end) if t is not None and t > moment]
    if not boundaries:
        return None
    return max(1, int((min(boundaries) - moment).total_seconds()) + 1)
