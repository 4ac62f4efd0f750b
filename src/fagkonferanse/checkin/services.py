"""Checking people in at the door: scan, search, walk-in, undo, and the live counters.

A scan never fails loudly and never admits twice: the answer is one of the states below, and the
unique constraint on ``checkins.registration_id`` turns a simultaneous second scan into
"already checked in".
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Organiser
from ..clock import utcnow
from ..app import plugin_manager
from ..audit.services import record
from ..collation import surname_key
from ..events.models import Event
from ..extensions import db
from ..registration import services as registrations
from ..registration.models import CANCELLED, CONFIRMED, WAITING, Registration
from ..registration.settings import settings_for
from ..registration.tokens import code_from_scan, door_code_from_typing, looks_like_door_code
from .models import CheckIn, DoorScan

CHECKED_IN = "checked_in"
ALREADY = "already"
STATE_CANCELLED = "cancelled"
STATE_WAITING = "waiting"
UNKNOWN = "unknown"
MISTYPED = "mistyped"  # a door code whose check character does not match: a typo
OTHER_EVENT = "other_event"
EXISTING = "existing"  # a walk-in whose address is already registered
STATES = (CHECKED_IN, ALREADY, STATE_CANCELLED, STATE_WAITING, UNKNOWN, MISTYPED, OTHER_EVENT, EXISTING)


@dataclass
class ScanResult:
    """The answer shown at the door. ``checkin`` is the (new or earlier) check-in, if any."""

    state: str
    registration: Registration | None = None
    checkin: CheckIn | None = None

    @property
    def ok(self) -> bool:
        return self.state == CHECKED_IN


def scan(event: Event, text: str, organiser: Organiser | None) -> ScanResult:
    """Check in whoever's code is in ``text``: what a scanner typed (the QR code's address or the
    long code), or the short door code a person read out. A door code with a typo is refused by
    its check character (``MISTYPED``), never taken for someone else's."""
    found = identify(event, text)
    if found.state:
        return found
    return check_in(found.registration, organiser, method="scan")


def identify(event: Event, text: str) -> ScanResult:
    """Whose code is in ``text``, without checking anyone in: a result with an empty state and
    the registration when it is a person of ``event``, else ``UNKNOWN``, ``MISTYPED`` or
    ``OTHER_EVENT``. The one matching rule of the door (door devices hold a copy in door-rules.js)."""
    code = code_from_scan(text)
    registration = registrations.find_by_code(code) if code else None
    if registration is None and (door_code := door_code_from_typing(text)):
        registration = registrations.find_by_door_code(event, door_code)
    elif registration is None and looks_like_door_code(text):
        return ScanResult(MISTYPED)
    if registration is None:
        return ScanResult(UNKNOWN)
    if registration.event_id != event.id:
        return ScanResult(OTHER_EVENT, registration)
    return ScanResult("", registration)


def check_in(registration: Registration, organiser: Organiser | None, method: str = "scan", *,
             at: dt.datetime | None = None, door_scan: DoorScan | None = None) -> ScanResult:
    """Admit a confirmed registration once; every other status gets its own answer.

    ``at``: when the person came in, if not now (a door device's offline scan, sent later).
    ``door_scan``: the device's record of that scan, committed with the check-in it holds.
    """
    if registration.status == CANCELLED:
        return ScanResult(STATE_CANCELLED, registration, registration.checkin)
    if registration.status == WAITING:
        return ScanResult(STATE_WAITING, registration)
    if registration.checkin is not None:
        return ScanResult(ALREADY, registration, registration.checkin)
    checkin = CheckIn(event_id=registration.event_id, registration_id=registration.id, method=method,
                      organiser_id=organiser.id if organiser else None,
                      organiser_name=organiser.display_name if organiser else "")
    if at is not None:
        checkin.at = at
    db.session.add(checkin)
    if door_scan is not None:
        door_scan.checkin = checkin
    try:
        db.session.commit()
    except IntegrityError:  # another scanner admitted them this very moment
        db.session.rollback()
        db.session.refresh(registration)
        return ScanResult(ALREADY, registration, registration.checkin)
    plugin_manager().hook.after_checkin(checkin=checkin)
    return ScanResult(CHECKED_IN, registration, checkin)


def undo(checkin: CheckIn) -> Registration:
    """Take back a mistaken check-in (recorded in the audit log, without the person's name)."""
    registration = checkin.registration
    record("delete", "checkin", checkin.id, _("Innsjekking angret for påmelding #%(id)s", id=registration.id),
           event_id=checkin.event_id)
    db.session.execute(db.update(DoorScan).where(DoorScan.checkin_id == checkin.id).values(undone_at=utcnow()))
    db.session.delete(checkin)
    # Door devices ask for what changed by this time: they learn of the undo without a full reload.
    registration.updated_at = utcnow()
    db.session.commit()
    db.session.refresh(registration)
    return registration


def walk_in(event: Event, details: dict[str, Any], organiser: Organiser | None) -> ScanResult:
    """Register someone at the desk and admit them at once.

    The desk decides: a walk-in gets a seat even beyond the capacity, and their ticket link by
    mail (so they can see, download or delete their data later). An address that is already
    registered is not registered again; the desk sees that registration instead.
    """
    outcome = registrations.register(event, details, source="walk-in", check_window=False, force_seat=True,
                                     resend=False)
    if outcome.result == registrations.DUPLICATE:
        return ScanResult(EXISTING, outcome.registration, outcome.registration.checkin)
    return check_in(outcome.registration, organiser, method="walk-in")


# --- Search and counters ----------------------------------------------------------------------

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


def search_key(text: str) -> str:
    """Case- and accent-insensitive form for matching: "Øyvind" and "oyvind" meet; Марія stays."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_NORWEGIAN))
    return "".join(char for char in folded if not unicodedata.combining(char))


def matches(registration: Registration, query: str) -> bool:
    """Every word of ``query`` occurs in the name, e-mail or organisation."""
    haystack = search_key(" ".join(filter(None, (registration.name, registration.email, registration.organisation))))
    return all(word in haystack for word in search_key(query).split())


def search(event: Event, query: str, limit: int = 25) -> list[Registration]:
    """People matching ``query``, confirmed first.

    Matching is done in Python, not SQL: SQLite's LIKE and lower() only fold ASCII, and a
    conference of a few hundred people is read in a millisecond.
    """
    if not search_key(query).strip():
        return []
    people = db.session.scalars(db.select(Registration).where(Registration.event_id == event.id)).all()
    order = {CONFIRMED: 0, WAITING: 1, CANCELLED: 2}
    found = [person for person in people if matches(person, query)]
    return sorted(found, key=lambda person: (order.get(person.status, 3), surname_key(person.name)))[:limit]


def counters(event: Event) -> dict[str, int]:
    """The figures the door watches: confirmed, checked in, still to come, waiting, capacity."""
    counts = registrations.status_counts(event)
    checked_in = db.session.scalar(
        db.select(db.func.count(CheckIn.id)).join(Registration, CheckIn.registration_id == Registration.id)
        .where(CheckIn.event_id == event.id, Registration.status == CONFIRMED)
    )
    return {
        "confirmed": counts[CONFIRMED],
        "checked_in": checked_in,
        "expected": max(0, counts[CONFIRMED] - checked_in),
        "waiting": counts[WAITING],
        "capacity": settings_for(event).capacity,
    }
