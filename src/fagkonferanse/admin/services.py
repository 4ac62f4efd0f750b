"""Figures for the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt

from ..collation import people_sorted
from ..events.models import Event
from ..extensions import db
from ..programme.models import ProgrammeItem, Speaker, item_speakers
from ..stands.models import Stand


@dataclass(frozen=True)
class ProgrammeStatus:
    items: int
    starts: dt.datetime | None
    ends: dt.datetime | None
    without_end: int
    speakers: int
    stands: int
    unplaced_stands: int


def programme_status(event: Event) -> ProgrammeStatus:
    items = db.session.scalars(db.select(ProgrammeItem).where(ProgrammeItem.event_id == event.id)).all()
    stands = db.session.scalars(db.select(Stand).where(Stand.event_id == event.id)).all()
    speakers = db.session.scalar(db.select(db.func.count(Speaker.id)).where(Speaker.event_id == event.id))
    return ProgrammeStatus(
        items=len(items),
        starts=min((item.start for item in items), default=None),
        ends=max((item.end or item.start for item in items), default=None),
        without_end=sum(1 for item in items if item.end is None),
        speakers=speakers,
        stands=len(stands),
        unplaced_stands=sum(1 for stand in stands if stand.location_id is None),
    )


def speakers_without_items(event: Event) -> list[Speaker]:
    """Speakers who are on no programme item: forgotten, or left over after an edit."""
    linked = db.select(item_speakers.c.speaker_id)
    return people_sorted(db.session.scalars(
        db.select(Speaker).where(Speaker.event_id == event.id, Speaker.id.not_in(linked))
    ), name=lambda speaker: speaker.name)
