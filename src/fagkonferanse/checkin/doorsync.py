"""A door device's queued actions, applied once each: check-ins, undos and walk-ins.

A door device answers scans from its own list when the network is gone, and queues every action
with an id it made itself (``scan_id``), online or not. Sending the queue again is harmless: an
action already recorded is answered from its row. The rules:

* **Within a device, its own order** (``seq``): an undo follows the check-in it takes back even
  if the device's clock jumped. **Between devices, device time**, set right by the offset of each
  device's clock, which it reports with every send.
* **A person is checked in once.** The first check-in by device time holds the record. A later one
  from another device, which the door answered green while offline, is kept as a flagged
  duplicate (``flag = "duplicate"``). One that arrives later but happened earlier takes the
  check-in over and the other becomes the duplicate, so the result does not depend on which
  device syncs first. A check-in made on the page without JavaScript keeps its place.
* **An undo applies to that device's own check-in.** If it held the person's record it is taken
  back, and the earliest duplicate from another device (the person did come in there) becomes
  the check-in.
* **A walk-in registered offline** whose address is registered already is merged into that
  registration (its empty fields filled in, a waiting person given a seat, as the desk does) and
  checked in, flagged ``merged``. Online the desk waits for the answer and is told "already
  registered", as with the form.
* **What the door said offline is kept** (``shown``). When it turned away someone the server would
  have admitted (a code it did not know yet, a person promoted from the waiting list meanwhile),
  or admitted someone the server would not have, the scan is flagged ``differs``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..accounts.models import Organiser
from ..clock import utcnow
from ..events.models import Event
from ..extensions import db
from ..registration import services as registrations
from ..registration.forms import build_form_class
from ..registration.models import CONFIRMED, WAITING, Registration
from ..registration.settings import questions_for, settings_for
from . import services
from .models import DoorScan
from .services import (ALREADY, CHECKED_IN, EXISTING, MISTYPED, STATE_CANCELLED, STATE_WAITING, UNKNOWN,
                       ScanResult)

CHECKIN, UNDO, WALK_IN = "checkin", "undo", "walk-in"
ACTIONS = (CHECKIN, UNDO, WALK_IN)
METHODS = ("scan", "search")
DUPLICATE, MERGED, DIFFERS = "duplicate", "merged", "differs"
FLAGS = (DUPLICATE, MERGED, DIFFERS)
UNDONE = "undone"
INVALID = "invalid"  # a walk-in without what the form requires
# What a device may say it showed: "" when it waited for the server's answer.
SHOWN = ("", CHECKED_IN, ALREADY, STATE_CANCELLED, STATE_WAITING, UNKNOWN, MISTYPED)
MAX_BATCH = 200
# A walk-in's empty fields a merge fills in from what the desk typed (never the name or address).
MERGED_FIELDS = ("organisation", "municipality", "job_title", "dietary", "accessibility")

_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class BadBatch(ValueError):
    """A request no door device sends: refused whole (400), nothing recorded."""


@dataclass(frozen=True)
class Device:
    """The device that sent a batch: its own random id and the name the door staff gave it."""

    id: str
    name: str


@dataclass(frozen=True)
class Action:
    """One queued action as the device sent it; ``at`` is already on the server's clock."""

    scan_id: str
    kind: str
    seq: int
    at: dt.datetime
    shown: str = ""
    method: str = "scan"
    text: str = ""
    registration_id: int | None = None
    undoes: str | None = None
    fields: tuple[tuple[str, str], ...] = ()


@dataclass
class Applied:
    """What became of one action: its row and the door's answer (``errors``: a refused walk-in)."""

    scan: DoorScan
    result: ScanResult
    errors: dict[str, list[str]] = field(default_factory=dict)
    replayed: bool = False  # answered from the row of an earlier send


# --- Reading a batch --------------------------------------------------------------------------


