"""Who gets a badge, in which order, and what the app remembers about printing them.

Only confirmed registrations get a badge (a person on the waiting list or who cancelled has no
seat). Badges come out sorted by surname in Norwegian order, so a desk can hand them out from
alphabetised boxes. Printing is remembered per person with a fingerprint of what was printed,
so "not printed yet" means "never printed, or printed with details that have changed since".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, insert

from fagkonferanse import CONFIRMED, Event, Registration, db, role_rules, surname_key, utcnow

from .models import BadgePrint

NEVER, PRINTED, CHANGED = "never", "printed", "changed"
BATCH = 500  # ids per IN (…) clause: under every database's parameter limit


@dataclass(frozen=True)
class BadgeHolder:
    """What one badge shows, read once from the database (plain values, cheap to pass around)."""

    id: int
    name: str
    organisation: str
    municipality: str
    role: str
    role_chosen: bool
    checkin_code: str
    door_code: str = ""
    automatic_role: str = ""  # what the data gives when no role is chosen ("Automatisk (…)")

    @property
    def fingerprint(self) -> str:
        text = "\x1f".join((self.name, self.organisation, self.municipality, self.role, self.checkin_code))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _confirmed(event: Event, *columns, ids: list[int] | None = None):
    query = (db.select(Registration.id, Registration.name, Registration.organisation, *columns)
             .where(Registration.event_id == event.id, Registration.status == CONFIRMED))
    if ids is None:
        return db.session.execute(query).all()
    return [row for batch in _batches(ids) for row in db.session.execute(query.where(Registration.id.in_(batch)))]


def badge_holders(event: Event, ids: list[int] | None = None) -> list[BadgeHolder]:
    """Every confirmed registration of ``event`` as a badge (or those of ``ids``), sorted by
    surname. The role is the registration's (see ``fagkonferanse.registration.roles``)."""
    rows = _confirmed(event, Registration.municipality, Registration.checkin_code, Registration.door_code,
                      Registration.role, Registration.stand_id, ids=ids)
    rules = role_rules(event)
    holders = [
        BadgeHolder(row.id, row.name, row.organisation or "", row.municipality or "",
                    rules.role(row.name, row.role, row.stand_id), bool(row.role), row.checkin_code, row.door_code,
                    rules.automatic(row.name, row.stand_id))
        for row in rows
    ]
    return sorted(holders, key=lambda holder: (surname_key(holder.name), holder.id))


_CHOICES_KEY = "fagkonferanse_plugins.badges.choices"


def badge_choices(event: Event) -> list[tuple[int, str, str]]:
    """``(id, name, organisation)`` of everyone who gets a badge, in print order: a lighter
    list than :func:`badge_holders` for choosing people (no roles, no codes).

    Every print (one badge on arrival too) checks its ``people`` against this list, and sorting
    a thousand names the Norwegian way costs tens of milliseconds: the list is kept per process
    until the confirmed registrations change (their count, ids or latest edit).
    """
    version = tuple(db.session.execute(
        db.select(db.func.count(Registration.id), db.func.sum(Registration.id), db.func.max(Registration.updated_at))
        .where(Registration.event_id == event.id, Registration.status == CONFIRMED)).one())
    cache = current_app.extensions.setdefault(_CHOICES_KEY, {})
    cached = cache.get(event.id)
    if cached is not None and cached[0] == version:
        return cached[1]
    rows = _confirmed(event)
    choices = [(row.id, row.name, row.organisation or "")
               for row in sorted(rows, key=lambda row: (surname_key(row.name), row.id))]
    cache[event.id] = (version, choices)
    return choices


def _batches(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


@dataclass(frozen=True)
class PrintRecord:
    """When a person's badge was last printed, how often, and what was on it (its fingerprint)."""

    fingerprint: str
    printed_at: dt.datetime
    times: int
    scan_id: str | None = None


def print_records(ids: Iterable[int]) -> dict[int, PrintRecord]:
    """The last print of each person's badge (people never printed are missing)."""
    found: dict[int, PrintRecord] = {}
    for batch in _batches(list(ids)):
        rows = db.session.execute(
            db.select(BadgePrint.registration_id, BadgePrint.fingerprint, BadgePrint.printed_at, BadgePrint.times,
                      BadgePrint.scan_id)
            .where(BadgePrint.registration_id.in_(batch)))
        found.update((row.registration_id, PrintRecord(row.fingerprint, row.printed_at, row.times, row.scan_id))
                     for row in rows)
    return found


def print_status(holder: BadgeHolder, printed: dict[int, PrintRecord]) -> str:
    """``never``, ``printed`` (as it is now) or ``changed`` (printed, but the details changed)."""
    record = printed.get(holder.id)
    if record is None:
        return NEVER
    return PRINTED if record.fingerprint == holder.fingerprint else CHANGED


def not_printed(holders: list[BadgeHolder]) -> list[BadgeHolder]:
    """The holders whose current badge has not been printed (never, or with other details)."""
    printed = print_records(holder.id for holder in holders)
    return [holder for holder in holders if print_status(holder, printed) != PRINTED]


def mark_printed(holders: list[BadgeHolder], layout: str) -> None:
    """Remember that these badges were printed now, as they are (commits)."""
    ids = [holder.id for holder in holders]
    times = {}
    for batch in _batches(ids):
        times.update(db.session.execute(
            db.select(BadgePrint.registration_id, BadgePrint.times).where(BadgePrint.registration_id.in_(batch))).all())
        db.session.execute(delete(BadgePrint).where(BadgePrint.registration_id.in_(batch)))
    now = utcnow()
    if holders:
        db.session.execute(insert(BadgePrint), [
            {"registration_id": holder.id, "printed_at": now, "layout": layout, "fingerprint": holder.fingerprint,
             "times": times.get(holder.id, 0) + 1}
            for holder in holders
        ])
    db.session.commit()


def forget_printed(event: Event, ids: Iterable[int] | None = None) -> int:
    """Forget that badges were printed (everyone's, or the given people's): they print again
    under "not printed yet". Returns how many were forgotten; commits."""
    of_event = db.select(Registration.id).where(Registration.event_id == event.id)
    statement = delete(BadgePrint).where(BadgePrint.registration_id.in_(of_event))
    if ids is not None:
        statement = statement.where(BadgePrint.registration_id.in_(list(ids)))
    count = db.session.execute(statement).rowcount
    db.session.commit()
    return count


def remember_scan(registration_id: int, scan_id: str) -> None:
    """Note the door's check-in that just printed this person's badge (commits), so the same
    check-in announced again prints nothing (see :mod:`.arrival`)."""
    db.session.execute(db.update(BadgePrint).where(BadgePrint.registration_id == registration_id)
                       .values(scan_id=scan_id))
    db.session.commit()
