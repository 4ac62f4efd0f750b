"""Creating organisers and checking their passwords."""

from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .models import Organiser, utcnow

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """An account cannot be created or changed; the message says why, for the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")


def create_organiser(email: str, password: str, name: str = "") -> Organiser:
    """Add an organiser (not committed). The password is stored only as a salted hash."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an e-mail address: {email!r}")
    if find_organiser(email) is not None:
        raise AccountError(f"an organiser with e-mail {email} already exists")
    check_password_rules(password)
    organiser = Organiser(email=email, name=name.strip(), password_hash=generate_password_hash(password))
    db.session.add(organiser)
    return organiser


def set_password(organiser: Organiser, password: str) -> None:
    check_password_rules(password)
    organiser.password_hash = generate_password_hash(password)


def find_organiser(email: str) -> Organiser | None:
    return db.session.scalar(db.select(Organiser).where(Organiser.email == normalise_email(email)))


def authenticate(email: str, password: str) -> Organiser | None:
    """The active organiser with these credentials, or None (the same for every wrong detail)."""
    organiser = find_organiser(email)
    if organiser is None or not organiser.active:
        check_password_hash(_DUMMY_HASH, password)  # same work either way: no account probing by timing
        return None
    if not check_password_hash(organiser.password_hash, password):
        return None
    organiser.last_login_at = utcnow()
    return organiser


def organiser_count() -> int:
    return db.session.scalar(db.select(db.func.count(Organiser.id)))


def random_password() -> str:
    """A password for a first organiser account: 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


_DUMMY_HASH = generate_password_hash("not-a-real-password")
