"""Door scans the organisers should look at: duplicates, merged walk-ins and offline answers the
server would not have given (see :mod:`.doorsync`). Shown on the dashboard until marked seen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _

from ..accounts.models import Organiser
from ..clock import utcnow
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration
from .doorsync import DUPLICATE, MERGED, WALK_IN
from .models import CheckIn, DoorScan
from .services import CHECKED_IN, STATE_CANCELLED, STATE_WAITING

LIMIT = 50


@dataclass(frozen=True)
class Flagged:
    """One flagged scan as the dashboard shows it: when, which device, who, and what happened."""

    scan: DoorScan
    person: str
    what: str
    # The check-in that counts, for a duplicate: when, on which device, by whom.
    holder_at: dt.datetime | None = None
    holder_device: str = ""
    holder_by: str = ""


def unseen(event: Event) -> tuple[list[Flagged], int]:
    """The newest flagged scans nobody has marked seen (at most ``LIMIT``), and how many there are."""
    where = (DoorScan.event_id == event.id, DoorScan.flag != "", DoorScan.seen_at.is_(None))
    total = db.session.scalar(db.select(db.func.count(DoorScan.id)).where(*where))
    scans = db.session.scalars(db.select(DoorScan).where(*where)
                               .order_by(DoorScan.scanned_at.desc(), DoorScan.id.desc()).limit(LIMIT)).all()
    return [_describe(scan) for scan in scans], total


def mark_seen(event: Event, scan_ids: list[int] | None, organiser: Organiser) -> int:
    """Mark flagged scans seen (``None``: all of the event's); returns how many."""
    query = db.update(DoorScan).where(DoorScan.event_id == event.id, DoorScan.flag != "",
                                      DoorScan.seen_at.is_(None))
    if scan_ids is not None:
        query = query.where(DoorScan.id.in_(scan_ids))
    count = db.session.execute(query.values(seen_at=utcnow(), seen_by=organiser.display_name)).rowcount
    db.session.commit()
    return count


def _describe(scan: DoorScan) -> Flagged:
    registration: Registration | None = scan.registration
    person = registration.name if registration else _("ukjent")
    if scan.flag == DUPLICATE:
        checkin: CheckIn | None = registration.checkin if registration else None
        holder = db.session.scalar(db.select(DoorScan).where(DoorScan.checkin_id == checkin.id)) if checkin else None
        return Flagged(scan, person, _("Sluppet inn uten nett, men personen var allerede sjekket inn."),
                       checkin.at if checkin else None, holder.device_name if holder else "",
                       checkin.organiser_name if checkin else "")
    if scan.flag == MERGED:
        return Flagged(scan, person, _("Registrert i døra uten nett, men adressen var påmeldt fra før. "
                                       "Registreringen er slått sammen med den påmeldingen."))
    return Flagged(scan, person, _differs(scan))


def _differs(scan: DoorScan) -> str:
    if scan.action == WALK_IN:
        if scan.registration_id is None:
            return _("Registrert i døra uten nett, men kunne ikke lagres: navn eller samtykke mangler.")
        return _("Registrert i døra uten nett. Felt som ikke var gyldige, ble utelatt.")
    if scan.shown != CHECKED_IN:
        return _("Avvist i døra uten nett, men personen har plass og var ikke sjekket inn.")
    if scan.outcome == STATE_CANCELLED:
        return _("Sluppet inn uten nett, men påmeldingen er avmeldt.")
    if scan.outcome == STATE_WAITING:
        return _("Sluppet inn uten nett, men personen står på venteliste.")
    return _("Sluppet inn uten nett, men koden finnes ikke (lenger) på serveren.")

