"""Organiser: a person allowed into the organisers' pages, and their server-side login sessions."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db


class Organiser(UserMixin, db.Model):
    __tablename__ = "organisers"
    __cache_neutral__ = True  # no public page shows organiser accounts (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    # Set when someone else chose the password (setup, a colleague): the owner picks a new one
    # before any organiser page opens.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<Organiser {self.email!r}>"


class OrganiserSession(db.Model):
    """One login of one organiser in one browser, named by the ``fk_organiser`` cookie.

    The cookie holds a random token; only its SHA-256 is stored, so a copy of the database opens
    no session. Deleting the row ends the login at once, whatever the browser still holds.
    """

    __tablename__ = "organiser_sessions"
    __cache_neutral__ = True  # logins appear on no public page (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("organisers.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Shown on the password page, so an organiser can tell their browsers apart.
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    organiser: Mapped[Organiser] = relationship()
