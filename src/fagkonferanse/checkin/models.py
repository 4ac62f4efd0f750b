"""What is recorded when a QR code is scanned: check-ins at the door, what door devices sent,
and stand visits.

A stand visit is anonymous (stand and time only). A passport stamp links a stand to a person,
and exists only when the attendee switched the stand passport on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..accounts.models import Organiser
from ..clock import utcnow
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
    # When the person came in: the scan's own time, also for a scan a door device made offline
    # and sent later (see doorsync.py).
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    # When the server recorded it: door devices ask for what changed since their last sync by it.
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisers.id", ondelete="SET NULL"))
    # Kept as text too, so "checked in by" still reads after an account is deleted.
    organiser_name: Mapped[str] = mapped_column(String(254), default="")
    method: Mapped[str] = mapped_column(String(20), default="scan")  # scan | search | walk-in

    registration: Mapped[Registration] = relationship(
        backref=backref("checkin", uselist=False, cascade="all, delete-orphan", passive_deletes=True)
    )
    organiser: Mapped[Organiser | None] = relationship()


class DoorScan(db.Model):
    """One action a door device sent (a check-in, an undo or a walk-in), kept with its outcome.

    The device makes ``scan_id`` when the action happens, online or not, so sending it again is
    harmless: the second send finds this row and gets the same answer. A scan the door answered
    green that turned out not to be the first check-in of the person is ``flag = "duplicate"``; a
    walk-in registered offline whose address was registered already is ``flag = "merged"``; an
    answer the device gave offline that the server would not have given is ``flag = "differs"``.
    Organisers see flagged scans on the dashboard until they mark them seen. The rows go with the
    person's registration.
    """

    __tablename__ = "door_scans"
    __cache_neutral__ = True  # door scans appear on no public page (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    scan_id: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[str] = mapped_column(String(64))
    device_name: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(10))  # checkin | undo | walk-in
    method: Mapped[str] = mapped_column(String(20), default="scan")  # scan | search | walk-in
    # What the door showed before the server answered ("" when it waited for the server's answer).
    shown: Mapped[str] = mapped_column(String(20), default="")
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"),
                                                         index=True)
    undoes: Mapped[str | None] = mapped_column(String(64))  # an undo: the scan_id it takes back
    scanned_at: Mapped[dt.datetime]  # the device's time of the action, set right by its clock's offset
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisers.id", ondelete="SET NULL"))
    organiser_name: Mapped[str] = mapped_column(String(254), default="")
    outcome: Mapped[str] = mapped_column(String(20))
    # Set while this scan's check-in is the person's recorded one (the database empties it when
    # that check-in is taken back, however that happens).
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="SET NULL"), index=True)
    undone_at: Mapped[dt.datetime | None]
    flag: Mapped[str] = mapped_column(String(10), default="")
    seen_at: Mapped[dt.datetime | None]
    seen_by: Mapped[str] = mapped_column(String(254), default="")

    registration: Mapped[Registration | None] = relationship()
    checkin: Mapped[CheckIn | None] = relationship()


class StandVisit(db.Model):
    """Someone opened a stand's poster QR code: which stand, and when. Nothing about who."""

    __tablename__ = "stand_visits"
    __cache_neutral__ = True  # visits are counted, never shown publicly (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    stand_id: Mapped[int] = mapped_column(ForeignKey("stands.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A batched visit's own random key (checkin/visit_buffer.py): a batch written twice, by its
    # task and by recovery, counts once. None for visits written at once.
    visit_key: Mapped[str | None] = mapped_column(String(32), unique=True)

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
