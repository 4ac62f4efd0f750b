"""Who may answer, the link that lets them, reading the form, and storing the answer once.

The rules are plain functions over the database that the views, the ticket page, the mail and
the tests call. Storing is the one place anonymity and "once per ticket" meet: the ticket is
marked answered by a conditional UPDATE and the answer is written in the same transaction only
if that UPDATE changed exactly one row, so two submits at the same moment store one answer.
"""

from __future__ import annotations

import enum
import secrets
import uuid
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from fagkonferanse import (
    CANCELLED,
    CheckIn,
    Event,
    Registration,
    conference_day,
    db,
    mail_committed,
    queue_mail,
    utcnow,
)

from .models import SCALE, FeedbackResponse, FeedbackTicket
from .questions import questions_of, rated_items

MAIL_KIND = "feedback"
SCALE_VALUES = (1, 2, 3, 4, 5)
MAX_TEXT = 3000  # characters per free-text answer


class Refusal(enum.Enum):
    """Why someone may not answer (None from :func:`refusal` means they may)."""

    NOT_CHECKED_IN = "not-checked-in"
    CANCELLED = "cancelled"
    NOT_YET = "not-yet"  # the day's programme has not ended
    ANSWERED = "answered"


# --- Who ----------------------------------------------------------------------------------------


def was_checked_in(registration: Registration) -> bool:
    return db.session.scalar(db.select(CheckIn.id).where(CheckIn.registration_id == registration.id)) is not None


def is_open(event: Event) -> bool:
    """The form opens when the day's last programme item ends (the site's clock) and stays open."""
    return conference_day(event).is_over


def refusal(ticket_or_registration: FeedbackTicket | Registration) -> Refusal | None:
    """Why this person may not answer now, or None: checked in, not cancelled, day over, not answered."""
    ticket = ticket_or_registration if isinstance(ticket_or_registration, FeedbackTicket) else None
    registration = ticket.registration if ticket is not None else ticket_or_registration
    if registration.status == CANCELLED:
        return Refusal.CANCELLED
    if not was_checked_in(registration):
        return Refusal.NOT_CHECKED_IN
    if ticket is not None and ticket.answered:
        return Refusal.ANSWERED
    if not is_open(registration.event):
        return Refusal.NOT_YET
    return None


def checked_in(event: Event) -> list[Registration]:
    """Everyone checked in at the door and not cancelled since, in id order."""
    return list(db.session.scalars(
        db.select(Registration).join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.status != CANCELLED).order_by(Registration.id)))


# --- The link -----------------------------------------------------------------------------------


def ticket_of(registration: Registration) -> FeedbackTicket | None:
    return db.session.scalar(db.select(FeedbackTicket).where(FeedbackTicket.registration_id == registration.id))


def ticket_for(registration: Registration) -> FeedbackTicket:
    """The attendee's feedback ticket, made the first time it is needed (the caller commits).

    Raises ValueError for someone who was not checked in or has cancelled.
    """
    existing = ticket_of(registration)
    if existing is not None:
        return existing
    if registration.status == CANCELLED or not was_checked_in(registration):
        raise ValueError(f"registration {registration.id} may not give feedback")
    ticket = FeedbackTicket(event_id=registration.event_id, registration=registration,
                            token=secrets.token_urlsafe(24), answered=False)
    db.session.add(ticket)
    db.session.flush()
    return ticket


def by_token(token: str) -> FeedbackTicket | None:
    if not 16 <= len(token) <= 64:
        return None
    return db.session.scalar(db.select(FeedbackTicket).where(FeedbackTicket.token == token))


# --- Reading the form ---------------------------------------------------------------------------


@dataclass
class Answers:
    """What a submitted form said, and what was wrong with it (field name -> message)."""

    questions: dict[str, int | str] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.questions and not self.items

    def as_json(self) -> dict:
        return {"questions": self.questions, "items": self.items}


def _scale(value: str) -> int | None | str:
    """"1".."5" -> the number; "" or "skip" -> None; anything else -> "bad"."""
    value = (value or "").strip()
    if value in ("", "skip"):
        return None
    if value in {str(number) for number in SCALE_VALUES}:
        return int(value)
    return "bad"


def read_form(event: Event, form) -> Answers:
    """The answers in a submitted form (``form`` maps field names to strings), checked.

    Field names: ``q-<question id>`` and ``item-<item id>``. Nothing is required, but an empty
    form is an error: sending it would use up the one answer.
    """
    answers = Answers()
    for question in questions_of(event):
        name = f"q-{question.id}"
        if question.kind == SCALE:
            value = _scale(form.get(name, ""))
            if value == "bad":
                answers.errors[name] = _l("Velg et tall fra 1 til 5.")
            elif value is not None:
                answers.questions[str(question.id)] = value
        else:
            text = (form.get(name, "") or "").strip()
            if len(text) > MAX_TEXT:
                answers.errors[name] = _l("Svaret kan være på høyst %(num)s tegn.", num=MAX_TEXT)
            elif text:
                answers.questions[str(question.id)] = text
    for item in rated_items(event):
        name = f"item-{item.id}"
        value = _scale(form.get(name, ""))
        if value == "bad":
            answers.errors[name] = _l("Velg et tall fra 1 til 5, eller «Var ikke der».")
        elif value is not None:
            answers.items[str(item.id)] = value
    if not answers.errors and answers.is_empty:
        answers.errors["form"] = _l("Svar på minst ett av spørsmålene før du sender.")
    return answers


# --- Storing, once ------------------------------------------------------------------------------


def submit(ticket: FeedbackTicket, answers: Answers) -> bool:
    """Store ``answers`` for ``ticket`` if it has not answered yet, and commit; False if it had.

    The response row gets a random id, the event and today's local date, nothing else.
    """
    ticket_id, event_id = ticket.id, ticket.event_id
    taken = db.session.execute(
        update(FeedbackTicket).where(FeedbackTicket.id == ticket_id, FeedbackTicket.answered.is_(False))
        .values(answered=True).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.rollback()
        return False
    today = conference_day(db.session.get(Event, event_id)).now.date()
    db.session.add(FeedbackResponse(id=uuid.uuid4().hex, event_id=event_id, date=today,
                                    answers=answers.as_json()))
    db.session.commit()
    return True


# --- The invitation -----------------------------------------------------------------------------


def invite_everyone(event: Event) -> int:
    """Mail the link to everyone checked in with an address, not invited and not answered yet; commits.

    Cancelled attendees are never invited (nor deleted ones: they have no row). Returns how many.
    """
    count = 0
    for registration in checked_in(event):
        ticket = ticket_for(registration)
        if ticket.invited_at is not None or ticket.answered or not registration.email:
            continue
        if queue_mail(registration, MAIL_KIND) is not None:
            ticket.invited_at = utcnow()
            count += 1
    db.session.commit()
    mail_committed()
    return count


def forget(event: Event) -> None:
    """Delete the event's tickets (its attendees were anonymised; the caller commits). The
    responses stay: they name nobody."""
    db.session.execute(db.delete(FeedbackTicket).where(FeedbackTicket.event_id == event.id))
