"""The stand passport: an attendee's own list of stands visited, linked to one browser.

Opt-in from the ticket page. Switching it on gives the registration a fresh random
``passport_token`` and puts it, signed, in an HttpOnly cookie; a poster scan from that browser
then stamps the passport. No personal data is in the cookie or in any URL, and switching off
replaces nothing — it clears the token (old cookies stop working) and deletes the stamps.
"""

from __future__ import annotations

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from ..cookies import PASSPORT_COOKIE
from ..extensions import db
from ..registration.models import Registration
from ..registration.tokens import new_passport_token
from ..stands.models import Stand
from .models import PassportStamp

COOKIE = PASSPORT_COOKIE
MAX_AGE = 60 * 24 * 3600  # the conference is one day; the cookie outlives it comfortably, not forever


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="fagkonferanse.stand-passport")


def registration_of_browser() -> Registration | None:
    """The registration whose passport is switched on in this browser, if any."""
    value = request.cookies.get(COOKIE)
    if not value or len(value) > 200:
        return None
    try:
        token = _serializer().loads(value)
    except BadSignature:
        return None
    if not isinstance(token, str):
        return None
    return db.session.scalar(db.select(Registration).where(Registration.passport_token == token))


def is_on_here(registration: Registration) -> bool:
    """True when this browser carries this registration's passport."""
    found = registration_of_browser()
    return found is not None and found.id == registration.id


def switch_on(registration: Registration, response: Response) -> None:
    """Start (or continue) the passport in this browser."""
    if registration.passport_token is None:
        registration.passport_token = new_passport_token()
        db.session.commit()
    response.set_cookie(COOKIE, _serializer().dumps(registration.passport_token), max_age=MAX_AGE,
                        httponly=True, samesite="Lax", secure=request.is_secure)


def switch_off(registration: Registration, response: Response) -> None:
    """Stop the passport everywhere and delete its stamps."""
    registration.passport_token = None
    db.session.execute(db.delete(PassportStamp).where(PassportStamp.registration_id == registration.id))
    db.session.commit()
    forget_browser(response)


def forget_browser(response: Response) -> None:
    """Remove the passport cookie from this browser."""
    response.delete_cookie(COOKIE, httponly=True, samesite="Lax", secure=request.is_secure)


def stamp(registration: Registration, stand: Stand) -> bool:
    """Add ``stand`` to the passport (once); True if it is a new stamp. Not committed."""
    exists = db.session.scalar(db.select(PassportStamp.id).where(
        PassportStamp.registration_id == registration.id, PassportStamp.stand_id == stand.id))
    if exists:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(PassportStamp(registration_id=registration.id, stand_id=stand.id))
    except IntegrityError:  # the same phone scanned twice at once
        return False
    return True


def stamps_of(registration: Registration) -> list[PassportStamp]:
    """The stamps in visiting order (a stamp whose stand was removed is left out)."""
    return list(db.session.scalars(
        db.select(PassportStamp).join(Stand, PassportStamp.stand_id == Stand.id)
        .where(PassportStamp.registration_id == registration.id).order_by(PassportStamp.at)
    ))
