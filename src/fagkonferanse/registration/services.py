"""Every change of a registration: register, cancel, promote, restore, edit, delete.

Functions that change who has a seat take the event's registration lock
(:func:`.capacity.lock_registrations`: shared for a newcomer, exclusive for everything else), decide, queue the mail the change causes
(:func:`.outbox.queue_mail`, so it is committed with the change or not at all), **commit**, and
only then hand the mail to delivery and call the ``after_registration`` hook — the lock must be
held for milliseconds, not for composing mail or an SMTP round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..app import plugin_manager
from ..audit.services import record
from ..database import forget_deleted_data
from ..events.models import Event
from ..extensions import db
from . import capacity, links
from .mail import remove_outbox_messages
from .outbox import mail_committed, queue_mail
from .models import CANCELLED, CONFIRMED, WAITING, Registration, RegistrationQuestion, Seat
from .settings import OPEN, registration_state, settings_for
from .tokens import new_checkin_code, new_manage_secret
from .validation import InvalidValue

DUPLICATE = "duplicate"
FULL = "full"

# The person's own data fields (what they can see, edit, download).
DETAIL_FIELDS = ("name", "email", "organisation", "municipality", "job_title", "dietary", "accessibility",
                 "lunch", "answers")
# Set by organisers only (their forms and the import): the badge's role and an exhibitor's stand.
ORGANISER_FIELDS = ("role", "stand_id")


@dataclass
class Outcome:
    """What became of a registration attempt.

    ``result`` is ``confirmed``, ``waiting``, ``duplicate`` (the address is already registered:
    nothing was created), ``full`` (no seat and no waiting list), ``not_open`` or ``closed``.
    """

    result: str
    registration: Registration | None = None
    promoted: list[Registration] = field(default_factory=list)


# --- Registering ------------------------------------------------------------------------------


def register(event: Event, details: dict[str, Any], *, source: str = "web", language: str = "nb",
             consent: bool = True, check_window: bool = True, force_seat: bool = False,
             notify: bool = True, resend: bool | None = None,
             settings: RegistrationSettings | None = None) -> Outcome:
    """Register a person for ``event``: a seat while there is one, else the waiting list.

    ``details`` holds cleaned values (see :mod:`.forms`). A second registration with the same
    address creates nothing: the outcome is ``duplicate`` and (with ``resend``, by default
    ``notify``) a fresh ticket link is mailed to the address, ending the earlier ones (see
    :mod:`.links`). A cancelled registration with the same address starts over with new secrets.
    A registration from the public form gets a ``browser_secret``: the registering browser's own
    link. ``force_seat`` (organisers at the desk) confirms even beyond the capacity. ``settings``:
    the event's settings row when the caller has it already (the lock reads it afresh).
    """
    settings = settings if settings is not None else settings_for(event)
    if check_window and (state := registration_state(settings)) != OPEN:
        db.session.commit()  # keeps a settings row settings_for() may just have made
        return Outcome(state)
    alone = force_seat  # a newcomer shares the event's lock; see capacity's docstring
    for attempt in range(4):
        try:
            outcome = _register_locked(event, details, source=source, language=language, consent=consent,
                                       force_seat=force_seat, notify=notify,
                                       resend=notify if resend is None else resend, alone=alone)
        except IntegrityError:
            # PostgreSQL: a concurrent registration with the same address committed first.
            db.session.rollback()
            if attempt == 3:
                raise
            alone = True
            continue
        if outcome is not None:
            break
        alone = True  # the newcomer's path found something only a rare operation may do
    if outcome.result == DUPLICATE:
        mail_committed()  # the fresh link, if one was mailed, and any promotion's
        return outcome
    announce(outcome.registration, outcome.promoted)
    return outcome


def _register_locked(event: Event, details: dict[str, Any], *, source: str, language: str, consent: bool,
                     force_seat: bool, notify: bool, resend: bool, alone: bool) -> Outcome | None:
    """One attempt; None when a newcomer (``alone`` false) met something for a rare operation:
    the caller rolls back and tries again alone (capacity's docstring, 3 and 4)."""
    shared = not alone and capacity.shares_the_lock()
    settings = capacity.lock_registrations(event.id, shared=shared)
    email = details.get("email") or None
    existing = find_by_email(event, email) if email else None
    if shared and existing is not None:
        db.session.rollback()
        return None
    # Alone, the queue goes first, so nobody jumps it — also before a duplicate's answer: it may
    # be the retry of a newcomer whose seat just came free (capacity's docstring, 3).
    promoted = [] if shared else fill_free_seats(event.id, resize=False)
    if existing is not None and existing.status != CANCELLED:
        if resend:
            links.mail_new_link(existing)
        db.session.commit()
        return Outcome(DUPLICATE, existing, promoted)
    waits = not force_seat and capacity.someone_waits(event.id)
    if shared and waits and capacity.seat_left_free(event.id):
        db.session.rollback()
        return None
    registration = existing or Registration(
        event_id=event.id, manage_secret=new_manage_secret(), checkin_code=new_checkin_code(),
    )
    if existing is None:  # complete before it is inserted with its seat: one INSERT, no UPDATE
        _fill_in(registration, details, source, language, consent)
    status = seat_or_queue(event.id, settings.waiting_list, registration, force_seat, waits=waits)
    if status is None:
        db.session.commit()  # keeps any promotion just made
        return Outcome(FULL, None, promoted)
    if existing is not None:
        links.start_over(existing)
        _fill_in(registration, details, source, language, consent)
    db.session.add(registration)
    if notify:
        queue_mail(registration, status)
    db.session.commit()
    return Outcome(status, registration, promoted)


def _fill_in(registration: Registration, details: dict[str, Any], source: str, language: str, consent: bool) -> None:
    _apply_details(registration, details)
    if source == "web":
        registration.browser_secret = links.new_browser_secret()
    registration.source = source
    registration.language = language
    if consent:
        registration.consent_at = utcnow()


def seat_or_queue(event_id: int, waiting_list: bool, registration: Registration, force_seat: bool = False,
                  *, waits: bool | None = None) -> str | None:
    """Decide a newcomer's status under the lock and set it (:func:`set_status`); a confirmed
    ``registration`` is added, flushed and holds its seat. None when refused (full): then nothing
    was set or written. ``waits``: whether someone waits, if the caller asked already.

    Nobody takes a seat while someone waits: the queue goes first. A seat-holder is stamped with
    the time before it looked, a queued person after, so every seat of a rush sorts before its
    queue (capacity's docstring, 2).
    """
    looked_at = utcnow()
    if waits is None:
        waits = not force_seat and capacity.someone_waits(event_id)
    seat = None if force_seat or waits else capacity.free_seat(event_id)
    if not force_seat and seat is None:
        if not waiting_list:
            return None
        set_status(registration, WAITING)
        return WAITING
    set_status(registration, CONFIRMED, at=looked_at)
    db.session.add(registration)
    db.session.flush()
    if force_seat:
        capacity.take_seat_anyway(event_id, registration.id)
    else:
        capacity.occupy(seat, registration.id)
    return CONFIRMED


def set_status(registration: Registration, status: str, at=None) -> None:
    """Status with its timestamps: joining the queue or getting a seat starts now (or ``at``)."""
    now = at or utcnow()
    registration.status = status
    registration.queued_at = now
    registration.confirmed_at = now if status == CONFIRMED else None
    registration.cancelled_at = None


def announce(registration: Registration | None, promoted: list[Registration]) -> None:
    """After commit: hand the queued mail (promoted people's too) to delivery, and tell plugins."""
    mail_committed()
    if registration is not None:
        plugin_manager().hook.after_registration(registration=registration)


# --- The waiting list -------------------------------------------------------------------------


def fill_free_seats(event_id: int, *, resize: bool = True) -> list[Registration]:
    """Promote waiting people, first come first served, while seats are free. Under the exclusive lock.

    Re-sizes the seat pool first (after a cancellation or a capacity change). A newcomer changes
    no seat but the one it takes, so it passes ``resize=False``: re-sizing counts every seat row,
    which costs a registration milliseconds when the capacity is large. Each promoted person's
    "you have a seat" mail is queued in the same transaction.
    """
    free = capacity.size_pool(event_id) if resize else None
    waiting = db.session.scalar(
        db.select(db.func.count(Registration.id)).where(Registration.event_id == event_id,
                                                        Registration.status == WAITING)
    )
    if waiting and free is None:
        free = capacity.free_seat_count(event_id)
    count = min(free or 0, waiting)
    if count == 0:
        return []
    queue = db.session.scalars(
        db.select(Registration).where(Registration.event_id == event_id, Registration.status == WAITING)
        .order_by(Registration.queued_at, Registration.id).limit(count)
    ).all()
    promoted = []
    now = utcnow()
    for person in queue:
        if not capacity.holds_seat(person.id) and not capacity.claim_seat(event_id, person.id):
            break
        person.status = CONFIRMED
        person.confirmed_at = now
        queue_mail(person, "promoted")
        promoted.append(person)
    db.session.flush()
    return promoted


def waiting_position(registration: Registration) -> int:
    """1 for the first in the queue."""
    ahead = db.session.scalar(
        db.select(db.func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == WAITING,
            or_(Registration.queued_at < registration.queued_at,
                and_(Registration.queued_at == registration.queued_at, Registration.id < registration.id)),
        )
    )
    return ahead + 1


# --- Changing status --------------------------------------------------------------------------


def cancel(registration: Registration, *, by_organiser: bool = False) -> list[Registration]:
    """Cancel a registration; a freed seat goes to the first on the waiting list (who is told)."""
    capacity.lock_registrations(registration.event_id)
    db.session.refresh(registration)
    if registration.status == CANCELLED:
        db.session.rollback()
        return []
    if registration.status == CONFIRMED:
        capacity.release_seat(registration.id)
    registration.status = CANCELLED
    registration.cancelled_at = utcnow()
    queue_mail(registration, "cancelled")
    db.session.flush()
    promoted = fill_free_seats(registration.event_id)
    if by_organiser:
        _audit("update", registration, _("Påmelding #%(id)s avmeldt", id=registration.id))
    db.session.commit()
    announce(None, promoted)
    return promoted


def confirm_anyway(registration: Registration) -> None:
    """An organiser gives a waiting (or cancelled) person a seat, even beyond the capacity."""
    capacity.lock_registrations(registration.event_id)
    db.session.refresh(registration)
    if registration.status == CONFIRMED:
        db.session.rollback()
        return
    capacity.take_seat_anyway(registration.event_id, registration.id)
    set_status(registration, CONFIRMED)
    _audit("update", registration, _("Påmelding #%(id)s fikk plass (arrangør)", id=registration.id))
    queue_mail(registration, "promoted")
    db.session.commit()
    mail_committed()


def restore(registration: Registration) -> str | None:
    """Reopen a cancelled registration by the normal rule (a seat, else the end of the queue).

    Returns the new status; None when the event is full and has no waiting list.
    """
    settings = capacity.lock_registrations(registration.event_id)
    db.session.refresh(registration)
    if registration.status != CANCELLED:
        db.session.rollback()
        return registration.status
    promoted = fill_free_seats(registration.event_id)
    status = seat_or_queue(registration.event_id, settings.waiting_list, registration)
    if status is not None:
        _audit("update", registration, _("Påmelding #%(id)s gjenopprettet", id=registration.id))
        queue_mail(registration, status)
    db.session.commit()
    announce(registration if status else None, promoted)
    return status


def save_settings(event: Event, values: dict[str, Any]) -> list[Registration]:
    """Store the organisers' settings; a raised capacity promotes from the waiting list at once."""
    settings = capacity.lock_registrations(event.id)
    changed = {key: [getattr(settings, key), value] for key, value in values.items()
               if getattr(settings, key) != value}
    for key, value in values.items():
        setattr(settings, key, value)
    db.session.flush()
    promoted = fill_free_seats(event.id)
    if changed:
        record("update", "registration_settings", settings.id, _("Påmeldingsinnstillinger endret"),
               changes=changed, event_id=event.id)
    db.session.commit()
    announce(None, promoted)
    return promoted


# --- The person's data ------------------------------------------------------------------------


def update_details(registration: Registration, details: dict[str, Any], *, by_organiser: bool = False) -> str | None:
    """Change a person's details. Raises :class:`InvalidValue` if the new address is taken.

    A new address is treated as a new registration of that address (see :mod:`.links`): it gets
    a fresh link by mail and every earlier link ends. Returns the link secret the attendee who
    changed it continues with (None when nothing like that happened, or an organiser changed it).
    """
    email = (details.get("email") or None) if "email" in details else registration.email
    email = email.lower() if email else None
    if email and email != registration.email:
        other = find_by_email(registration.event, email)
        if other is not None and other.id != registration.id:
            raise InvalidValue(_("Denne e-postadressen er allerede påmeldt."))
    address_changed = "email" in details and email != registration.email
    changed = sorted(name for name, value in details.items() if getattr(registration, name) != value)
    _apply_details(registration, details)
    browser_secret = links.move_to_address(registration, for_browser=not by_organiser) if address_changed else None
    if by_organiser and changed:
        # Field names only: the audit log must not keep personal data after the person is deleted.
        _audit("update", registration, _("Påmelding #%(id)s endret", id=registration.id),
               changes={name: ["…", "…"] for name in changed})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise InvalidValue(_("Denne e-postadressen er allerede påmeldt.")) from None
    if address_changed:
        mail_committed()
    return browser_secret


def delete_person(registration: Registration, *, by_organiser: bool = False) -> list[Registration]:
    """Remove the person everywhere: registration, check-in, stand passport, unsent mail (queued
    rows go with the registration, ``ON DELETE CASCADE``; files in the outbox folder are removed).

    Anonymous stand visits stay (they never said who). A freed seat goes to the waiting list.
    """
    from ..checkin.models import CheckIn, PassportStamp

    event_id, email, registration_id = registration.event_id, registration.email, registration.id
    capacity.lock_registrations(event_id)
    db.session.refresh(registration)
    if registration.status == CONFIRMED:
        capacity.release_seat(registration_id)
    for secret in (registration.manage_secret, registration.browser_secret):
        if secret:
            links.retire(secret, links.DELETED)
    db.session.execute(db.delete(CheckIn).where(CheckIn.registration_id == registration_id))
    db.session.execute(db.delete(PassportStamp).where(PassportStamp.registration_id == registration_id))
    db.session.execute(db.delete(Registration).where(Registration.id == registration_id))
    db.session.expunge(registration)
    promoted = fill_free_seats(event_id)
    if by_organiser:
        record("delete", "registration", registration_id,
               _("Påmelding #%(id)s slettet", id=registration_id), event_id=event_id)
    db.session.commit()
    forget_deleted_data()
    remove_outbox_messages(email)
    announce(None, promoted)
    return promoted


def delete_everyone(event: Event) -> int:
    """Delete every attendee of ``event`` (the privacy notice promises deletion after the day).

    Registrations, check-ins and passport stamps go, with unsent mail; the anonymous stand visits,
    the settings and the questions stay. Returns how many people were deleted.
    """
    from ..checkin.models import CheckIn, PassportStamp

    capacity.lock_registrations(event.id)
    people = db.session.execute(
        db.select(Registration.id, Registration.email, Registration.manage_secret, Registration.browser_secret)
        .where(Registration.event_id == event.id)).all()
    ids = [row.id for row in people]
    for row in people:
        for secret in (row.manage_secret, row.browser_secret):
            if secret:
                links.retire(secret, links.DELETED)
    if ids:
        db.session.execute(db.delete(PassportStamp).where(PassportStamp.registration_id.in_(ids)))
        db.session.execute(db.delete(CheckIn).where(CheckIn.event_id == event.id))
        db.session.execute(db.delete(Registration).where(Registration.event_id == event.id))
    db.session.execute(db.delete(Seat).where(Seat.event_id == event.id, Seat.registration_id.is_not(None)))
    capacity.size_pool(event.id)
    record("delete", "registration", None,
           ngettext("%(num)s deltaker slettet", "Alle %(num)s deltakere slettet", len(ids)), event_id=event.id)
    db.session.commit()
    forget_deleted_data()
    for row in people:
        remove_outbox_messages(row.email)
    return len(ids)


def export_person(registration: Registration) -> dict[str, Any]:
    """Everything stored about the person, for "download my data" (JSON-ready)."""
    from ..checkin.passport import stamps_of
    from .agenda import starred_items

    questions = {str(q.id): q.label for q in db.session.scalars(
        db.select(RegistrationQuestion).where(RegistrationQuestion.event_id == registration.event_id))}
    stamps = stamps_of(registration)
    checkin = registration.checkin

    def iso(value):
        return value.isoformat() + "Z" if value else None

    return {
        "event": registration.event.title,
        "status": registration.status,
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "municipality": registration.municipality,
        "job_title": registration.job_title,
        "dietary": registration.dietary,
        "accessibility": registration.accessibility,
        "lunch": registration.lunch,
        "answers": {questions.get(key, key): value for key, value in (registration.answers or {}).items()},
        "badge_role": registration.role or "automatic",
        "stand": registration.stand.organisation.name if registration.stand else None,
        "language": registration.language,
        "source": registration.source,
        "registered_at": iso(registration.created_at),
        "consent_at": iso(registration.consent_at),
        "confirmed_at": iso(registration.confirmed_at),
        "cancelled_at": iso(registration.cancelled_at),
        "checked_in_at": iso(checkin.at) if checkin else None,
        "stand_passport": {
            "enabled": registration.passport_token is not None,
            "stands": [{"stand": stamp.stand.organisation.name, "at": iso(stamp.at)} for stamp in stamps],
        },
        "my_programme": {
            "starred": [item.title for item in starred_items(registration)],
            "calendar_feed": registration.agenda_token is not None,
        },
        **_plugin_data(registration),
    }


def _plugin_data(registration: Registration) -> dict[str, Any]:
    """What plugins store about the person (``personal_data``), each under its own key."""
    from ..app import plugin_manager

    merged: dict[str, Any] = {}
    for answer in plugin_manager().hook.personal_data(registration=registration):
        merged.update(answer or {})
    return merged


def resend(registration: Registration) -> None:
    """Mail a fresh ticket link (organisers' "send på nytt"); earlier links end (see :mod:`.links`)."""
    links.replace_links(registration)
    queue_mail(registration, "resend")
    db.session.commit()
    mail_committed()


def request_link(event: Event, email: str) -> None:
    """"I lost my link": a fresh one to the address if it is registered, within the hourly limit.

    The caller answers the same whatever happened, so the form tells nobody who is registered.
    """
    capacity.lock_registrations(event.id)
    registration = find_by_email(event, email)
    if registration is not None:
        links.mail_new_link(registration)
    db.session.commit()
    mail_committed()


# --- Finding ----------------------------------------------------------------------------------


def find_by_code(code: str) -> Registration | None:
    """The registration a QR check-in code belongs to (any event: the caller checks which)."""
    return db.session.scalar(db.select(Registration).where(Registration.checkin_code == code))


def find_by_door_code(event: Event, code: str) -> Registration | None:
    """The event's registration with this short door code (checked, undivided: ``K7QM4XT2``)."""
    return db.session.scalar(db.select(Registration).where(Registration.event_id == event.id,
                                                           Registration.door_code == code))


def find_by_email(event: Event, email: str) -> Registration | None:
    """The event's registration with this address (addresses are stored lower-cased)."""
    return db.session.scalar(
        db.select(Registration).where(Registration.event_id == event.id, Registration.email == email.lower())
    )


def status_counts(event: Event) -> dict[str, int]:
    """``{"confirmed": n, "waiting": n, "cancelled": n}``."""
    rows = db.session.execute(
        db.select(Registration.status, db.func.count(Registration.id))
        .where(Registration.event_id == event.id).group_by(Registration.status)
    ).all()
    counts = {status: 0 for status in (CONFIRMED, WAITING, CANCELLED)}
    counts.update({status: count for status, count in rows})
    return counts


# --- Helpers ----------------------------------------------------------------------------------


def _apply_details(registration: Registration, details: dict[str, Any]) -> None:
    for name in DETAIL_FIELDS + ORGANISER_FIELDS:
        if name in details:
            value = details[name]
            if name == "email":
                value = value.lower() if value else None
            setattr(registration, name, value)


def _audit(action: str, registration: Registration, summary: str, changes: dict | None = None) -> None:
    record(action, "registration", registration.id, summary, changes=changes, event_id=registration.event_id)
