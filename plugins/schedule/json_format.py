"""schedule.json as pretalx writes it (the frab JSON layout), valid against c3voc's schema.

Field choices the schema forces, so nobody "fixes" them back:

* a person carries ``name`` and ``public_name`` but no integer ``id``: the schema accepts a
  person as *exactly one* of the frab shape (``id`` + ``public_name``) or the pretalx shape
  (``name``), and pretalx's shape plus the deprecated ``public_name`` is what apps read best.
  The stable identifier is the ``guid``; schedule.xml also gives the numeric ``id``.
* ``acronym`` has no hyphens (see :func:`model.acronym`).
"""

from __future__ import annotations

import json
from typing import Any

from .model import LANGUAGE, Day, Room, Schedule, Slot, clock, generator_version

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


def render_json(schedule: Schedule) -> str:
    """The whole document, pretty-printed UTF-8 text."""
    document = {
        "$schema": SCHEMA_URL,
        "generator": {"name": "fagkonferanse", "version": generator_version()},
        "schedule": {
            "version": schedule.version,
            "base_url": schedule.base_url,
            "conference": _conference(schedule),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _conference(schedule: Schedule) -> dict[str, Any]:
    return {
        "acronym": schedule.acronym,
        "title": schedule.title,
        "start": schedule.days[0].date.isoformat(),
        "end": schedule.days[-1].date.isoformat(),
        "daysCount": len(schedule.days),
        "timeslot_duration": clock(schedule.timeslot_minutes),
        "time_zone_name": schedule.time_zone_name,
        "url": schedule.url,
        "rooms": [_room(room) for room in schedule.rooms],
        "days": [_day(day) for day in schedule.days],
    }


def _room(room: Room) -> dict[str, Any]:
    return {"name": room.name, "guid": room.guid, "description": room.description or None}


def _day(day: Day) -> dict[str, Any]:
    rooms: dict[str, list[dict[str, Any]]] = {}
    for slot in day.slots:
        rooms.setdefault(slot.room.name, []).append(_event(slot))
    return {
        "index": day.index,
        "date": day.date.isoformat(),
        "day_start": day.start.isoformat(),
        "day_end": day.end.isoformat(),
        "rooms": rooms,
    }


def _event(slot: Slot) -> dict[str, Any]:
    return {
        "guid": slot.guid,
        "id": slot.id,
        "date": slot.start.isoformat(),
        "start": f"{slot.start:%H:%M}",
        "end": slot.end.isoformat(),
        "duration": clock(slot.duration_minutes),
        "room": slot.room.name,
        "slug": slot.slug,
        "url": slot.url,
        "title": slot.title,
        "subtitle": slot.subtitle,
        "track": None,  # the conference has one plenary programme, no tracks
        "type": slot.type,
        "language": LANGUAGE,
        "abstract": slot.abstract,
        "description": "",
        "persons": [
            {"guid": p.guid, "name": p.name, "public_name": p.name, "biography": p.biography or None}
            for p in slot.persons
        ],
        "links": [],
        "attachments": [],
    }

