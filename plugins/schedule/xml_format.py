"""schedule.xml as frab writes it, valid against c3voc's XSD; the oldest and widest-read spelling.

Giggity, EventFahrplan and info-beamer read this file. Rooms are listed per day, each holding
its events; every event names its room again (the XSD requires it).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import LANGUAGE, Day, Schedule, Slot, clock, generator_version

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render_xml(schedule: Schedule, url: str) -> bytes:
    """The whole document as UTF-8 bytes; ``url`` is where schedule.xml itself is served."""
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name="fagkonferanse", version=generator_version())
    _text(root, "url", url)
    _text(root, "version", schedule.version)
    conference = ET.SubElement(root, "conference")
    for tag, value in (
        ("title", schedule.title),
        ("acronym", schedule.acronym),
        ("start", schedule.days[0].date.isoformat()),
        ("end", schedule.days[-1].date.isoformat()),
        ("days", str(len(schedule.days))),
        ("timeslot_duration", clock(schedule.timeslot_minutes)),
        ("base_url", schedule.base_url),
        ("url", schedule.url),
        ("time_zone_name", schedule.time_zone_name),
    ):
        _text(conference, tag, value)
    for day in schedule.days:
        _day(root, day)
    ET.indent(root)
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _day(root: ET.Element, day: Day) -> None:
    element = ET.SubElement(root, "day", index=str(day.index), date=day.date.isoformat(),
                            start=day.start.isoformat(), end=day.end.isoformat())
    rooms: dict[str, ET.Element] = {}
    for slot in day.slots:
        room = rooms.get(slot.room.name)
        if room is None:
            room = rooms[slot.room.name] = ET.SubElement(
                element, "room", name=slot.room.name, guid=slot.room.guid)
        _event(room, slot)


def _event(room: ET.Element, slot: Slot) -> None:
    event = ET.SubElement(room, "event", guid=slot.guid, id=str(slot.id))
    for tag, value in (
        ("date", slot.start.isoformat()),
        ("start", f"{slot.start:%H:%M}"),
        ("duration", clock(slot.duration_minutes)),
        ("room", slot.room.name),
        ("slug", slot.slug),
        ("url", slot.url),
        ("title", slot.title),
        ("subtitle", slot.subtitle),
        ("track", ""),  # one plenary programme, no tracks; the XSD requires the element
        ("type", slot.type),
        ("language", LANGUAGE),
        ("abstract", slot.abstract),
        ("description", ""),
    ):
        _text(event, tag, value)
    persons = ET.SubElement(event, "persons")
    for person in slot.persons:
        _text(persons, "person", person.name).attrib.update(id=str(person.id), guid=person.guid)
    ET.SubElement(event, "links")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element

