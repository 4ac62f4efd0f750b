"""Where a conference is in time: before its programme starts, during it, or over.

A conference that is over is an archive: its programme, speakers, stands and catalogue stay,
the home page says when it took place, and registration is closed. Registration closes by itself
when the first programme item starts, unless the organisers set a closing time of their own.

The built-in 2016 conference is a demo (``Event.is_demo``): it is shown as the archive it is,
but its registration stays open whatever the date, so that a newcomer can try registering, the
ticket and the door.

Times are the site clock's (:mod:`fagkonferanse.clock`), on the venue's wall clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import clock
from ..extensions import db
from ..identity import POINT_IN_TIME_LENGTH
from .models import Event

BEFORE, DURING, OVER = "before", "during", "over"


@dataclass(frozen=True)
class Day:
    """The conference's day as the programme sets it, seen at ``now`` (all wall-clock, naive)."""

    phase: str
    now: dt.datetime
    first_start: dt.datetime | None
    day_end: dt.datetime

    @property
    def is_over(self) -> bool:
        return self.phase == OVER

    @property
    def ended_today(self) -> bool:
        """Over, and still the conference's date: "the day is over", not yet an archive."""
        return self.phase == OVER and self.now.date() == self.day_end.date()

    def seconds_until_change(self) -> int | None:
        """How long this phase lasts from ``now`` (None when it never changes again)."""
        boundaries = [moment for moment in (self.first_start, self.day_end) if moment and moment > self.now]
        if not boundaries:
            return None
        return max(1, int((min(boundaries) - self.now).total_seconds()) + 1)


def day_phase(date: dt.date, times: list[tuple[dt.datetime, dt.datetime | None]], now: dt.datetime) -> Day:
    """The phase at ``now`` of a day whose programme items run at ``times`` (start, end).

    The day ends when its last item ends (the closing words, which have no end, last
    :data:`~fagkonferanse.identity.POINT_IN_TIME_LENGTH`); a day without items ends at midnight.
    """
    if times:
        first_start = min(start for start, _end in times)
        day_end = max(end or start + POINT_IN_TIME_LENGTH for start, end in times)
    else:
        first_start = None
        day_end = dt.datetime.combine(date + dt.timedelta(days=1), dt.time())
    if now >= day_end:
        phase = OVER
    elif first_start is not None and now >= first_start:
        phase = DURING
    else:
        phase = BEFORE
    return Day(phase, now, first_start, day_end)


def conference_day(event: Event, now: dt.datetime | None = None) -> Day:
    """The phase of ``event`` at ``now`` (default: the site clock's now at the venue)."""
    from ..programme.models import ProgrammeItem

    times = db.session.execute(db.select(ProgrammeItem.start, ProgrammeItem.end)
                               .where(ProgrammeItem.event_id == event.id)).all()
    return day_phase(event.date, [tuple(row) for row in times],
                     now if now is not None else clock.local_now(event.timezone))


def automatic_closing(event: Event) -> dt.datetime | None:
    """When registration closes by itself (naive UTC): as the first programme item starts.

    None for the demo conference, whose registration stays open on purpose, and for an event
    without a programme.
    """
    from ..programme.models import ProgrammeItem
    from ..registration.settings import to_utc

    if event.is_demo:
        return None
    first = db.session.scalar(db.select(db.func.min(ProgrammeItem.start)).where(ProgrammeItem.event_id == event.id))
    return to_utc(first, event) if first is not None else None
