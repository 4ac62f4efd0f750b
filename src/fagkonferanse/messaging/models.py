"""What organisers wrote to a group, and the event's reminder settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db

GROUP_MESSAGE = "message"  # mail kind of a message an organiser wrote
REMINDER = "reminder"  # mail kind of the reminder the day before

DEFAULT_REMINDER_TIME = dt.time(12, 0)  # local time, the day before


class Message(db.Model):
    """One message to a group, as written; the people it went to are outbox rows until sent.

    ``recipients`` is how many it was queued for; ``delivered`` and ``failed`` grow as the outbox
    sends (failed: SMTP refused it to the end and it went to the outbox folder for a person to send).
    """

    __tablename__ = "messages"
    __cache_neutral__ = True  # appears on no public page

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=GROUP_MESSAGE)  # GROUP_MESSAGE | REMINDER
    group: Mapped[str] = mapped_column(String(30))
    group_value: Mapped[str] = mapped_column(String(200), default="")  # the municipality or organisation
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    subject_en: Mapped[str] = mapped_column(String(200), default="")  # empty: the Norwegian text for all
    body_en: Mapped[str] = mapped_column(Text, default="")
    sent_by: Mapped[str] = mapped_column(String(254), default="")
    # The form's one-time key: pressing "Send" twice (or going back and again) sends once.
    form_key: Mapped[str | None] = mapped_column(String(32), unique=True)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recipients: Mapped[int] = mapped_column(default=0)
    delivered: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)


class ReminderSettings(db.Model):
    """The event's reminder the day before: on unless switched off, with the organisers' words.

    ``sent_at`` is set when the worker queued it (once per event); people who register after
    that have their confirmation, which says the same.
    """

    __tablename__ = "reminder_settings"
    __cache_neutral__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    send_time: Mapped[dt.time] = mapped_column(default=DEFAULT_REMINDER_TIME)
    subject: Mapped[str] = mapped_column(String(200), default="")  # empty: the standard wording
    body: Mapped[str] = mapped_column(Text, default="")
    subject_en: Mapped[str] = mapped_column(String(200), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime | None]
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
