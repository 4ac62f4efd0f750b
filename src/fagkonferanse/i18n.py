"""Language choice and the Norwegian way of writing dates and times.

Source strings are Norwegian bokmål (the default locale); ``translations/en`` holds English.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

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
    locale = get_locale()
    return locale.language if locale else "nb"


# --- Translating templates ----------------------------------------------------------------------------

_TRANSLATIONS = "fagkonferanse_translations"  # in g: (locale, translations) of this request


def install_template_translations(app: Flask) -> None:
    """Templates translate through one lookup of the translations per request and locale.

    Flask-Babel's own callables resolve the request's Babel context four times for every string,
    and Jinja's ``_`` reached them through two more calls: translating was the largest part of
    rendering the programme page. A forced locale (e-mails in the recipient's language,
    ``force_locale``) is another locale, so it gets its own lookup.
    """
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: _translations().ugettext(string),
        ngettext=lambda singular, plural, number: _translations().ungettext(singular, plural, number),
        newstyle=True,
        pgettext=lambda context, string: _translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, number: _translations().unpgettext(
            context, singular, plural, number),
    )
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)


@pass_eval_context
def template_gettext(eval_context: EvalContext, string: str, **variables) -> str:
    """``{{ _("…") }}`` as Jinja's "newstyle" gettext does it: escaped variables in HTML, always formatted."""
    translated = _translations().ugettext(string)
    if eval_context.autoescape:
        translated = Markup(translated)
    return translated % variables


def _translations() -> NullTranslations:
    locale = get_locale()
    kept = g.get(_TRANSLATIONS)
    if kept is None or kept[0] is not locale:
        kept = (locale, get_translations())
        setattr(g, _TRANSLATIONS, kept)
    return kept[1]


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


def format_moment(value: dt.datetime | None, timezone: str | None = None, seconds: bool = False) -> str:
    """A stored (naive UTC) timestamp on the conference's wall clock: "4. desember 2026 kl. 21.53",
    with ``seconds`` "… kl. 21.53.07" (the audit log). ``timezone`` is the event's; the site's
    (Europe/Oslo) without one. Stored times are UTC so that a summer-time change cannot reorder
    them; people read them at home."""
    if value is None:
        return "–"
    zone = ZoneInfo(timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = value.replace(tzinfo=dt.UTC).astimezone(zone)
    text = f"{format_day(local.date(), short=True)} {format_clock(local)}"
    if seconds:
        text += f"{'.' if _language() == 'nb' else ':'}{local:%S}"
    return text


def current_language() -> str:
    """The two-letter code of the language the page is shown in (for ``<html lang>``)."""
    return _language()


# --- Files read away from the site (calendars, conference apps, PDFs) ---------------------------------

LANGUAGE_PARAMETER = "lang"  # ?lang=en on an export's address


def requested_language() -> str:
    """The language a file was asked for with ``?lang=en``; the default language otherwise.

    A calendar or a conference app fetches the file without the visitor's cookies, so its address
    alone says which language it is in. An unknown value is the default, as with the cookie.
    """
    chosen = request.args.get(LANGUAGE_PARAMETER) if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def language_query() -> dict[str, str]:
    """``{"lang": "en"}`` on a page in another language than the default, else nothing: the
    query to add to an export link so the file comes in the page's language."""
    language = current_language()
    if language == current_app.config["BABEL_DEFAULT_LOCALE"]:
        return {}
    return {LANGUAGE_PARAMETER: language}
