"""Programme items as RFC 5545 iCalendar events, with the venue's time zone spelled out.

Times are written as local times with ``TZID=Europe/Oslo`` and a VTIMEZONE block, not as UTC:
a calendar then shows "09.35" even on a device set to another zone's rules, and the file says
plainly which wall clock the programme follows.

The calendar comes in the language its address asks for (``?lang=en``): titles and descriptions
in English where an organiser gave an English version, in Norwegian otherwise. Each title and
description says which it is in with RFC 5545's ``LANGUAGE`` parameter, so a calendar that reads
aloud (or translates) knows; places are names and carry none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _

from fagkonferanse import (
    POINT_IN_TIME_LENGTH,
    Localized,
    absolute_url,
    base_host,
    current_language,
    item_key,
    localized,
    zoned,
)

# Guids, UIDs and URLs are named in one place for every export (see that module's docstring).

PRODID = "-//fagkonferanse//fagkonferanse//NB"


def programme_calendar(event: Any, items: list[Any], language: str | None = None, name: str | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per item: the whole day, a single item's "add to calendar", or
    the items someone starred (``name``: what the calendar app calls it; the event's title by default).

    Texts are in ``language`` where given (the current locale's by default), else Norwegian.
    """
    import icalendar  # here, not at the top: ~30 ms that every command would pay at start-up

    language = language or current_language()
    title = localized(event, "title", language)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name or title.text, parameters=None if name else _language_of(title))  # RFC 7986
    calendar.add("x-wr-calname", name or title.text)  # what Apple and Google Calendar show
    calendar.add("x-wr-timezone", event.timezone)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for item in items:
        calendar.add_component(programme_event(event, item, stamp, language))
    # Only the rules around the conference: a whole-history VTIMEZONE would be mostly noise.
    calendar.add_missing_timezones(first_date=dt.date(event.date.year - 1, 1, 1),
                                   last_date=dt.date(event.date.year + 1, 12, 31))
    return calendar.to_ical()


def programme_event(event: Any, item: Any, stamp: dt.datetime, language: str = "nb") -> icalendar.Event:
    """One VEVENT. Its UID depends only on the event slug, the item id and the site's host."""
    import icalendar  # see programme_calendar

    title = localized(item, "title", language)
    entry = icalendar.Event()
    entry.add("uid", f"{item_key(event, item)}@{base_host()}")
    entry.add("dtstamp", stamp)
    # ProgrammeItem.version starts at 1 and grows with every edit: exactly SEQUENCE's meaning.
    entry.add("sequence", max(item.version - 1, 0))
    summary = f"{item.presented_by} – {title.text}" if item.presented_by else title.text
    entry.add("summary", summary, parameters=_language_of(title))
    entry.add("dtstart", zoned(event, item.start))
    if item.end is not None:
        entry.add("dtend", zoned(event, item.end))
    else:
        # The closing words are a moment, not a session; a short DURATION (rather than an
        # invented DTEND) keeps them visible in day views without claiming the day goes on.
        entry.add("duration", POINT_IN_TIME_LENGTH)
    entry.add("location", item_location(event, item, language))
    description = item_description(item, language)
    if description:
        entry.add("description", description.text, parameters=_language_of(description))
    entry.add("url", absolute_url("programme.item", item_id=item.id))
    # A cancelled item stays on the programme, struck through: calendars show CANCELLED the same way.
    entry.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    entry.add("transp", "OPAQUE")
    return entry


def item_location(event: Any, item: Any, language: str = "nb") -> str:
    """"H-113, H-bygget, Høgskolen i Østfold", or just the building and venue."""
    parts = [localized(item.location, "name", language).text] if item.location is not None else []
    parts += [event.building, event.venue]
    return ", ".join(part for part in parts if part)


def item_description(item: Any, language: str = "nb") -> Localized:
    """Who speaks (and for whom), then the item's own description, as the booklet reads.

    Its language is the description's, which is most of the text; without one, the line about
    the speakers is in the calendar's language.
    """
    lines = []
    if item.speakers:
        people = [_with_affiliation(speaker) for speaker in item.speakers]
        names = people[0] if len(people) == 1 else ", ".join(people[:-1]) + _(" og ") + people[-1]
        lines.append(f"{_('v/')} {names}")
    description = localized(item, "description", language)
    if description:
        lines.append(description.text)
    return Localized("\n\n".join(lines), description.language if description else language, language)


def _language_of(text: Localized) -> dict[str, str]:
    """RFC 5545's LANGUAGE parameter for a title or description (RFC 5646 tag: ``nb``, ``en``)."""
    return {"LANGUAGE": text.language}


def _with_affiliation(speaker: Any) -> str:
    return f"{speaker.name} ({speaker.affiliation})" if speaker.affiliation else speaker.name
