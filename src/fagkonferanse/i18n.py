"""Language choice and the Norwegian way of writing dates and times.

Source strings are Norwegian bokmål (the default locale); ``translations/en`` holds English.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app, has_request_context, request
from flask_babel import get_locale

from .cookies import LANGUAGE_COOKIE

# Patterns per language: the booklet writes "onsdag 9. november 2016" and "kl. 08.30".
DAY_PATTERNS = {"nb": "EEEE d. MMMM y", "en": "EEEE d MMMM y"}
SHORT_DAY_PATTERNS = {"nb": "d. MMMM y", "en": "d MMMM y"}
CLOCK_PATTERNS = {"nb": "kl. {:%H.%M}", "en": "{:%H:%M}"}


def select_locale() -> str:
    """The visitor's chosen language (cookie), else Norwegian bokmål (also outside requests: CLI)."""
    chosen = request.cookies.get(LANGUAGE_COOKIE) if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _language() -> str:
    return get_locale().language if get_locale() else "nb"


def format_day(value: dt.date, short: bool = False) -> str:
    """"onsdag 9. november 2016" (or "9. november 2016" with ``short``)."""
    language = _language()
    patterns = SHORT_DAY_PATTERNS if short else DAY_PATTERNS
    return format_date(value, patterns.get(language, patterns["nb"]), locale=language)


def format_clock(value: dt.datetime | dt.time) -> str:
    """"kl. 08.30" in Norwegian, "08:30" in English."""
    pattern = CLOCK_PATTERNS.get(_language(), CLOCK_PATTERNS["nb"])
    return pattern.format(value)


def format_time_range(start: dt.datetime, end: dt.datetime | None) -> str:
    """"kl. 08.30–09.00"; an item without an end shows its start only."""
    if end is None:
        return format_clock(start)
    separator = "–"
    end_text = f"{end:%H.%M}" if _language() == "nb" else f"{end:%H:%M}"
    return f"{format_clock(start)}{separator}{end_text}"


def format_moment(value: dt.datetime | None) -> str:
    """A stored UTC timestamp at the site's wall clock: "4. desember 2026 kl. 21.53"."""
    if value is None:
        return "–"
    local = value.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return f"{format_day(local.date(), short=True)} {format_clock(local)}"


def current_language() -> str:
    """The two-letter code of the language the page is shown in (for ``<html lang>``)."""
    return _language()
