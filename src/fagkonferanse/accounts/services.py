"""Organiser accounts: creating, checking passwords, deactivating and removing.

The rules that keep a site from locking itself out live here, for the web page and the command
line alike: nobody deactivates or removes their own account, and the last active organiser stays.
"""

from __future__ import annotations

import functools

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from ..collation import surname_key
from ..extensions import db
from ..clock import utcnow
from .models import Organiser

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """An account cannot be created or changed; the message says why (in English, for the command
    line), ``code`` names the reason for pages that say it in the visitor's language."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must be at least {MIN_PASSWORD_LENGTH} characters", "short_password")


def create_organiser(email: str, password: str, name: str = "", *, temporary: bool = False) -> Organiser:
    """Add an organiser (not committed). The password is stored only as a salted hash.

    ``temporary``: someone else chose the password, so the owner must pick a new one at first login.
    """
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an e-mail address: {email!r}", "not_email")
    if find_organiser(email) is not None:
        raise AccountError(f"an organiser with e-mail {email} already exists", "exists")
    check_password_rules(password)
    organiser = Organiser(email=email, name=name.strip(), password_hash=generate_password_hash(password),
                          must_change_password=temporary)
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
        check_password_hash(_dummy_hash(), password)  # same work either way: no account probing by timing
        return None
    if not check_password_hash(organiser.password_hash, password):
        return None
    organiser.last_login_at = utcnow()
    return organiser


def organiser_count() -> int:
    return db.session.scalar(db.select(db.func.count(Organiser.id)))


def all_organisers() -> list[Organiser]:
    """Every account, active ones first, by surname (the address when there is no name), in
    Norwegian order."""
    return sorted(db.session.scalars(db.select(Organiser)),
                  key=lambda organiser: (not organiser.active, surname_key(organiser.name or organiser.email)))


def set_active(organiser: Organiser, active: bool, *, by: Organiser | None = None) -> None:
    """Let an organiser in again, or keep them out: deactivating ends every login at once."""
    from .sessions import end_all

    if not active:
        _refuse_locking_out(organiser, by)
        end_all(organiser)
    organiser.active = active


def remove_organiser(organiser: Organiser, *, by: Organiser | None = None) -> None:
    """Delete the account (not committed). The audit log keeps the address as text."""
    _refuse_locking_out(organiser, by)
    db.session.delete(organiser)


def _refuse_locking_out(organiser: Organiser, by: Organiser | None) -> None:
    if by is not None and by.id == organiser.id:
        raise AccountError("you cannot deactivate or remove your own account", "own_account")
    others = db.session.scalar(db.select(db.func.count(Organiser.id))
                               .where(Organiser.active.is_(True), Organiser.id != organiser.id))
    if organiser.active and others == 0:
        raise AccountError(f"{organiser.email} is the last active organiser", "last_active")


def random_password() -> str:
    """A password for a first organiser account: 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


@functools.cache
def _dummy_hash() -> str:
    """A hash to check wrong e-mail addresses against, made on the first failed login (making it
    costs 65 ms, which every command paid at start-up when it was made on import)."""
    return generate_password_hash("not-a-real-password")
