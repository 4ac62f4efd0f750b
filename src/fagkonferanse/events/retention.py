"""Keeping attendees only as long as promised: anonymising a past conference's registrations.

Each conference says how many days after its date its attendees' data is kept
(``Event.attendee_retention_days``, editable by organisers). When that time is over, the people
become counts: every registration keeps what statistics need — its status, municipality, role,
lunch, source, when it was made, confirmed or cancelled, and its check-in time — and loses what
names a person — name, address, employer, job title, diet, accessibility needs, answers, starred
items and every token (old ticket links answer "410 Gone", old QR codes and door codes match
nobody). Passport stamps (a person's path between stands) go; the anonymous stand visits stay.
The audit log keeps its entries but not the before/after values of registrations.

The current conference is never anonymised, whatever its date. The worker's sweep runs this
every minute (a cheap look when nothing is due), ``fagkonferanse events anonymise`` on demand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import clock, jobs
from ..audit.models import AuditEntry
from ..database import forget_deleted_data
from ..extensions import db
from ..registration import links
from ..registration.models import Registration
from ..registration.tokens import new_checkin_code, new_door_code, new_manage_secret
from .models import Event
from .services import current_live_event

ANONYMOUS_NAME = "Anonymisert"
# Audit entries whose before/after values can hold a person's details.
PERSONAL_AUDIT_ENTITIES = ("registration", "registration_import", "checkin")


@dataclass(frozen=True)
class Due:
    """A conference whose attendees are to be anonymised, and how many registrations it holds."""

    event: Event
    due_on: dt.date
    registrations: int


def due_date(event: Event) -> dt.date:
    """The day from which ``event``'s attendees are anonymised."""
    return event.date + dt.timedelta(days=event.attendee_retention_days)


def due_events(today: dt.date | None = None) -> list[Due]:
    """Past conferences whose retention time is over and whose attendees are not yet anonymised;
    never the current one."""
    today = today or clock.local_now("Europe/Oslo").date()
    current = current_live_event()
    candidates = db.session.scalars(db.select(Event).where(Event.attendees_anonymised_at.is_(None))
                                    .order_by(Event.date, Event.id))
    found = []
    for event in candidates:
        if (current is not None and event.id == current.id) or due_date(event) > today:
            continue
        count = db.session.scalar(db.select(db.func.count(Registration.id)).where(Registration.event_id == event.id))
        found.append(Due(event, due_date(event), count))
    return found


def anonymise_attendees(event: Event, *, hook=None) -> int:
    """Remove every attendee's personal data from ``event`` (in the caller's transaction; commit,
    then call :func:`~fagkonferanse.database.forget_deleted_data`). Returns how many registrations
    were anonymised. Refuses the current conference."""
    from ..checkin.models import PassportStamp

    current = current_live_event()
    if current is not None and current.id == event.id:
        raise ValueError(f"{event.slug} is the current conference: its attendees are not anonymised")
    people = list(db.session.scalars(db.select(Registration).where(Registration.event_id == event.id)))
    for person in people:
        for secret in (person.manage_secret, person.browser_secret):
            if secret:
                links.retire(secret, links.DELETED)
        _blank(person)
    ids = [person.id for person in people]
    if ids:
        db.session.execute(db.delete(PassportStamp).where(PassportStamp.registration_id.in_(ids)))
    db.session.execute(db.update(AuditEntry).where(AuditEntry.event_id == event.id,
                                                   AuditEntry.entity.in_(PERSONAL_AUDIT_ENTITIES))
                       .values(changes={}))
    if hook is not None:
        hook.attendees_anonymised(event=event)
    event.attendees_anonymised_at = clock.utc_now()
    db.session.flush()
    return len(people)


def _blank(person: Registration) -> None:
    person.name = ANONYMOUS_NAME
    person.email = None
    person.organisation = person.job_title = person.dietary = person.accessibility = ""
    person.answers = {}
    person.starred_items = []
    person.manage_secret = new_manage_secret()  # unique and required: a fresh one nobody knows
    person.browser_secret = person.agenda_token = person.passport_token = None
    person.checkin_code = new_checkin_code()
    person.door_code = new_door_code()
    person.consent_at = person.address_confirmed_at = None


def anonymise_due(today: dt.date | None = None, *, hook=None) -> list[tuple[Event, int]]:
    """Anonymise every conference that is due, each in its own commit. Returns what was done."""
    done = []
    for due in due_events(today):
        count = anonymise_attendees(due.event, hook=hook)
        db.session.commit()
        done.append((due.event, count))
    if done:
        forget_deleted_data()
    return done


@jobs.every_minute
def anonymise_due_conferences() -> None:
    """The worker's sweep: anonymise what became due (usually nothing; one small query)."""
    from ..app import plugin_manager

    anonymise_due(hook=plugin_manager().hook)
