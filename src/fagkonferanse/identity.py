"""How conference objects are named outside the site: guids, UIDs, absolute URLs and zoned times.

Every export (schedule.xml/json, iCalendar, the JSON API) must name a programme item the same
way, or a conference app that reads one format and a calendar that reads another would see two
different things. This module is the single source of those names for every plugin.

Names depend only on the event's slug and the database ids, never on titles or times, so they
survive a renamed talk or a shifted programme, and they are the same on every server.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, url_for

from .events.archive import SITE_ROOT_ENV
from .extensions import db

# Fixed for ever: changing it would give every item of every past conference new guids.
NAMESPACE = uuid.UUID("fb877fb3-850e-4fef-a3e8-fa7e8999d0e4")

# The day's closing words ("Vel hjem!") are a point in time without an end. Calendars and
# conference apps need a length to draw them; ten minutes is short enough not to suggest the
# day goes on, long enough to show up in a day view. The JSON API reports the honest null.
POINT_IN_TIME_LENGTH = dt.timedelta(minutes=10)

# Ids are INTEGER columns: 32-bit on PostgreSQL; a larger id in a URL must be a 404, not an
# OverflowError from the database driver.
MAX_ID = 2**31 - 1


def item_key(event: Any, item: Any) -> str:
    """``levekar-og-mangfold-2016-item-4``: the iCal UID's local part and the guid's seed."""
    return f"{event.slug}-item-{item.id}"


def item_guid(event: Any, item: Any) -> str:
    """The programme item's guid in schedule.xml, schedule.json and the API."""
    return str(uuid.uuid5(NAMESPACE, item_key(event, item)))


def speaker_guid(event: Any, speaker: Any) -> str:
    """A speaker's guid (a "person" in the schedule format)."""
    return str(uuid.uuid5(NAMESPACE, f"{event.slug}-speaker-{speaker.id}"))


def location_guid(event: Any, location: Any | None) -> str:
    """A location's guid; ``None`` names the whole building (see the schedule's rooms)."""
    key = f"{event.slug}-building" if location is None else f"{event.slug}-location-{location.id}"
    return str(uuid.uuid5(NAMESPACE, key))


def base_host() -> str:
    """The host name of ``BASE_URL``: the right-hand side of iCal UIDs."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def absolute_url(endpoint: str, **values: Any) -> str:
    """``BASE_URL`` + the endpoint's path, for links read away from the site (exports, e-mail,
    printed QR codes). Works in a request and outside one (CLI, print jobs).

    ``BASE_URL`` already holds any path prefix the site is served under, so the site's script
    root is taken off the path ``url_for`` builds rather than counted twice. An archive page's
    ``/arkiv/<slug>`` stays: its exports link to the archive (:mod:`.events.archive`).
    """
    if not has_request_context():
        return current_app.config["BASE_URL"] + current_app.url_map.bind("localhost").build(endpoint, values)
    path = url_for(endpoint, **values)
    root = request.environ.get(SITE_ROOT_ENV, request.script_root)
    if root and path.startswith(root + "/"):
        path = path[len(root):]
    return current_app.config["BASE_URL"] + path


def zoned(event: Any, value: dt.datetime) -> dt.datetime:
    """A naive programme time (wall clock at the venue) as an aware datetime in the event's zone."""
    return value.replace(tzinfo=ZoneInfo(event.timezone))


def exported_end(item: Any) -> dt.datetime:
    """The item's end, or its start plus :data:`POINT_IN_TIME_LENGTH` for the closing words."""
    return item.end if item.end is not None else item.start + POINT_IN_TIME_LENGTH


def find_in_event(model: type, event: Any, object_id: int) -> Any | None:
    """The ``model`` row with ``object_id`` if it belongs to ``event``; ``None`` otherwise."""
    if not 0 < object_id <= MAX_ID:
        return None
    found = db.session.get(model, object_id)
    return found if found is not None and found.event_id == event.id else None
