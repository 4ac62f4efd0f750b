"""The badge plugin's own tables: which badges were printed, and how badges print on arrival.

The role printed on a badge is the registration's own field (the core's ``registrations.role``,
see ``fagkonferanse.registration.roles``), not stored here. Print records hang off a
registration and disappear with it (``ON DELETE CASCADE``). Created by the plugin's Alembic
branch (``migrations/``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fagkonferanse import db, utcnow

OFF, ONCE, ALWAYS = "off", "once", "always"
ARRIVAL_MODES = (OFF, ONCE, ALWAYS)
DEFAULT_SIZE = "90x55"


class BadgePrint(db.Model):
    """The last time a person's badge was printed, and what was on it.

    ``fingerprint`` is a digest of the printed text and check-in code: a badge whose name,
    organisation, role or code changed since counts as not printed, so "not printed yet" also
    reprints badges that went out of date. ``scan_id`` is the door's id of the check-in that
    printed it on arrival, so the same check-in never prints twice (a reloaded door page, a
    repeated event).
    """

    __tablename__ = "badge_prints"
    __cache_neutral__ = True  # organisers only

    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    printed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    layout: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    times: Mapped[int] = mapped_column(default=1)
    scan_id: Mapped[str | None] = mapped_column(String(64))


class BadgeSettings(db.Model):
    """How an event's badges print when people are checked in at the door.

    ``on_arrival``: ``off``, ``once`` (only a person whose current badge has not been printed)
    or ``always``. ``size`` is the badge printer's label in mm ("90x55", the "single" layout).
    ``printer`` names a CUPS printer on the server: set, badges go there (``lp``) for every
    check-in, with or without JavaScript on the door device; empty, the door device's browser
    opens the PDF in its print dialog.
    """

    __tablename__ = "badge_settings"
    __cache_neutral__ = True  # organisers only

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    on_arrival: Mapped[str] = mapped_column(String(10), default=OFF)
    size: Mapped[str] = mapped_column(String(20), default=DEFAULT_SIZE)
    printer: Mapped[str] = mapped_column(String(127), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
