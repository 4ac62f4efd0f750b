"""Ticket links: who may hold which, and what an old link says.

Anyone can type anyone's e-mail address into the registration form. So no link that a stranger
has seen may ever be the one the address owner uses for their personal data:

* The **mailed link** (``manage_secret``) only ever goes to the address. Opening it proves that
  the visitor reads that mailbox (``address_confirmed_at``).
* The **browser that filled in the form** gets a link of its own (``browser_secret``), so a new
  registrant sees the ticket at once, as on pretix or Indico. It works only until the address
  owner opens the mailed link; from then on, whoever typed the address sees nothing of what the
  owner adds.
* **Asking for the link again** (the form with a registered address, "lost my link", an
  organiser's "send again") mails a fresh link and ends every earlier one, mailed or not. A
  stranger's requests reach the address at most :data:`LINK_MAILS_PER_HOUR` times an hour,
  counted in the database.
* **Registering a cancelled address again, or changing the address** starts over: new secrets,
  no trace of the earlier data, and the old links end.

A link that ended answers 410 Gone with the reason, found by the secret's hash alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app

from ..clock import utcnow
from ..extensions import db
from .agenda import forget_feed_of_unconfirmed
from .models import Registration, RetiredTicketLink, TicketLinkMail
from .outbox import queue_mail
from .tokens import new_checkin_code, new_door_code, new_manage_secret

REPLACED = "replaced"    # a newer link was mailed to the address
CONFIRMED = "confirmed"  # the browser's link, after the owner opened the mailed one
DELETED = "deleted"      # the person deleted their data

LINK_MAILS_PER_HOUR = 3
_WINDOW = dt.timedelta(hours=1)

# Every detail a person gives, with the value a fresh registration starts from.
BLANK_DETAILS = {"organisation": "", "municipality": "", "job_title": "", "dietary": "", "accessibility": "",
                 "lunch": True, "answers": {}}


@dataclass(frozen=True)
class TicketAccess:
    """A ticket opened with ``secret``: by the address owner's link, or by the registering browser's."""

    registration: Registration
    secret: str
    by_browser: bool


@dataclass(frozen=True)
class Gone:
    """A link that worked once; ``reason`` is one of :data:`REPLACED`, :data:`CONFIRMED`, :data:`DELETED`."""

    reason: str


def open_ticket(secret: str) -> TicketAccess | Gone | None:
    """What ``secret`` opens now. The owner's mailed link confirms the address (committed) and so
    ends the registering browser's link."""
    registration = db.session.scalar(db.select(Registration).where(Registration.manage_secret == secret))
    if registration is not None:
        if registration.address_confirmed_at is None:
            forget_feed_of_unconfirmed(registration)
            registration.address_confirmed_at = utcnow()
            if registration.browser_secret:
                retire(registration.browser_secret, CONFIRMED)
                registration.browser_secret = None
            db.session.commit()
        return TicketAccess(registration, secret, by_browser=False)
    registration = db.session.scalar(db.select(Registration).where(Registration.browser_secret == secret))
    if registration is not None:
        return TicketAccess(registration, secret, by_browser=True)
    reason = db.session.scalar(db.select(RetiredTicketLink.reason)
                               .where(RetiredTicketLink.secret_hash == secret_hash(secret)))
    return Gone(reason) if reason else None


def replace_links(registration: Registration) -> None:
    """A fresh mailed link; every earlier link, mailed or the browser's, ends (and with them the
    browsers' keys to the stars on the ticket, see :mod:`.agenda`). Not committed."""
    forget_feed_of_unconfirmed(registration)
    retire(registration.manage_secret, REPLACED)
    if registration.browser_secret:
        retire(registration.browser_secret, REPLACED)
        registration.browser_secret = None
    registration.manage_secret = new_manage_secret()


def mail_new_link(registration: Registration) -> bool:
    """Someone who may not own the address asked for its ticket link: a fresh link to the address,
    unless it already got :data:`LINK_MAILS_PER_HOUR` this hour. Call under the registration lock
    (the count and the new row are one decision); not committed. True when a mail was queued."""
    key = address_key(registration.email or "")
    now = utcnow()
    db.session.execute(db.delete(TicketLinkMail).where(TicketLinkMail.sent_at < now - _WINDOW))
    sent = db.session.scalar(db.select(db.func.count(TicketLinkMail.id)).where(TicketLinkMail.address_key == key))
    if not registration.email or sent >= LINK_MAILS_PER_HOUR:
        return False
    db.session.add(TicketLinkMail(address_key=key, sent_at=now))
    replace_links(registration)
    queue_mail(registration, "resend")
    return True


def start_over(registration: Registration) -> None:
    """A cancelled registration taken up again with the same address: as good as a new one.

    New secrets (the old links end), and nothing left of the earlier person's details, check-in,
    stand passport or starred items: the one registering now may be someone else. Not committed.
    """
    from ..checkin.models import CheckIn, PassportStamp

    replace_links(registration)
    registration.checkin_code = new_checkin_code()
    registration.door_code = new_door_code()
    registration.address_confirmed_at = None
    registration.passport_token = None
    registration.starred_items = []
    registration.agenda_token = None
    registration.consent_at = None
    registration.created_at = utcnow()
    for name, value in BLANK_DETAILS.items():
        setattr(registration, name, value.copy() if isinstance(value, dict) else value)
    db.session.execute(db.delete(CheckIn).where(CheckIn.registration_id == registration.id))
    db.session.execute(db.delete(PassportStamp).where(PassportStamp.registration_id == registration.id))


def move_to_address(registration: Registration, *, for_browser: bool) -> str | None:
    """The address changed: the new address gets a fresh mailed link, as a new registration would,
    and every earlier link ends. Returns a browser link for the attendee who made the change
    (``for_browser``), valid until the new address is confirmed. Not committed."""
    replace_links(registration)
    registration.address_confirmed_at = None
    if registration.email:
        queue_mail(registration, "address")
    if not for_browser:
        return None
    registration.browser_secret = new_browser_secret()
    return registration.browser_secret


def retire(secret: str, reason: str) -> None:
    """Remember that ``secret`` worked once (by its hash), so it answers 410 with ``reason``."""
    hashed = secret_hash(secret)
    if db.session.get(RetiredTicketLink, hashed) is None:
        db.session.add(RetiredTicketLink(secret_hash=hashed, reason=reason))


def new_browser_secret() -> str:
    """The registering browser's link: as strong as the mailed one."""
    return new_manage_secret()


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def address_key(email: str) -> str:
    """An address as a keyed hash: countable, but not readable from a copy of the database."""
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(key, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()
