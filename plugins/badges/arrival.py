"""Badges printed when people arrive: the organisers' setting, and when a check-in prints.

A badge printed on arrival is one print job (the print centre's own mechanism) for one person in
the "single" layout at the label size the organisers set. It reaches paper one of two ways:

* **a printer on the server** (``settings.printer``, a CUPS queue): every check-in, scanned with
  or without JavaScript, synced from an offline door device or typed, calls ``after_checkin``;
  the job goes to the job engine's worker and from there to ``lp``;
* **the door device's browser** (no printer set): the door page announces each green check-in
  (``fk:door-checked-in``); the plugin's ``door.js`` asks :func:`print_for_door` whether to print
  and, if so, opens the PDF in a print dialog.

"once, if it has not been printed" prints a person whose current badge was never printed, or
was printed with details that changed since; "always" prints at every check-in. Either way the
same check-in (its ``scan_id``) never prints twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from fagkonferanse import (
    CONFIRMED,
    PRINT_JOB_DONE,
    Event,
    PrintJob,
    Registration,
    db,
    submit_print_job,
)

from .models import ALWAYS, DEFAULT_SIZE, OFF, ONCE, BadgeSettings
from .people import PRINTED, badge_holders, print_records, print_status, remember_scan

logger = logging.getLogger(__name__)

# Why a check-in prints no badge (``Decision.reason``).
SWITCHED_OFF, ALREADY_PRINTED, SAME_SCAN, NOT_CONFIRMED, ON_PRINTER, FAILED = (
    "off", "printed", "same_scan", "not_confirmed", "printer", "failed")


def settings_for(event: Event) -> BadgeSettings:
    """The event's settings; unsaved defaults (printing on arrival off) until organisers save."""
    return db.session.get(BadgeSettings, event.id) or BadgeSettings(event_id=event.id, on_arrival=OFF,
                                                                   size=DEFAULT_SIZE, printer="")


def save_settings(event: Event, values: dict[str, str], by: str) -> dict[str, list]:
    """Store ``on_arrival``, ``size`` and ``printer`` (checked by the form); the changes (commits)."""
    settings = db.session.get(BadgeSettings, event.id)
    if settings is None:
        settings = BadgeSettings(event_id=event.id, on_arrival=OFF, size=DEFAULT_SIZE, printer="")
        db.session.add(settings)
    changes = {key: [getattr(settings, key), value] for key, value in values.items() if getattr(settings, key) != value}
    for key, value in values.items():
        setattr(settings, key, value)
    settings.updated_by = by
    return changes


def should_print(mode: str, status: str) -> bool:
    """The rule: ``always`` prints, ``once`` prints a badge not printed as it is now, ``off`` never."""
    return mode == ALWAYS or mode == ONCE and status != PRINTED


@dataclass(frozen=True)
class Decision:
    """Whether a check-in prints a badge, and if not, why (one of the reasons above)."""

    print: bool
    reason: str = ""


def decide(event: Event, settings: BadgeSettings, registration_id: int, scan_id: str = "") -> Decision:
    """Whether the arrival of registration ``registration_id`` prints their badge now."""
    if settings.on_arrival not in (ONCE, ALWAYS):
        return Decision(False, SWITCHED_OFF)
    holders = badge_holders(event, [registration_id])
    if not holders:
        return Decision(False, NOT_CONFIRMED)
    records = print_records([registration_id])
    record = records.get(registration_id)
    if scan_id and record is not None and record.scan_id == scan_id:
        return Decision(False, SAME_SCAN)
    if not should_print(settings.on_arrival, print_status(holders[0], records)):
        return Decision(False, ALREADY_PRINTED)
    return Decision(True)


def badge_options(settings: BadgeSettings, registration_id: int) -> dict[str, str]:
    """The print centre's options for one person's badge on the badge printer."""
    return {"layout": "single", "size": settings.size or DEFAULT_SIZE, "who": "all", "people": str(registration_id)}


# --- The server's printer -------------------------------------------------------------------------


def print_on_server_printer(checkin: Any) -> PrintJob | None:
    """``after_checkin``: queue the badge for the server's printer when the settings say so.

    Never raises: a check-in is recorded already, and a printer problem must not turn the door's
    green answer into an error (the failed job shows in the print centre, with lp's message).
    """
    try:
        event = db.session.get(Event, checkin.event_id)
        settings = settings_for(event)
        if not settings.printer or not decide(event, settings, checkin.registration_id).print:
            return None
        return submit_print_job("badges", event, badge_options(settings, checkin.registration_id),
                                getattr(checkin, "organiser", None), printer=settings.printer)
    except Exception:
        logger.exception("the badge of registration %s could not be sent to the printer", checkin.registration_id)
        db.session.rollback()
        return None


# --- The door device's browser --------------------------------------------------------------------


@dataclass(frozen=True)
class DoorAnswer:
    """What ``door.js`` is told: print the PDF at ``job``'s address, or why not."""

    decision: Decision
    registration: Registration
    job: PrintJob | None = None


def print_for_door(event: Event, registration: Registration, scan_id: str, user: Any) -> DoorAnswer:
    """Make the badge PDF for the door device to print, when the settings say it should.

    The PDF is made here and now (``wait``): the door device asked for it in this request.
    With a server printer set, the server prints (``after_checkin``) and the device does not.
    """
    settings = settings_for(event)
    if registration.status != CONFIRMED:
        return DoorAnswer(Decision(False, NOT_CONFIRMED), registration)
    if settings.printer and settings.on_arrival != OFF:
        return DoorAnswer(Decision(False, ON_PRINTER), registration)
    decision = decide(event, settings, registration.id, scan_id)
    if not decision.print:
        return DoorAnswer(decision, registration)
    job = submit_print_job("badges", event, badge_options(settings, registration.id), user, wait=True)
    if job.state != PRINT_JOB_DONE:
        return DoorAnswer(Decision(False, FAILED), registration, job)
    if scan_id:
        remember_scan(registration.id, scan_id)
    return DoorAnswer(decision, registration, job)


def door_message(answer: DoorAnswer) -> str:
    """The line the door page shows about the badge (empty when there is nothing to say)."""
    name = answer.registration.name
    if answer.decision.print:
        return _("Navneskiltet til %(name)s er klart til utskrift.", name=name)
    reason = answer.decision.reason
    if reason == ALREADY_PRINTED:
        return _("Navneskiltet til %(name)s er skrevet ut fra før.", name=name)
    if reason == FAILED:
        return _("Navneskiltet til %(name)s kunne ikke lages: %(error)s", name=name,
                 error=answer.job.error or _("feilen er skrevet i serverloggen."))
    return ""  # switched off, the same check-in again, or the server's printer prints it
