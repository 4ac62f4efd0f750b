"""Organiser logins that the server can end: one row per browser, named by a cookie of its own.

A signed client-side cookie cannot be revoked: whoever copied it stays logged in after a logout
or a password change. So an organiser's login is a random token in the ``fk_organiser`` cookie
naming an :class:`OrganiserSession` row (only the token's hash is stored). Logging out deletes
the row, changing the password deletes the others, deactivating an account deletes them all.

The login lives apart from Flask's session cookie (an anonymous visitor's CSRF token and
messages), so the page cache can tell an organiser from a visitor by the cookie's name alone.

A login ends after ``ORGANISER_SESSION_IDLE_HOURS`` without use (12) and at the latest
``ORGANISER_SESSION_DAYS`` after it began (14).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import Flask, Response, current_app, request

from ..cookies import ORGANISER_COOKIE
from ..extensions import db
from ..clock import utcnow
from .models import Organiser, OrganiserSession

TOKEN_BYTES = 32
# last_seen_at is written at most this often: an organiser's every click need not be a write.
TOUCH_EVERY = dt.timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _idle_limit() -> dt.timedelta:
    return dt.timedelta(hours=current_app.config["ORGANISER_SESSION_IDLE_HOURS"])


def _lifetime() -> dt.timedelta:
    return dt.timedelta(days=current_app.config["ORGANISER_SESSION_DAYS"])


def start(organiser: Organiser, response: Response) -> OrganiserSession:
    """Log ``organiser`` in on this browser: a new session row (committed) and its cookie."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    agent = (request.headers.get("User-Agent") or "")[:300]
    login = OrganiserSession(organiser_id=organiser.id, token_hash=_hash(token), user_agent=agent)
    db.session.add(login)
    _forget_expired()
    db.session.commit()
    response.set_cookie(ORGANISER_COOKIE, token, max_age=int(_lifetime().total_seconds()), httponly=True,
                        samesite="Lax", secure=_secure(), path="/")
    return login


def current(token: str | None) -> OrganiserSession | None:
    """The live session the cookie's token names, or None (unknown, expired, account inactive)."""
    if not token or len(token) > 100:
        return None
    login = db.session.scalar(db.select(OrganiserSession).where(OrganiserSession.token_hash == _hash(token)))
    if login is None:
        return None
    now = utcnow()
    if (now - login.last_seen_at > _idle_limit() or now - login.created_at > _lifetime()
            or not login.organiser.active):
        db.session.delete(login)
        db.session.commit()
        return None
    if now - login.last_seen_at > TOUCH_EVERY:
        login.last_seen_at = now
        db.session.commit()
    return login


def organiser_logged_in() -> bool:
    """Whether an organiser is logged in on this browser.

    For public pages that leave organisers out of what they count (the catalogue's reads): Flask's
    session, which makes a page uncacheable once read, is looked at only when the login cookie is
    there — and such a request is never answered from the page cache anyway.
    """
    if ORGANISER_COOKIE not in request.cookies:
        return False
    from flask_login import current_user

    return current_user.is_authenticated


def ends_at(login: OrganiserSession) -> dt.datetime:
    """When this login ends unless it is used again: its idle limit or its lifetime, the sooner.

    A door device that holds the attendee list offline wipes it at this time (``checkin.js``).
    """
    return min(login.last_seen_at + _idle_limit(), login.created_at + _lifetime())


def end(login: OrganiserSession | None, response: Response) -> None:
    """Log out this browser: the row goes, and the cookie with it."""
    if login is not None:
        db.session.execute(db.delete(OrganiserSession).where(OrganiserSession.id == login.id))
        db.session.commit()
    response.delete_cookie(ORGANISER_COOKIE, httponly=True, samesite="Lax", secure=_secure(), path="/")


def end_all(organiser: Organiser, *, except_for: OrganiserSession | None = None) -> int:
    """End every login of ``organiser`` (but ``except_for``); not committed. Returns how many."""
    query = db.delete(OrganiserSession).where(OrganiserSession.organiser_id == organiser.id)
    if except_for is not None:
        query = query.where(OrganiserSession.id != except_for.id)
    return db.session.execute(query).rowcount


def sessions_of(organiser: Organiser) -> list[OrganiserSession]:
    """The organiser's logins, most recently used first."""
    return list(db.session.scalars(db.select(OrganiserSession).where(OrganiserSession.organiser_id == organiser.id)
                                   .order_by(OrganiserSession.last_seen_at.desc())))


# The first name found wins: Edge's and Opera's strings also say "Chrome", Chrome's says "Safari".
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def describe_browser(user_agent: str) -> str:
    """"Firefox, Linux" from a User-Agent header, for telling one's logins apart ("" if unknown)."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    return ", ".join(part for part in (browser, system) if part)


def load_organiser(app_request) -> Organiser | None:
    """Flask-Login's request loader: the organiser whose live session the cookie names."""
    login = current(app_request.cookies.get(ORGANISER_COOKIE))
    if login is None:
        return None
    organiser = login.organiser
    organiser.current_session = login  # what logout and "log out other browsers" act on
    return organiser


def install(app: Flask) -> None:
    """Read the login from its cookie on every request that asks who is logged in."""
    from ..extensions import login_manager

    from ..config import ConfigError

    for key, default in (("ORGANISER_SESSION_IDLE_HOURS", 12), ("ORGANISER_SESSION_DAYS", 14)):
        value = app.config.setdefault(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{key} must be a positive number, not {value!r}")
    login_manager.request_loader(load_organiser)


def _forget_expired() -> None:
    """Delete sessions past their lifetime or idle limit (at each login: no timer needed)."""
    now = utcnow()
    db.session.execute(db.delete(OrganiserSession).where(
        (OrganiserSession.created_at < now - _lifetime()) | (OrganiserSession.last_seen_at < now - _idle_limit())))


def _secure() -> bool:
    return request.is_secure or current_app.config["BASE_URL"].startswith("https://")