def parse_batch(payload: Any, now: dt.datetime) -> tuple[Device, list[Action]]:
    """The device and its actions from a sync request's JSON, or :class:`BadBatch`.

    Device times are moved by the device clock's offset (``now`` − its ``sent_at``) and never
    lie in the future.
    """
    if not isinstance(payload, dict):
        raise BadBatch("expected a JSON object")
    device = payload.get("device")
    if not isinstance(device, dict) or not _is_id(device.get("id")):
        raise BadBatch("device.id: 8 to 64 letters, digits, - or _")
    name = device.get("name", "")
    if not isinstance(name, str) or len(name) > 100:
        raise BadBatch("device.name: text of at most 100 characters")
    actions = payload.get("actions")
    if not isinstance(actions, list) or len(actions) > MAX_BATCH:
        raise BadBatch(f"actions: a list of at most {MAX_BATCH}")
    offset = now - _moment(payload.get("sent_at"), "sent_at")
    parsed = [_action(item, index, offset, now) for index, item in enumerate(actions)]
    return Device(device["id"], name.strip()), parsed


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.fullmatch(value))


def _moment(value: Any, name: str) -> dt.datetime:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not 0 <= value < 2**53:
        raise BadBatch(f"{name}: milliseconds since 1970")
    return dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=value)


def _action(item: Any, index: int, offset: dt.timedelta, now: dt.datetime) -> Action:
    where = f"actions[{index}]"
    if not isinstance(item, dict) or not _is_id(item.get("scan_id")):
        raise BadBatch(f"{where}.scan_id: 8 to 64 letters, digits, - or _")
    kind, seq, shown = item.get("action"), item.get("seq", index), item.get("shown", "")
    if kind not in ACTIONS:
        raise BadBatch(f"{where}.action: one of {', '.join(ACTIONS)}")
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise BadBatch(f"{where}.seq: a whole number")
    if shown not in SHOWN:
        raise BadBatch(f"{where}.shown: one of {', '.join(map(repr, SHOWN))}")
    at = min(_moment(item.get("at"), f"{where}.at") + offset, now)
    values: dict[str, Any] = {"scan_id": item["scan_id"], "kind": kind, "seq": seq, "at": at, "shown": shown}
    if kind == CHECKIN:
        method, text, registration_id = item.get("method", "scan"), item.get("text", ""), item.get("registration_id")
        if method not in METHODS or not isinstance(text, str) or len(text) > 500:
            raise BadBatch(f"{where}: method scan or search, text of at most 500 characters")
        if registration_id is not None and (isinstance(registration_id, bool) or not isinstance(registration_id, int)):
            raise BadBatch(f"{where}.registration_id: a whole number")
        values.update(method=method, text=text, registration_id=registration_id)
    elif kind == UNDO:
        if not _is_id(item.get("undoes")):
            raise BadBatch(f"{where}.undoes: the scan_id of the check-in to take back")
        values["undoes"] = item["undoes"]
    else:
        fields = item.get("fields")
        if not isinstance(fields, list) or len(fields) > 60 or not all(
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
                and len(pair[0]) <= 100 and len(pair[1]) <= 5000 for pair in fields):
            raise BadBatch(f"{where}.fields: a list of [name, value] pairs of text")
        values["fields"] = tuple(tuple(pair) for pair in fields)
    return Action(**values)


# --- Applying it ------------------------------------------------------------------------------


def apply_batch(event: Event, device: Device, actions: list[Action], organiser: Organiser | None) -> list[Applied]:
    """Apply each action once, in the device's own order; each is committed on its own."""
    return [apply_action(event, device, action, organiser) for action in sorted(actions, key=lambda a: a.seq)]


def apply_action(event: Event, device: Device, action: Action, organiser: Organiser | None) -> Applied:
    """Apply one action, or answer it from its row if it was applied before (a repeated send)."""
    earlier = _recorded(action.scan_id)
    if earlier is not None:
        return _replayed(earlier)
    scan = DoorScan(event_id=event.id, scan_id=action.scan_id, device_id=device.id, device_name=device.name,
                    action=action.kind, method=WALK_IN if action.kind == WALK_IN else action.method,
                    shown=action.shown, scanned_at=action.at,
                    organiser_id=organiser.id if organiser else None,
                    organiser_name=organiser.display_name if organiser else "", outcome="")
    try:
        if action.kind == CHECKIN:
            applied = _check_in(event, scan, action, organiser)
        elif action.kind == UNDO:
            applied = _undo(event, scan, action)
        else:
            applied = _walk_in(event, scan, action, organiser)
        if inspect(applied.scan).transient:
            db.session.add(applied.scan)  # a rollback inside check_in() dropped it
        db.session.commit()
    except IntegrityError:
        # The same scan sent twice at the same moment (two tabs of one device): the first wins.
        db.session.rollback()
        earlier = _recorded(action.scan_id)
        if earlier is None:
            raise
        return _replayed(earlier)
    return applied


