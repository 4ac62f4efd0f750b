"""The badge plugin's own tables: the role printed on a badge, and which badges were printed.

Both hang off a registration and disappear with it (``ON DELETE CASCADE``); the registration
table itself stays the core's. Created by the plugin's Alembic branch (``migrations/``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fagkonferanse.accounts.models import utcnow
from fagkonferanse.extensions import db


class BadgeRole(db.Model):
    """A role an organiser chose for one person, replacing the derived one (see :mod:`.roles`).

    Only choices are stored: a person without a row gets the role derived from the programme,
    the stands and the organisers, so it follows changes to those until someone decides.
    """

    __tablename__ = "badge_roles"
    __cache_neutral__ = True  # printed on badges and shown to organisers only

    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(254), default="")


class BadgePrint(db.Model):
    """The last time a person's badge was printed, and what was on it.

    ``fingerprint`` is a digest of the printed text and check-in code: a badge whose name,
    organisation, role or code changed since counts as not printed, so "not printed yet" also
    reprints badges that went out of date.
    """

    __tablename__ = "badge_prints"
    __cache_neutral__ = True  # organisers only

    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    printed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    layout: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    times: Mapped[int] = mapped_column(default=1)
