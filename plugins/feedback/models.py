"""The feedback plugin's tables: the questions, who may answer (and has), and the answers.

Anonymity is structural: ``feedback_tickets`` knows the person (to send the link and to allow one
answer) but not what they answered; ``feedback_responses`` holds the answers with nothing that
leads back — a random id (no counter, no insertion order on SQLite: ``WITHOUT ROWID``), the event
and the local date, no timestamp. Created by the plugin's Alembic branch (``migrations/``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fagkonferanse import Registration, db

SCALE, TEXT = "scale", "text"
KINDS = (SCALE, TEXT)
TEXT_LENGTH = 300


class FeedbackSettings(db.Model):
    """One event's feedback form: whether each programme item is rated.

    The row is made with the default questions the first time the event's form is needed, so
    an organiser who deletes every question does not get the defaults back.
    """

    __tablename__ = "feedback_settings"
    __cache_neutral__ = True  # the form and the results are never cached pages

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    rate_items: Mapped[bool] = mapped_column(default=True)


class FeedbackQuestion(db.Model):
    """A general question of the form: on the 1–5 scale or free text, in bokmål (English optional)."""

    __tablename__ = "feedback_questions"
    __cache_neutral__ = True  # shown only on the personal form (no-store) and to organisers

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(10), default=SCALE)
    text: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    text_en: Mapped[str] = mapped_column(String(TEXT_LENGTH), default="")  # empty: the Norwegian text


class FeedbackTicket(db.Model):
    """One checked-in attendee's right to answer once: the link's token and whether it is used.

    Deleted with the registration (``ON DELETE CASCADE``) and when the event's attendees are
    anonymised; the answers stay, as they never pointed here.
    """

    __tablename__ = "feedback_tickets"
    __cache_neutral__ = True  # no public page shows it

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    answered: Mapped[bool] = mapped_column(default=False)
    invited_at: Mapped[dt.datetime | None]

    registration: Mapped[Registration] = relationship()


class FeedbackResponse(db.Model):
    """One anonymous answer to the form.

    ``answers`` is ``{"questions": {"<question id>": 4 | "text"}, "items": {"<item id>": 1..5}}``;
    a question or item left out was not answered ("did not attend").
    """

    __tablename__ = "feedback_responses"
    __cache_neutral__ = True  # counted on organiser pages only
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex: says nothing of the order
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date]  # the local date only: no time that could be matched with a log
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
