"""Load a conference dataset (the JSON shipped for 2016) into the database."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..extensions import db
from ..programme.models import ProgrammeItem, Speaker
from ..resources import data_dir
from ..stands.models import Stand
from ..text import slugify
from ..venue.models import Floor, Location
from .models import Event, Organisation
from .services import make_current

BUILTIN_DATASETS = {"2016": "conference_2016.json"}


def read_dataset(name: str) -> dict[str, Any]:
    """The parsed JSON of a built-in dataset."""
    return json.loads((data_dir() / BUILTIN_DATASETS[name]).read_text(encoding="utf-8"))


def load_conference(data: dict[str, Any], *, demo: bool = False) -> Event:
    """Create the event with its organisations, floors, locations, speakers, programme and stands.

    Adds to the session without committing: the caller commits once, so a failure leaves the
    database as it was. The new event becomes the current one. ``demo`` marks a built-in
    conference loaded for trying the toolkit (see :mod:`.phase`).
    """
    organisations = {org["name"]: _organisation(org) for org in data["organisations"]}
    info = data["event"]
    date = dt.date.fromisoformat(info["date"])
    event = Event(
        slug=info["slug"],
        title=info["title"],
        date=date,
        venue=info["venue"],
        building=info["building"],
        foreword=info["foreword"],
        foreword_signature=info["foreword_signature"],
        organisers=[organisations[name] for name in info["organisers"]],
        is_demo=demo,
    )
    db.session.add(event)
    db.session.flush()
    locations = {}
    for place in data["locations"]:
        locations[place["name"]] = Location(event_id=event.id, **{"outline": "", **place})
    floors = {(floor["building"], floor["number"]): floor for floor in data.get("floors", [])}
    for building, number in sorted(floors.keys() | {(place.building, place.floor) for place in locations.values()}):
        given = floors.get((building, number), {})
        db.session.add(Floor(event_id=event.id, building=building, number=number, width=given.get("width", 1000),
                             height=given.get("height", 600), schematic=given.get("schematic", False),
                             note=given.get("note", ""), note_en=given.get("note_en", "")))
    speakers = {}
    for person in data["speakers"]:
        speakers[person["name"]] = Speaker(
            event_id=event.id, name=person["name"], affiliation=person.get("affiliation", ""),
            role=person.get("role", ""),
        )
    db.session.add_all([*locations.values(), *speakers.values()])
    for entry in data["programme"]:
        db.session.add(
            ProgrammeItem(
                event_id=event.id,
                start=_at(date, entry["start"]),
                end=_at(date, entry["end"]) if entry.get("end") else None,
                title=entry["title"],
                kind=entry["kind"],
                description=entry.get("description", ""),
                location=locations.get(entry.get("location") or ""),
                speakers=[speakers[name] for name in entry["speakers"]],
                organisations=[organisations[name] for name in entry["organisations"]],
            )
        )
    for entry in data["stands"]:
        db.session.add(
            Stand(
                event_id=event.id,
                slug=slugify(entry["organisation"]),
                organisation=organisations[entry["organisation"]],
                location=locations[entry["location"]],
                short_text=entry.get("short_text", ""),
            )
        )
    make_current(event)
    db.session.flush()
    return event


def _organisation(entry: dict[str, str]) -> Organisation:
    """Reuse an organisation already in the database (a second event has the same partners)."""
    existing = db.session.scalar(db.select(Organisation).where(Organisation.name == entry["name"]))
    if existing:
        return existing
    organisation = Organisation(name=entry["name"], short_name=entry["short_name"], kind=entry["kind"])
    db.session.add(organisation)
    return organisation


def _at(date: dt.date, clock: str) -> dt.datetime:
    return dt.datetime.combine(date, dt.time.fromisoformat(clock))
