"""What a door device holds: the event's people as the door needs them, and what changed since.

A door device (``static/checkin.js`` with its service worker) keeps this list to answer scans and
name searches without a network. It holds only what the door shows or matches on: the name, the
organisation, the status, whether, when and by whom the person was checked in, the two codes (the
QR code's long one and the short door code) and the accessibility note the door shows at check-in.
No e-mail address, no other answer from the form.

A device asks for what changed with a *cursor*: the server's time of its previous answer. The
answer holds every person whose registration changed or whose check-in was recorded since a
little before that time (``MARGIN``: a transaction that took its timestamp just before another
committed is not missed), and the number of people and of check-ins. Deleted rows leave nothing to
send, so a device that holds more people or check-ins than those numbers after applying the
changes has missed a deletion, and asks for the whole list again (950 people are about 200 kB,
20 ms to serve: bench_door).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_

from ..clock import utcnow
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration
from .models import CheckIn

MARGIN = dt.timedelta(seconds=60)

_COLUMNS = (Registration.id, Registration.name, Registration.organisation, Registration.status,
            Registration.door_code, Registration.checkin_code, Registration.accessibility,
            CheckIn.at, CheckIn.organiser_name)


@dataclass(frozen=True)
class DoorList:
    """One answer to a device: ``full`` replaces what it holds, otherwise ``people`` are changes."""

    cursor: str
    full: bool
    people: list[dict[str, Any]]
    counts: dict[str, int]


def epoch_ms(moment: dt.datetime | None) -> int | None:
    """A stored (naive UTC) time as JavaScript's milliseconds since 1970."""
    return None if moment is None else round(moment.replace(tzinfo=dt.UTC).timestamp() * 1000)


def from_epoch_ms(value: float) -> dt.datetime:
    """JavaScript's milliseconds since 1970 as a stored (naive UTC) time."""
    return dt.datetime.fromtimestamp(value / 1000, dt.UTC).replace(tzinfo=None)


def _record(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "organisation": row.organisation or "",
        "status": row.status,
        "door_code": row.door_code,
        "code": row.checkin_code,
        "note": row.accessibility or "",
        "checked_in_at": epoch_ms(row.at),
        "checked_in_by": (row.organiser_name or "") if row.at else "",
    }


def person_record(registration: Registration) -> dict[str, Any]:
    """The device's record of one person, as the list gives it."""
    query = (db.select(*_COLUMNS).outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
             .where(Registration.id == registration.id))
    return _record(db.session.execute(query).one())


def make_cursor(event: Event, moment: dt.datetime) -> str:
    return f"{event.id}:{moment.isoformat(timespec='microseconds')}"


def read_cursor(event: Event, cursor: str | None) -> dt.datetime | None:
    """The time a cursor names, or None (no cursor, another event's, or malformed: send everything)."""
    event_part, _, moment = (cursor or "").partition(":")
    if event_part != str(event.id):
        return None
    try:
        return dt.datetime.fromisoformat(moment)
    except ValueError:
        return None


def counts(event: Event) -> dict[str, int]:
    """How many people and check-ins the event has: what a device checks its copy against."""
    people = db.session.scalar(db.select(db.func.count(Registration.id)).where(Registration.event_id == event.id))
    checked_in = db.session.scalar(db.select(db.func.count(CheckIn.id)).where(CheckIn.event_id == event.id))
    return {"people": people, "checked_in": checked_in}


def door_list(event: Event, cursor: str | None = None) -> DoorList:
    """Everyone (no usable cursor) or what changed since ``cursor``, with the next cursor."""
    now = utcnow()
    since = read_cursor(event, cursor)
    query = (db.select(*_COLUMNS).outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
             .where(Registration.event_id == event.id).order_by(Registration.id))
    if since is not None:
        since -= MARGIN
        query = query.where(or_(Registration.updated_at >= since, CheckIn.recorded_at >= since))
    people = [_record(row) for row in db.session.execute(query)]
    return DoorList(make_cursor(event, now), since is None, people, counts(event))
