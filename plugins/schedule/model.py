"""The conference as the frab/pretalx schedule format sees it: rooms, days and slots.

schedule.xml and schedule.json are two spellings of one schedule. Both are rendered from the
:class:`Schedule` built here, so they cannot disagree about a guid, a room or a time.

Titles, abstracts, biographies and room names come in the language the file was asked for
(``?lang=en``), each falling back to the Norwegian where no English version is given. Neither
schema has room for a second title beside the first (an event's fields are fixed and carry no
language attribute), so the English schedule is a file of its own, with the same guids and slugs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import Any

from fagkonferanse import (
    absolute_url,
    current_language,
    exported_end,
    item_guid,
    localized,
    location_guid,
    programme_items,
    slugify,
    speaker_guid,
    toolkit_version,
    zoned,
)


# The language the talks are given in (the format's meaning), so also in the English file: an
# English title does not make a Norwegian talk English.
LANGUAGE = "nb"
DEFAULT_TIMESLOT_MINUTES = 5


@dataclass(frozen=True)
class Room:
    name: str
    guid: str
    description: str = ""


@dataclass(frozen=True)
class Person:
    id: int
    guid: str
    name: str
    biography: str


@dataclass(frozen=True)
class Slot:
    """One programme item in the schedule's words ("event" in frab, "talk" in pretalx)."""

    id: int
    guid: str
    slug: str
    title: str
    subtitle: str
    type: str
    abstract: str
    room: Room
    start: dt.datetime  # aware, in the event's time zone
    end: dt.datetime
    persons: tuple[Person, ...]
    url: str

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds()) // 60


@dataclass(frozen=True)
class Day:
    """One conference day: from its first start to its last end, in the event's zone."""

    index: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Schedule:
    version: str
    acronym: str
    title: str
    time_zone_name: str
    url: str
    base_url: str
    timeslot_minutes: int
    rooms: tuple[Room, ...]
    days: tuple[Day, ...]


def build_schedule(event: Any, language: str | None = None) -> Schedule:
    """The event's programme as rooms, days and slots, with a version that changes with it.

    Texts are in ``language`` where given (the current locale's by default), else Norwegian.
    """
    language = language or current_language()
    building = building_room(event)
    rooms: dict[str, Room] = {}
    slots = []
    for item in programme_items(event):
        room = building if item.location is None else Room(
            localized(item.location, "name", language).text, location_guid(event, item.location),
            item.location.description)
        room = rooms.setdefault(room.name, room)
        slots.append(_slot(event, item, room, language))
    content = dict(
        acronym=acronym(event), title=localized(event, "title", language).text, time_zone_name=event.timezone,
        url=absolute_url("events.home"), base_url=absolute_url("events.home"),
        timeslot_minutes=timeslot_minutes(slots), rooms=tuple(rooms.values()),
        days=_days(event, slots),
    )
    return Schedule(version=_version(content), **content)


def _days(event: Any, slots: list[Slot]) -> tuple[Day, ...]:
    """Slots grouped by local date; an empty programme still has its one (empty) day."""
    by_date: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        by_date.setdefault(slot.start.date(), []).append(slot)
    if not by_date:
        midnight = zoned(event, dt.datetime.combine(event.date, dt.time()))
        return (Day(1, event.date, midnight, midnight, ()),)
    return tuple(
        Day(index, date, min(s.start for s in day), max(s.end for s in day), tuple(day))
        for index, (date, day) in enumerate(sorted(by_date.items()), 1)
    )


def building_room(event: Any) -> Room:
    """The room for items the booklet gives no room for: the building itself.

    The format puts every event in a named room, and the 2016 booklet places the plenary
    programme only "in H-bygget". Naming the room after the building (or the venue, when no
    building is known) is what the booklet says, where a made-up room name would mislead.
    """
    return Room(event.building or event.venue, location_guid(event, None), event.venue)


def acronym(event: Any) -> str:
    """The event slug as an acronym both schemas accept: ``levekar_og_mangfold_2016``.

    The JSON schema allows hyphens only in a trailing ``-<year>-<word>``, so they become
    underscores; the result is stable because the slug is.
    """
    text = slugify(event.slug).replace("-", "_")
    return text if len(text) >= 4 else f"{text}_fagkonferanse"


def timeslot_minutes(slots: list[Slot]) -> int:
    """The grid every start and end falls on (5 minutes for 2016), for apps that draw one."""
    minutes = [moment.hour * 60 + moment.minute for slot in slots for moment in (slot.start, slot.end)]
    grid = math.gcd(*minutes) if minutes else 0
    return grid if 0 < grid <= 60 else DEFAULT_TIMESLOT_MINUTES


def clock(minutes: int) -> str:
    """Minutes as the format's ``hh:mm`` (durations and the timeslot grid)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def generator_version() -> str:
    """The installed fagkonferanse version, named in the files' ``generator``."""
    return toolkit_version()


def _slot(event: Any, item: Any, room: Room, language: str) -> Slot:
    return Slot(
        id=item.id,
        guid=item_guid(event, item),
        slug=_slug(event, item),
        title=localized(item, "title", language).text,
        # The booklet names the presenting municipalities before the title ("Moss og Rygge –
        # SE metodikken"); apps show a subtitle right under the title, which reads the same.
        subtitle=item.presented_by,
        type=item.kind,
        abstract=localized(item, "description", language).text,
        room=room,
        start=zoned(event, item.start),
        end=zoned(event, exported_end(item)),
        persons=tuple(Person(s.id, speaker_guid(event, s), s.name, localized(s, "bio", language).text)
                      for s in item.speakers),
        url=absolute_url("programme.item", item_id=item.id),
    )


def _slug(event: Any, item: Any) -> str:
    """``levekar_og_mangfold_2016-4-se-metodikken-teori-og-praksis``, as frab builds slugs.

    The id keeps it unique (the XSD requires that), the title makes it readable; both schemas
    want at least four characters after the first hyphen. Always the Norwegian title: the
    English file names the same slot the same way.
    """
    tail = f"{item.id}-{slugify(item.title, 60)}"
    return f"{acronym(event)}-{tail if len(tail) >= 4 else tail + '-item'}"


def _version(content: dict[str, Any]) -> str:
    """A short digest of everything published: apps reload the schedule when it changes."""
    return hashlib.sha256(repr(sorted(content.items())).encode()).hexdigest()[:12]
