"""Registration, the per-event registration settings and the organisers' extra questions.

Timestamps are naive UTC (like the audit log); pages and mails show them in the event's time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ..clock import utcnow
from ..events.models import Event
from ..extensions import db
from ..stands.models import Stand
from .tokens import new_door_code

CONFIRMED = "confirmed"
WAITING = "waiting"
CANCELLED = "cancelled"
STATUSES = (CONFIRMED, WAITING, CANCELLED)

# Where a registration came from: the public form, the desk on the day, a CSV file, an organiser.
SOURCES = ("web", "walk-in", "import", "organiser")

DEFAULT_CAPACITY = 150


class Seat(db.Model):
    """One seat of an event: free (``registration_id`` NULL) or held by a confirmed registration.

    An event has ``capacity`` seats, plus one for each person organisers confirmed beyond it;
    newcomers take a free one each (see :mod:`.capacity`), so they do not queue on one row.
    """

    __tablename__ = "seats"
    __cache_neutral__ = True  # who holds a seat shows on no public page (see pagecache)
    __table_args__ = (UniqueConstraint("registration_id"), Index("ix_seats_event_holder", "event_id", "registration_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    # A deleted registration takes its seat row along; the next capacity operation refills the pool.
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))


class RegistrationSettings(db.Model):
    """The organisers' rules for one event's registration.

    ``confirmed_count`` (read-only) counts the event's held seats, which :mod:`.capacity` keeps
    equal to its confirmed registrations.
    """

    __tablename__ = "registration_settings"
    # The home page says whether registration is open, so opening and closing times count.
    __cache_neutral__ = False
    __cache_neutral_columns__ = ("updated_at",)
    __table_args__ = (UniqueConstraint("event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    capacity: Mapped[int] = mapped_column(default=DEFAULT_CAPACITY)
    waiting_list: Mapped[bool] = mapped_column(default=True)
    opens_at: Mapped[dt.datetime | None]
    closes_at: Mapped[dt.datetime | None]
    # {"organisation": "required" | "optional" | "hidden", …}; a missing key means the default.
    field_modes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Empty means the built-in notice (registration/privacy.py).
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()

    # Loaded when asked for, not with every read of the settings (a count, not a column).
    confirmed_count: Mapped[int] = column_property(
        select(func.count(Seat.id)).where(Seat.event_id == event_id, Seat.registration_id.is_not(None))
        .correlate_except(Seat).scalar_subquery(), deferred=True)


class RegistrationQuestion(db.Model):
    """A simple extra question on the form ("Which workshop?", "Do you need parking?")."""

    __tablename__ = "registration_questions"
    __cache_neutral__ = False  # /register shows them, and its empty page is kept by the content version

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="text")  # text | yesno | choice
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)


class Registration(db.Model):
    """One person's place (or place in the queue) at one event.

    Unguessable tokens belong to it: ``manage_secret`` opens the ticket page and is only ever
    mailed to the address; ``browser_secret`` opens it for the browser that filled in the form,
    until the address owner opens their mailed link (see :mod:`.links`); ``checkin_code`` is what
    the door scans (it is in the QR code and on the badge). None says anything about the person.
    """

    __tablename__ = "registrations"
    __cache_neutral__ = True  # attendees appear on no public page (see pagecache)
    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        UniqueConstraint("manage_secret"),
        UniqueConstraint("browser_secret"),
        UniqueConstraint("checkin_code"),
        UniqueConstraint("door_code"),
        UniqueConstraint("passport_token"),
        UniqueConstraint("agenda_token"),
        Index("ix_registrations_queue", "event_id", "status", "queued_at"),
        # A deleted person's id is never reused on SQLite, so old links and audit entries
        # ("påmelding #12") never point to someone else.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    # Lower-cased. Empty (NULL) only for a walk-in who gave no address.
    email: Mapped[str | None] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    municipality: Mapped[str] = mapped_column(String(100), default="")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    dietary: Mapped[str] = mapped_column(Text, default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")
    lunch: Mapped[bool] = mapped_column(default=True)
    # {"<question id>": "answer"}: answers to the organisers' extra questions.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    language: Mapped[str] = mapped_column(String(5), default="nb")
    source: Mapped[str] = mapped_column(String(20), default="web")
    consent_at: Mapped[dt.datetime | None]
    manage_secret: Mapped[str] = mapped_column(String(64))
    # The registering browser's own link, valid until the address is confirmed (registration/links.py).
    browser_secret: Mapped[str | None] = mapped_column(String(64))
    # When the owner of the address first opened a link mailed to it.
    address_confirmed_at: Mapped[dt.datetime | None]
    checkin_code: Mapped[str] = mapped_column(String(64))
    # What a person types at the door when the QR code will not scan ("K7QM-4XT2", tokens.py).
    door_code: Mapped[str] = mapped_column(String(8), default=new_door_code)
    # The programme items the attendee starred ("Mitt program"), kept with the ticket so they
    # follow the person to another device; agenda_token names the iCal feed of them alone.
    starred_items: Mapped[list[int]] = mapped_column(JSON, default=list)
    agenda_token: Mapped[str | None] = mapped_column(String(64))
    # Set while the attendee has switched the stand passport on (checkin/passport.py).
    passport_token: Mapped[str | None] = mapped_column(String(64))
    # The role on the badge an organiser chose ("" = automatic, see roles.py), and the stand
    # whose staff the person belongs to (an exhibitor); set by organisers, never by the attendee.
    role: Mapped[str] = mapped_column(String(20), default="")
    stand_id: Mapped[int | None] = mapped_column(ForeignKey("stands.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The waiting list is served in (queued_at, id) order.
    queued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    cancelled_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship()
    stand: Mapped[Stand | None] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.status == CONFIRMED

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


class RetiredTicketLink(db.Model):
    """A ticket link that no longer works, so that it answers "410 Gone" with the reason.

    Only the SHA-256 of the secret is kept, with no reference to the person: the row says nothing
    about anyone, and survives the deletion of the registration it once opened.
    """

    __tablename__ = "retired_ticket_links"
    __cache_neutral__ = True  # no public page shows tickets (see pagecache)

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # "replaced" (a newer link was mailed), "confirmed" (the owner opened the mailed link),
    # "deleted" (the person deleted their data).
    reason: Mapped[str] = mapped_column(String(20))
    retired_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TicketLinkMail(db.Model):
    """One ticket link mailed at a stranger's request, to limit how often an address gets one.

    Counted in the database, so the limit holds across workers and machines. The address is kept
    only as a keyed hash (HMAC with the site's secret key), and rows older than the limit's
    window are deleted whenever a new one is written.
    """

    __tablename__ = "ticket_link_mails"
    __cache_neutral__ = True  # no public page shows it (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    address_key: Mapped[str] = mapped_column(String(64), index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
