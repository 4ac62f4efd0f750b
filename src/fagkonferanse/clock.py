"""The site's clock: what "now" is for everything that follows the day.

Now and next on the programme, the running-late banner, the hall screens, when registration
opens and closes: all ask this module. Timestamps that are *stored* (the audit log, when someone
registered) keep the real time and use :func:`utcnow`.

For rehearsals, screenshots and tests, ``FAGKONFERANSE_NOW=2016-11-09T10:40`` (or
``now = "2016-11-09T10:40"`` in ``config.toml``) starts the clock at that moment when the
application starts, and it runs on from there. The value is ISO 8601, seconds optional, in the
site's time zone (``BABEL_DEFAULT_TIMEZONE``, the conference's: Europe/Oslo) unless it carries
an offset. Without it, the real clock. Pages get the offset too (:func:`offset_ms`), so the
scripts that tick on phones and hall screens follow the same clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, current_app

OFFSET_KEY = "fagkonferanse.clock_offset"


def utcnow() -> dt.datetime:
    """The real time in UTC, naive, as the database stores timestamps (not the site's clock)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def install(app: Flask) -> None:
    """Read ``NOW`` from the configuration and keep the clock's offset from the real time."""
    from .config import ConfigError

    configured = app.config.get("NOW")
    offset = dt.timedelta(0)
    if configured not in (None, ""):
        try:
            start = parse_moment(str(configured), app.config["BABEL_DEFAULT_TIMEZONE"])
        except ValueError as error:
            raise ConfigError(f"NOW must be an ISO 8601 date and time such as 2016-11-09T10:40, "
                              f"not {configured!r} ({error})") from None
        offset = start - dt.datetime.now(dt.UTC)
    app.extensions[OFFSET_KEY] = offset


def parse_moment(text: str, timezone: str) -> dt.datetime:
    """``2016-11-09T10:40`` (local to ``timezone``) or ``2016-11-09T10:40:00+01:00`` → aware UTC."""
    moment = dt.datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(dt.UTC)


def offset() -> dt.timedelta:
    """How far the site's clock is from the real one (zero without ``NOW``)."""
    return current_app.extensions.get(OFFSET_KEY, dt.timedelta(0))


def offset_ms() -> int:
    """The offset in milliseconds, for the pages' scripts (``Date.now() + offset``)."""
    return round(offset().total_seconds() * 1000)


def utc_now() -> dt.datetime:
    """The site's "now" as naive UTC, comparable with stored times."""
    return (dt.datetime.now(dt.UTC) + offset()).replace(tzinfo=None)


def local_now(timezone: str) -> dt.datetime:
    """The site's "now" on the wall clock of ``timezone``, naive like the programme's times."""
    return (dt.datetime.now(dt.UTC) + offset()).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
