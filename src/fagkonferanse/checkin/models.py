"""What is recorded when a QR code is scanned: check-ins at the door and stand visits.

A stand visit is anonymous (stand and time only). A passport stamp links a stand to a person,
and exists only when the attendee switched the stand passport on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..accounts.models import Organiser, utcnow
from ..extensions import db
from ..registration.models import Registration
from ..stands.models import Stand


class CheckIn(db.Model):
    """A registration admitted at the door. At most one per registration (the unique constraint
    makes a second scan, even at the same moment on another scanner, a no-op)."""

    __tablename__ = "checkins"
    __cache_neutral__ = True  # check-ins appear on no public page (see pagecache)
    # AUTOINCREMENT on SQLite: an undone check-in's id is never given to the next one, so a stale
    # "Angre" button cannot undo someone else (PostgreSQL sequences never reuse ids anyway).
    __table_args__ = (UniqueConstraint("registration_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisers.id", ondelete="SET NULL"))
    # Kept as text too, so "checked in by" still reads after an account is deleted.
    organiser_name: Mapped[str] = mapped_column(String(254), default="")
    method: Mapped[str] = mapped_column(String(20), default="scan")  # scan | search | walk-in

    registration: Mapped[Registration] = relationship(
        backref=backref("checkin", uselist=False, cascade="all, delete-orphan", passive_deletes=True)
    )
    organiser: Mapped[Organiser | None] = relationship()


class StandVisit(db.Model):
    """Someone opened a stand's poster QR code: which stand, and when. Nothing about who."""

    __tablename__ = "stand_visits"
    __cache_neutral__ = True  # visits are counted, never shown publicly (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("stands.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    stand: Mapped[Stand] = relationship()


class PassportStamp(db.Model):
    """A stand in an attendee's stand passport (opt-in, theirs to see and delete)."""

    __tablename__ = "passport_stamps"
    __cache_neutral__ = True  # a passport shows only to its own browser, never from the cache (see pagecache)
    __table_args__ = (UniqueConstraint("registration_id", "stand_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    stand_id: Mapped[int] = mapped_column(ForeignKey("stands.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    stand: Mapped[Stand] = relationship()
