"""Reading the programme: the day in order and what is on now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.orm import selectinload

from ..events.models import Event
from ..extensions import db
from ..pagecache import request_content_version
from .models import ProgrammeItem, Speaker

PUBLIC_PROGRAMME_KEY = "fagkonferanse.public_programme"


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


@dataclass(frozen=True)
class Named:
    """What the public programme shows of a speaker or a room: its name."""

    name: str


@dataclass(frozen=True)
class PublicItem:
    """A programme item as the public programme page shows it: plain data, no database session."""

    id: int
    start: dt.datetime
    end: dt.datetime | None
    kind: str
    title: str
    description: str
    presented_by: str
    location: Named | None
    speakers: tuple[Named, ...]


def public_programme(event: Event) -> tuple[PublicItem, ...]:
    """The event's items for the public programme page, read once per content version per process.

    The page is rendered for everyone the page cache cannot serve (organisers, a visitor with a
    message waiting, the first request after an edit); its four queries were a third of that
    render. Every edit of the programme raises the content version (see pagecache), so the copy
    is exactly as fresh as a cached page.
    """
    version = request_content_version()
    kept = current_app.extensions.get(PUBLIC_PROGRAMME_KEY)
    if kept is not None and kept[:2] == (event.id, version) and version >= 0:
        return kept[2]
    items = tuple(
        PublicItem(item.id, item.start, item.end, item.kind, item.title, item.description, item.presented_by,
                   Named(item.location.name) if item.location is not None else None,
                   tuple(Named(speaker.name) for speaker in item.speakers))
        for item in programme_items(event)
    )
    current_app.extensions[PUBLIC_PROGRAMME_KEY] = (event.id, version, items)
    return items


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
    now: ProgrammeItem | PublicItem | None
    next: ProgrammeItem | PublicItem | None


def now_and_next(items: Sequence[ProgrammeItem | PublicItem], moment: dt.datetime) -> NowAndNext:
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


def seconds_until_change(items: Sequence[ProgrammeItem | PublicItem], moment: dt.datetime) -> int | None:
    """How long the "now and next" marker stays as it is, or None when it never changes today.

    Lets the page cache keep the programme page exactly until the next item starts or ends.
    """
    if not items or items[0].start.date() != moment.date():
        return None
    boundaries = [t for item in items for t in (item.start, item.end) if t is not None and t > moment]
    if not boundaries:
        return None
    return max(1, int((min(boundaries) - moment).total_seconds()) + 1)