def _recorded(scan_id: str) -> DoorScan | None:
    return db.session.scalar(db.select(DoorScan).where(DoorScan.scan_id == scan_id))


def _replayed(scan: DoorScan) -> Applied:
    registration = scan.registration
    return Applied(scan, ScanResult(scan.outcome, registration, registration.checkin if registration else None),
                   replayed=True)


def _find(event: Event, action: Action) -> ScanResult:
    """The person a check-in action names: by id (the name search) or by the code typed or scanned."""
    if action.registration_id is not None:
        registration = db.session.get(Registration, action.registration_id)
        if registration is None or registration.event_id != event.id:
            return ScanResult(UNKNOWN)
        return ScanResult("", registration)
    return services.identify(event, action.text)


def _would_admit(registration: Registration) -> bool:
    return registration.status == CONFIRMED and registration.checkin is None


def _check_in(event: Event, scan: DoorScan, action: Action, organiser: Organiser | None) -> Applied:
    found = _find(event, action)
    admitted = action.shown == CHECKED_IN  # the door answered green before the server did
    if found.state:  # unknown, mistyped or another event's ticket
        scan.outcome = found.state
        scan.flag = DIFFERS if admitted else ""
        db.session.add(scan)
        return Applied(scan, found)
    registration = found.registration
    scan.registration = registration
    db.session.add(scan)
    if action.shown and not admitted:  # the door turned the person away offline: nothing changes
        scan.outcome = action.shown
        scan.flag = DIFFERS if _would_admit(registration) else ""
        return Applied(scan, ScanResult(action.shown, registration, registration.checkin))
    return Applied(scan, _check_in_holding(scan, registration, organiser, admitted))


def _check_in_holding(scan: DoorScan, registration: Registration, organiser: Organiser | None,
                      admitted: bool) -> ScanResult:
    """Check the person in with ``scan`` holding the check-in, settling a second check-in.

    The scan is complete before :func:`services.check_in` commits it with the check-in: once
    committed another device's sync may make it a duplicate, which a later write of this request
    must not undo.
    """
    scan.outcome = CHECKED_IN
    result = services.check_in(registration, organiser, method=scan.method, at=scan.scanned_at, door_scan=scan)
    if result.state == CHECKED_IN:
        return result  # committed with the check-in it holds: nothing more to write
    if inspect(scan).transient:  # check_in() lost a race and rolled back, and this scan with it
        scan.checkin = None
        db.session.add(scan)
    scan.outcome = result.state
    if result.state != ALREADY:  # cancelled or waiting
        scan.flag = scan.flag or (DIFFERS if admitted else "")
        return result
    checkin = result.checkin
    holder = db.session.scalar(db.select(DoorScan).where(DoorScan.checkin_id == checkin.id)) if checkin else None
    if not admitted or checkin is None or (holder is not None and holder.device_id == scan.device_id):
        return result  # the door saw "already" itself, or this device knew of its own check-in
    if holder is not None and scan.scanned_at < holder.scanned_at:
        # This device admitted the person first, it only sent it later: its scan holds the check-in.
        checkin.at, checkin.method, checkin.recorded_at = scan.scanned_at, scan.method, utcnow()
        checkin.organiser_id, checkin.organiser_name = scan.organiser_id, scan.organiser_name
        holder.checkin, holder.outcome, holder.flag, holder.seen_at = None, DUPLICATE, DUPLICATE, None
        scan.checkin, scan.outcome = checkin, CHECKED_IN
        result.registration.updated_at = utcnow()
        return ScanResult(CHECKED_IN, result.registration, checkin)
    scan.outcome, scan.flag = DUPLICATE, scan.flag or DUPLICATE
    return result


