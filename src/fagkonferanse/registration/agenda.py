""""Mitt program" kept on the ticket, so the stars follow a person to another device.

Stars live in the browser (``static/agenda.js``, localStorage). A registered attendee can keep
them on the ticket (``Registration.starred_items``):

* **Opening the ticket page links the browser.** The page syncs both ways at once (a POST with
  the page's CSRF token to ``/ticket/<secret>/agenda``) and hands the browser a *sync key*.
* **The sync key** lets that browser's later stars reach the ticket from the programme pages
  (``/agenda/sync``), which are cached and hold no CSRF token. It is an HMAC of the ticket
  secret the page was opened with, so it is not the secret, opens no ticket page and reads
  nothing but the list of starred items; and it stops working with that secret: when a newer
  link is mailed, when the owner of the address opens their link (ending the registering
  browser's), when the person starts over.
* **Merging** is three-way (:func:`merge_stars`): the browser remembers the list it last agreed
  with the ticket, so an item un-starred on one device is removed everywhere, and one starred
  on another device is added everywhere.
* **The calendar feed** ``/agenda/<agenda_token>.ics`` has a separate random token, made when
  the attendee first asks for it and replaced when they ask for a new one. Whoever holds it sees
  the starred items' times and titles, nothing about the person. A feed made while the
  address was unconfirmed ends when it is confirmed, as the registering browser's link does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app

from ..extensions import db
from ..programme.models import ProgrammeItem
from .models import Registration

AGENDA_TOKEN_BYTES = 24
MAX_STARS = 500  # far above any programme; a longer list is not a browser's


def merge_stars(ticket: Iterable[int], browser: Iterable[int], base: Iterable[int] | None) -> list[int]:
    """The starred items after the ticket and a browser meet, in id order.

    ``base`` is the list the browser and the ticket last agreed on (None when they never met):
    what either side added since is kept, what either side removed since is gone, what both
    still hold stays. Without a base nothing can have been removed, so it is the union.
    """
    on_ticket, in_browser = set(ticket), set(browser)
    if base is None:
        return sorted(on_ticket | in_browser)
    agreed = set(base)
    return sorted((on_ticket & in_browser) | (in_browser - agreed) | (on_ticket - agreed))


@dataclass(frozen=True)
class BrowserStars:
    """What a browser sends: its stars, the list it last agreed on with the ticket, its sync key."""

    items: list[int]
    base: list[int] | None
    key: str | None

    @classmethod
    def from_json(cls, payload: object) -> BrowserStars | None:
        """From ``{"items": [...], "base": [...] or null, "key": "..." or null}``; None if malformed."""
        if not isinstance(payload, dict):
            return None
        items, base, key = parse_ids(payload.get("items")), payload.get("base"), payload.get("key")
        parsed_base = None if base is None else parse_ids(base)
        if items is None or (base is not None and parsed_base is None):
            return None
        return cls(items, parsed_base, key if isinstance(key, str) else None)


def parse_ids(value: object) -> list[int] | None:
    """A list of item ids from a request (a JSON list of integers), or None when it is not one."""
    if not isinstance(value, list) or len(value) > MAX_STARS:
        return None
    if not all(isinstance(entry, int) and not isinstance(entry, bool) and 0 < entry < 2**31 for entry in value):
        return None
    return value


def event_item_ids(event_id: int) -> set[int]:
    """The ids of the event's programme items: stars of anything else are dropped."""
    return set(db.session.scalars(db.select(ProgrammeItem.id).where(ProgrammeItem.event_id == event_id)))


def sync_stars(registration: Registration, browser: list[int], base: list[int] | None) -> list[int]:
    """Merge a browser's stars into the ticket's and keep the result (committed); returns it.

    Items no longer on the programme (deleted since) fall out of the list.
    """
    known = event_item_ids(registration.event_id)
    merged = [item for item in merge_stars(registration.starred_items or [], browser, base) if item in known]
    if merged != list(registration.starred_items or []):
        registration.starred_items = merged
        db.session.commit()
    return merged


