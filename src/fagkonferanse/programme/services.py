"""Reading the programme: the day in order and what is on now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from .. import clock
from ..collation import people_sorted
from ..events.models import Event
from ..extensions import db
from ..pagecache import derived
from .models import Delay, ProgrammeItem, Speaker


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
    """A speaker or a room as the public programme names it (and links to it)."""

    id: int
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class StandRef:
    """A stand of an organisation that presents an item: the item links to it."""

    slug: str
    name: str
    floor: int | None


@dataclass(frozen=True)
class PublicItem:
    """A programme item as the public pages show it: plain data, no database session."""

    id: int
    start: dt.datetime
    end: dt.datetime | None
    kind: str
    title: str
    title_en: str
    description: str
    description_en: str
    presented_by: str
    cancelled: bool
    cancel_note: str
    location: Named | None
    speakers: tuple[Named, ...]
    stands: tuple[StandRef, ...]

    @property
    def is_break(self) -> bool:
        """A pause in the talks: registration, coffee, lunch and stands."""
        return self.kind in BREAK_KINDS


# Items that are pauses between talks: shown as breaks, not as sessions.
BREAK_KINDS = frozenset({"registration", "break", "meal", "stands"})


def public_programme(event: Event) -> tuple[PublicItem, ...]:
    """The event's items for the public pages, read once per content version per process.

    The page is rendered for everyone the page cache cannot serve (organisers, a visitor with a
    message waiting, the first request after an edit); its queries were a third of that render.
    Every edit of the programme or the stands raises the content version (see pagecache), so the
    copy is exactly as fresh as a cached page.
    """
    return derived(("public_programme", event.id), lambda: _public_items(event))


def _public_items(event: Event) -> tuple[PublicItem, ...]:
    stands = _stands_by_organisation(event)
    return tuple(
        PublicItem(item.id, item.start, item.end, item.kind, item.title, item.title_en, item.description,
                   item.description_en, item.presented_by, item.cancelled, item.cancel_note,
                   Named(item.location.id, item.location.name, item.location.name_en)
                   if item.location is not None else None,
                   tuple(Named(speaker.id, speaker.name) for speaker in item.speakers),
                   tuple(stand for organisation in item.organisations
                         for stand in stands.get(organisation.id, ())))
        for item in programme_items(event)
    )


def _stands_by_organisation(event: Event) -> dict[int, list[StandRef]]:
    """The event's stands by the organisation that holds them: a talk by Moss kommune links to
    Moss kommune's stand, where its project sheets are."""
    from ..stands.models import Stand

    found: dict[int, list[StandRef]] = {}
    for stand in db.session.scalars(db.select(Stand).where(Stand.event_id == event.id)
                                    .options(selectinload(Stand.organisation), selectinload(Stand.location))):
        found.setdefault(stand.organisation_id, []).append(
            StandRef(stand.slug, stand.organisation.name, stand.location.floor if stand.location else None))
    return found


def delays_of_the_day(event: Event) -> list[Delay]:
    """The running-late announcements made on the conference's date, newest first."""
    start = dt.datetime.combine(event.date, dt.time())
    return list(db.session.scalars(
        db.select(Delay).where(Delay.event_id == event.id, Delay.from_time >= start,
                               Delay.from_time < start + dt.timedelta(days=1))
        .order_by(Delay.created_at.desc(), Delay.id.desc())))


def speakers(event: Event) -> list[Speaker]:
    """The event's speakers by surname, in Norwegian alphabetical order."""
    return people_sorted(db.session.scalars(db.select(Speaker).where(Speaker.event_id == event.id)),
                         name=lambda speaker: speaker.name)


def local_now(event: Event) -> dt.datetime:
    """The site clock's time at the venue, naive like the programme's times (see :mod:`..clock`)."""
    return clock.local_now(event.timezone)


@dataclass(frozen=True)
class NowAndNext:
    """What runs now and what starts next. On a day with parallel sessions several items run at
    once and several may start together: ``now_ids`` and ``next_ids`` hold them all, ``now`` and
    ``next`` one of each (the latest started, the first listed)."""

    now: ProgrammeItem | PublicItem | None
    next: ProgrammeItem | PublicItem | None
    now_ids: frozenset[int] = frozenset()
    next_ids: frozenset[int] = frozenset()


def now_and_next(items: Sequence[ProgrammeItem | PublicItem], moment: dt.datetime) -> NowAndNext:
    """What is running at ``moment`` and what starts next; both empty on other days.

    An item without an end (the day's closing words) is "now" from its start to midnight.
    A cancelled item is neither.
    """
    if not items or items[0].start.date() != moment.date():
        return NowAndNext(None, None)
    held = [item for item in items if not item.cancelled]
    running = [
        item for item in held
        if item.start <= moment and (item.end is None or moment < item.end)
    ]
    upcoming = [item for item in held if item.start > moment]
    first_start = min((item.start for item in upcoming), default=None)
    starting = [item for item in upcoming if item.start == first_start]
    return NowAndNext(running[-1] if running else None, starting[0] if starting else None,
                      frozenset(item.id for item in running), frozenset(item.id for item in starting))


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