def _undo(event: Event, scan: DoorScan, action: Action) -> Applied:
    target = _recorded(action.undoes)
    db.session.add(scan)
    scan.outcome = UNDONE
    if target is None or target.event_id != event.id or target.device_id != scan.device_id \
            or target.registration is None:
        return Applied(scan, ScanResult(UNDONE))  # nothing of this device's to take back
    registration = scan.registration = target.registration
    if target.undone_at is None:
        target.undone_at = scan.scanned_at
    if target.checkin is not None:
        services.undo(target.checkin)  # commits, with this scan
        _promote_duplicate(registration)
    return Applied(scan, ScanResult(UNDONE, registration, registration.checkin))


def _promote_duplicate(registration: Registration) -> None:
    """After an undo, the earliest duplicate still standing (another device admitted the person
    too) becomes the person's check-in."""
    successor = db.session.scalar(
        db.select(DoorScan).where(DoorScan.registration_id == registration.id, DoorScan.outcome == DUPLICATE,
                                  DoorScan.undone_at.is_(None))
        .order_by(DoorScan.scanned_at, DoorScan.id).limit(1))
    if successor is None:
        return
    outcome, flag = successor.outcome, successor.flag
    successor.outcome, successor.flag = CHECKED_IN, ""  # committed with the check-in it now holds
    organiser = db.session.get(Organiser, successor.organiser_id) if successor.organiser_id else None
    result = services.check_in(registration, organiser, method=successor.method, at=successor.scanned_at,
                               door_scan=successor)
    if result.state != CHECKED_IN:  # cancelled or waiting by now: it stays what it was
        successor.outcome, successor.flag = outcome, flag


def _walk_in(event: Event, scan: DoorScan, action: Action, organiser: Organiser | None) -> Applied:
    admitted = action.shown == CHECKED_IN
    details, errors = walk_in_details(event, action.fields, keep_what_is_valid=admitted)
    db.session.add(scan)
    if details is None:
        scan.outcome, scan.flag = INVALID, DIFFERS if admitted else ""
        return Applied(scan, ScanResult(INVALID), errors)
    outcome = registrations.register(event, details, source="walk-in", check_window=False, force_seat=True,
                                     resend=False)
    registration = outcome.registration
    if inspect(scan).transient:
        db.session.add(scan)
    scan.registration = registration
    if outcome.result == registrations.DUPLICATE:
        if not admitted:  # online: the desk is told and decides, as with the form
            scan.outcome = EXISTING
            return Applied(scan, ScanResult(EXISTING, registration, registration.checkin))
        _merge(registration, details)
        scan.flag = MERGED
    elif errors:
        scan.flag = DIFFERS  # registered without the fields that were not valid
    return Applied(scan, _check_in_holding(scan, registration, organiser, admitted), errors)


def walk_in_details(event: Event, fields: tuple[tuple[str, str], ...], *,
                    keep_what_is_valid: bool) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The desk's walk-in form as the device filled it in, checked by the form's own rules.

    Returns the details and the form's errors. With ``keep_what_is_valid`` (the person was already
    admitted offline) optional fields that fail are left out rather than losing the registration;
    without a valid name or the consent there are no details.
    """
    form_class = build_form_class(settings_for(event), questions_for(event), purpose="walk-in")
    data = MultiDict([pair for pair in fields if pair[0] != "csrf_token"])
    form = form_class(formdata=data, prefix="walkin", meta={"csrf": False})
    if form.validate():
        return form.details(), {}
    errors = {name: list(messages) for name, messages in form.errors.items()}
    if not keep_what_is_valid or "name" in errors or "consent" in errors:
        return None, errors
    failed = {form[name].name for name in errors}
    form = form_class(formdata=MultiDict([pair for pair in data.items(multi=True) if pair[0] not in failed]),
                      prefix="walkin", meta={"csrf": False})
    return (form.details() if form.validate() else None), errors


def _merge(registration: Registration, details: dict[str, Any]) -> None:
    """Fold an offline walk-in into the registration its address already had."""
    if registration.status == WAITING:
        registrations.confirm_anyway(registration)  # the desk admitted them: a seat beyond the capacity
    missing = {name: details[name] for name in MERGED_FIELDS if details.get(name) and not getattr(registration, name)}
    if missing:
        registrations.update_details(registration, missing, by_organiser=True)