def starred_items(registration: Registration) -> list[ProgrammeItem]:
    """The programme items starred on the ticket, in time order (for "download my data")."""
    wanted = registration.starred_items or []
    if not wanted:
        return []
    return list(db.session.scalars(db.select(ProgrammeItem).where(ProgrammeItem.id.in_(wanted))
                                   .order_by(ProgrammeItem.start, ProgrammeItem.id)))


def link_browser(registration: Registration, sent: BrowserStars) -> list[int]:
    """The ticket page opened in a browser: the stars after they meet, as :func:`sync_stars`.

    ``sent.key`` is the sync key the browser holds, if any. Linked to this ticket before (even by a
    link replaced since), the browser's ``base`` counts; never linked, its stars join the
    ticket's (starred before registering, or on this phone first); linked to *another* ticket
    (a shared computer), the ticket's stars replace the browser's, so no one gets another
    person's list.
    """
    linked_to = _registration_id_of(sent.key)
    if linked_to is None:
        return sync_stars(registration, sent.items, None)
    if linked_to == registration.id:
        return sync_stars(registration, sent.items, sent.base)
    return sync_stars(registration, [], None)


# --- The sync key -------------------------------------------------------------------------------


def sync_key(registration: Registration, secret: str) -> str:
    """The key a browser that opened the ticket with ``secret`` keeps its stars on it by."""
    return f"{registration.id}.{_mac(secret)}"


def registration_for_key(key: object) -> Registration | None:
    """The registration a sync key belongs to, while the ticket link it was made from works."""
    number = _registration_id_of(key)
    registration = None if number is None else db.session.get(Registration, number)
    if registration is None:
        return None
    mac = str(key).split(".", 1)[1]
    if not mac.isascii():
        return None
    secrets_now = [value for value in (registration.manage_secret, registration.browser_secret) if value]
    return registration if any(hmac.compare_digest(mac, _mac(value)) for value in secrets_now) else None


def _registration_id_of(key: object) -> int | None:
    """The registration a key names (unverified: the caller checks the MAC or already holds the secret)."""
    if not isinstance(key, str) or len(key) > 100 or "." not in key:
        return None
    number = key.split(".", 1)[0]
    return int(number) if number.isdigit() and 0 < int(number) < 2**31 else None


def _mac(secret: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    digest = hmac.new(key, b"fagkonferanse.agenda-sync:" + secret.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


# --- The calendar feed --------------------------------------------------------------------------


def renew_feed(registration: Registration) -> str:
    """A new token for the attendee's calendar feed; the previous one stops working (committed)."""
    registration.agenda_token = secrets.token_urlsafe(AGENDA_TOKEN_BYTES)
    db.session.commit()
    return registration.agenda_token


def stop_feed(registration: Registration) -> None:
    """No calendar feed any more (committed)."""
    registration.agenda_token = None
    db.session.commit()


@dataclass(frozen=True)
class FeedSelection:
    """What a calendar feed shows: the event and the starred items' ids, nothing about the person."""

    event_id: int
    item_ids: tuple[int, ...]


def feed_selection(token: str) -> FeedSelection | None:
    """The items of the calendar feed ``token`` names; None for an unknown or ended token."""
    if not token or len(token) > 64:
        return None
    found = db.session.execute(db.select(Registration.event_id, Registration.starred_items)
                               .where(Registration.agenda_token == token)).first()
    if found is None:
        return None
    return FeedSelection(found.event_id, tuple(found.starred_items or ()))


def forget_feed_of_unconfirmed(registration: Registration) -> None:
    """End a calendar feed made before the address was confirmed: whoever typed the address may
    have made it, and must not follow what the owner stars later. Not committed."""
    if registration.address_confirmed_at is None:
        registration.agenda_token = None
