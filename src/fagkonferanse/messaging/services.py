"""Sending a message to a group, the reminder the day before, and the counts of what went out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import update

from .. import clock, jobs
from ..audit.services import record
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration
from ..registration.outbox import OutgoingMail, mail_committed, queue_mail
from . import groups
from .models import GROUP_MESSAGE, REMINDER, Message, ReminderSettings


def send_to_group(event: Event, group: str, value: str, texts: dict[str, str], *, sent_by: str = "",
                  form_key: str | None = None) -> Message:
    """Queue ``texts`` (subject, body, subject_en, body_en) for everyone ``group`` reaches now,
    commit, and hand the mail to the job engine. Returns the message with its count.

    ``form_key`` is unique: a second send of the same form fails at the commit (IntegrityError).
    """
    people = groups.recipients(event, group, value)
    message = Message(event_id=event.id, kind=GROUP_MESSAGE, group=group, group_value=value.strip(),
                      sent_by=sent_by, recipients=0, form_key=form_key, **texts)
    db.session.add(message)
    _queue(message, people)
    record("send", "message", None, f"Melding «{message.subject}» til {groups.describe(group, value)}: "
           f"{message.recipients} mottakere", event_id=event.id)
    db.session.commit()
    mail_committed()
    return message


def _queue(message: Message, people: list[Registration]) -> None:
    db.session.flush()  # the message's id, for its outbox rows
    for person in people:
        outgoing = queue_mail(person, message.kind)
        if outgoing is not None:
            outgoing.message_id = message.id
            message.recipients += 1


def pending_by_message(event: Event) -> dict[int, tuple[int, int]]:
    """For each of ``event``'s messages with mail still waiting: (not yet tried, failed once and
    waiting for a retry). One query for the whole list."""
    retrying = db.case((OutgoingMail.attempts > 0, 1), else_=0)
    rows = db.session.execute(
        db.select(OutgoingMail.message_id, db.func.count(OutgoingMail.id), db.func.sum(retrying))
        .join(Message, Message.id == OutgoingMail.message_id).where(Message.event_id == event.id)
        .group_by(OutgoingMail.message_id)).all()
    return {message_id: (total - retried, retried) for message_id, total, retried in rows}



def not_sent(message: Message, waiting: int, retrying: int) -> int:
    """How many it was queued for but will not reach: cancelled or deleted since."""
    return max(0, message.recipients - message.delivered - message.failed - waiting - retrying)


def last_error(message: Message) -> str | None:
    return db.session.scalar(db.select(OutgoingMail.last_error)
                             .where(OutgoingMail.message_id == message.id, OutgoingMail.last_error.is_not(None))
                             .order_by(OutgoingMail.id.desc()).limit(1))


def count_delivery(message_id: int, *, failed: bool) -> None:
    """One of the message's mails left the outbox (in the caller's transaction)."""
    column = Message.failed if failed else Message.delivered
    db.session.execute(update(Message).where(Message.id == message_id).values({column: column + 1})
                       .execution_options(synchronize_session=False))


def sent_messages(event: Event) -> list[Message]:
    return list(db.session.scalars(db.select(Message).where(Message.event_id == event.id)
                                   .order_by(Message.sent_at.desc(), Message.id.desc())))


# --- The reminder the day before ----------------------------------------------------------------


def reminder_for(event: Event) -> ReminderSettings:
    """The event's reminder settings, made (switched on) the first time they are asked for."""
    found = db.session.scalar(db.select(ReminderSettings).where(ReminderSettings.event_id == event.id))
    if found is None:
        found = ReminderSettings(event_id=event.id)
        db.session.add(found)
        db.session.flush()
    return found


def reminder_moment(event: Event, settings: ReminderSettings) -> dt.datetime:
    """When the reminder goes, as naive UTC: the day before the conference at ``send_time``, local."""
    local = dt.datetime.combine(event.date - dt.timedelta(days=1), settings.send_time, ZoneInfo(event.timezone))
    return local.astimezone(dt.UTC).replace(tzinfo=None)


SENT, OFF, SCHEDULED, TOO_LATE = "sent", "off", "scheduled", "too late"


def reminder_state(event: Event, settings: ReminderSettings, now: dt.datetime | None = None) -> str:
    """Where the reminder stands: sent, switched off, waiting for its time, or too late (the
    conference's day has begun without it)."""
    now = now or clock.utc_now()
    if settings.sent_at is not None:
        return SENT
    if not settings.enabled:
        return OFF
    start_of_day = dt.datetime.combine(event.date, dt.time(0), ZoneInfo(event.timezone)).astimezone(dt.UTC)
    return TOO_LATE if now >= start_of_day.replace(tzinfo=None) else SCHEDULED


def send_reminder_if_due(event: Event, now: dt.datetime | None = None) -> Message | None:
    """Queue the reminder for everyone confirmed, once, if it is on and its time has come but the
    conference's day has not. Commits when it sends."""
    now = now or clock.utc_now()
    settings = reminder_for(event)
    if reminder_state(event, settings, now) != SCHEDULED or now < reminder_moment(event, settings):
        return None
    message = Message(event_id=event.id, kind=REMINDER, group="confirmed", subject=settings.subject,
                      body=settings.body, subject_en=settings.subject_en, body_en=settings.body_en,
                      sent_by="", recipients=0)
    db.session.add(message)
    _queue(message, groups.recipients(event, "confirmed"))
    settings.sent_at, settings.message_id = now, message.id
    db.session.commit()
    mail_committed()
    return message


@jobs.every_minute
def send_due_reminders() -> None:
    """The worker's sweep: the reminder of every conference whose day is tomorrow (one small query
    when there is none)."""
    today = clock.utc_now().date()
    events = db.session.scalars(db.select(Event).where(Event.date.between(today, today + dt.timedelta(days=2))))
    for event in events:
        send_reminder_if_due(event)
    db.session.commit()
