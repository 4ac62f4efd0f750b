"""Convert the 2016 booklet's front matter into ``conference_2016.json``.

The booklet (plain text extracted from its PDF) holds the foreword, the timed programme and the
stand placement table. This script reads those pages so the shipped dataset can be reproduced
and checked against the booklet (``tests/test_booklet_data.py``)::

    python -m fagkonferanse.data.booklet ../shared/seeds/000_7cea0bc938596cf3.txt \
        > src/fagkonferanse/data/conference_2016.json

What the text cannot say (which organisations exist, what kind a programme item is, which floor
a corridor is on) is stated in the tables below, next to the reason.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

EVENT = {
    "slug": "levekar-og-mangfold-2016",
    "title": "Kunnskap om praksisutvikling innen levekår og mangfold",
    "date": "2016-11-09",
    "venue": "Høgskolen i Østfold",
    "building": "H-bygget",
}

# (name, short name used in the programme, kind). The organisers come first, in the foreword's order.
ORGANISATIONS = [
    ("Fylkesmannen i Østfold", "Fylkesmannen", "agency"),
    ("Husbanken", "Husbanken", "agency"),
    ("Høgskolen i Østfold", "HiØ", "university"),
    ("Integrerings- og mangfoldsdirektoratet", "IMDi", "agency"),
    ("Moss kommune", "Moss", "municipality"),
    ("Rygge kommune", "Rygge", "municipality"),
    ("Sarpsborg kommune", "Sarpsborg", "municipality"),
    ("Fredrikstad kommune", "Fredrikstad", "municipality"),
    ("Halden kommune", "Halden", "municipality"),
]
ORGANISERS = ORGANISATIONS[:4]

# Item kinds by the first words of the title; everything else is a talk.
KINDS = [
    ("Registrering", "registration"),
    ("Dekan og prorektor", "welcome"),
    ("Pause", "break"),
    ("Informasjon om prosjektstands", "information"),
    ("Lunsj", "stands"),
    ("Studentenes", "students"),
    ("Oppsummering", "summary"),
    ("Vel hjem", "closing"),
]

# The placement table gives places in the booklet's words. Floors follow the booklet where it
# says "2-etg"/"3-etg" and the room number (H-113 is on the first floor); the coffee bar's floor
# is not printed, and it is taken to be the entrance floor, where the corridor by H-113 is too.
PLACES = {
    "H-113": ("H-113", "room", 1),
    "Gangen utenfor H.113": ("Gangen utenfor H-113", "corridor", 1),
    "Gangen ute ved kaffebaren": ("Gangen ved kaffebaren", "corridor", 1),
    "2-etg trappegangen": ("Trappegangen i 2. etasje", "stairway", 2),
    "3-etg trappegangen": ("Trappegangen i 3. etasje", "stairway", 3),
}

# A schematic plan of H-bygget from what the booklet says, so the stands page shows a plan and
# the organisers see what to replace with the real drawing (the page labels it schematic). It
# is not a drawing of the building: the booklet names five places and three floors, and nothing
# about their shape or size. On the first floor it has H-113, the corridor outside it and the
# corridor by the coffee bar — that floor is the assumption stated above PLACES — and, to find
# one's way at all, an entrance, a coffee bar and stairs, placed where they are assumed to be.
# Floors 2 and 3 have the stairwell the booklet names, where the first floor's stairs are.
# Points are plan units on an 820 × 440 plan; every floor's note says what is assumed.
ASSUMED_PLACES = [
    ("Kaffebaren", "coffee_bar", 1, "Ikke i heftet: antatt plassering ved gangen"),
    ("Inngangen", "entrance", 1, "Ikke i heftet: antatt plassering"),
    ("Trappen", "stairway", 1, "Ikke i heftet: trappen opp til trappegangene"),
]
STAIRWELL = "310,70 470,70 470,250 310,250"
OUTLINES = {
    "H-113": "500,40 800,40 800,250 500,250",
    "Gangen utenfor H-113": "470,250 800,250 800,330 470,330",
    "Gangen ved kaffebaren": "20,250 470,250 470,330 20,330",
    "Trappegangen i 2. etasje": STAIRWELL,
    "Trappegangen i 3. etasje": STAIRWELL,
    "Kaffebaren": "20,330 260,330 260,420 20,420",
    "Inngangen": "260,330 400,330 400,420 260,420",
    "Trappen": STAIRWELL,
}
FLOOR_NOTES = {
    1: ("Skjematisk plan laget ut fra programheftet, ikke en tegning av bygget. Heftet sier ikke hvilken "
        "etasje kaffebaren er i: her er det antatt at den er i inngangsetasjen, der gangen ved H-113 også er. "
        "Inngangen, trappen og kaffebaren er tegnet der de er antatt å være.",
        "A schematic plan made from the programme booklet, not a drawing of the building. The booklet does "
        "not say which floor the coffee bar is on: it is assumed here to be the entrance floor, where the "
        "corridor by H-113 is too. The entrance, the stairs and the coffee bar are drawn where they are "
        "assumed to be."),
    2: ("Skjematisk plan laget ut fra programheftet: heftet nevner bare trappegangen i denne etasjen.",
        "A schematic plan made from the programme booklet: the booklet mentions only the stairwell on this floor."),
    3: ("Skjematisk plan laget ut fra programheftet: heftet nevner bare trappegangen i denne etasjen.",
        "A schematic plan made from the programme booklet: the booklet mentions only the stairwell on this floor."),
}
PLAN_SIZE = (820, 440)


def plan_locations() -> list[dict[str, Any]]:
    """The booklet's places and the assumed ones, each with its shape on the schematic plan."""
    places = [{"name": name, "kind": kind, "floor": floor, "building": EVENT["building"], "description": place,
               "outline": OUTLINES[name]} for place, (name, kind, floor) in PLACES.items()]
    places += [{"name": name, "kind": kind, "floor": floor, "building": EVENT["building"], "description": why,
                "outline": OUTLINES[name]} for name, kind, floor, why in ASSUMED_PLACES]
    return places


def plan_floors() -> list[dict[str, Any]]:
    return [{"building": EVENT["building"], "number": number, "width": PLAN_SIZE[0], "height": PLAN_SIZE[1],
             "schematic": True, "note": note, "note_en": note_en}
            for number, (note, note_en) in sorted(FLOOR_NOTES.items())]


TIME_LINE = re.compile(r"^\s*Kl\.?\s+(\d{1,2})\.(\d{2})\s+(.*)$")
DASHES = re.compile(r"\s+[–-]\s+")


def blocks(lines: list[str]) -> list[str]:
    """Rejoin hard-wrapped lines; a line of only spaces separates paragraphs."""
    paragraphs, current = [], []
    for line in lines:
        if line.strip() == "":
            if line and current:  # " " (a space) is the PDF's paragraph break
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def section(lines: list[str], start: str, end: str) -> list[str]:
    """The lines strictly between the first line equal to ``start`` and the next equal to ``end``."""
    stripped = [line.strip() for line in lines]
    first = stripped.index(start)
    last = stripped.index(end, first + 1)
    return lines[first + 1 : last]


def parse_foreword(lines: list[str]) -> tuple[str, str]:
    body = section(lines, "Forord", "Program")
    paragraphs = blocks(body)
    greeting = paragraphs.pop()  # "Hilsen" and the organisers, wrapped onto one line
    assert greeting.startswith("Hilsen "), greeting
    return "\n\n".join(paragraphs), "Hilsen\n" + greeting.removeprefix("Hilsen ")


def parse_programme(lines: list[str]) -> list[dict[str, Any]]:
    """Each "Kl HH.MM" line starts an item; the lines after it continue it."""
    body = section(lines, "Program", "Kunnskap om praksisutvikling innen levekår")
    raw: list[tuple[str, str]] = []
    for line in body:
        match = TIME_LINE.match(line)
        if match:
            raw.append((f"{int(match[1]):02d}:{match[2]}", match[3].strip()))
        elif line.strip() and raw:
            time, text = raw[-1]
            raw[-1] = (time, f"{text} {line.strip()}")
    items = [describe_item(text) | {"start": time} for time, text in raw]
    for item, following in zip(items, items[1:] + [None]):
        item["end"] = following["start"] if following else None
    return items


def describe_item(text: str) -> dict[str, Any]:
    """Split "Sarpsborg – Jobbsjansen v/Katrine Svendsen" into presenter, title and speakers."""
    text = re.sub(r"\s+", " ", text).strip()
    speakers: list[dict[str, str]] = []
    description = ""
    if ". Introduseres av " in text:
        text, introduction = text.split(". Introduseres av ", 1)
        found = re.findall(r"([A-ZÆØÅ][\w]+(?: [A-ZÆØÅ][\w]+)+) \((\w+)\)", introduction)
        speakers = [{"name": name, "affiliation": affiliation} for name, affiliation in found]
        description = f"Introduseres av {found[0][0]} ({found[0][1]})."
    elif " v/" in text and not text.endswith("v/dekanen"):
        text, names = text.split(" v/", 1)
        speakers = [{"name": name.strip(), "affiliation": ""} for name in names.split(" og ")]
    parts = DASHES.split(text, maxsplit=1)
    organisations: list[str] = []
    if len(parts) == 2:
        first, second = parts
        if presenters(first):
            organisations, text = presenters(first), second
        elif presenters(second):
            organisations, text = presenters(second), first
    for speaker in speakers:
        if not speaker["affiliation"] and organisations:
            speaker["affiliation"] = organisations[0]
        speaker["affiliation"] = expand(speaker["affiliation"])
    kind = next((kind for prefix, kind in KINDS if text.startswith(prefix)), "talk")
    return {
        "title": text,
        "kind": kind,
        "organisations": organisations,
        "speakers": speakers,
        "description": description,
    }


def presenters(text: str) -> list[str]:
    """["Moss kommune", "Rygge kommune"] for "Moss og Rygge"; [] when not organisations."""
    names = [expand(short) for short in text.split(" og ")]
    return names if all(name in {org[0] for org in ORGANISATIONS} for name in names) else []


def expand(short: str) -> str:
    return next((name for name, short_name, _ in ORGANISATIONS if short_name == short), short)


def parse_stands(lines: list[str]) -> list[dict[str, Any]]:
    """Pair each organisation in the placement table with the place beside or below it."""
    body = section(lines, "Virksomhet  Standplass", "Veiviser Bolig for velferd")
    cells = [line.strip() for line in body if line.strip()]
    names = sorted((org[0] for org in ORGANISATIONS), key=len, reverse=True)
    stands, pending = [], None
    for cell in cells:
        owner = next((name for name in names if cell.startswith(name)), None)
        if owner:
            rest = cell[len(owner):].strip()
            pending = owner
            if rest:
                stands.append((owner, rest))
                pending = None
        elif pending:
            stands.append((pending, cell))
            pending = None
    return [
        {"organisation": owner, "placement": place, "location": PLACES[place][0]}
        for owner, place in stands
    ]


def convert(text: str) -> dict[str, Any]:
    """The whole dataset from the booklet text."""
    lines = text.splitlines()
    foreword, signature = parse_foreword(lines)
    programme = parse_programme(lines)
    stands = parse_stands(lines)
    speakers: dict[str, dict[str, str]] = {}
    for item in programme:
        for speaker in item["speakers"]:
            speakers.setdefault(speaker["name"], speaker)
        item["speakers"] = [speaker["name"] for speaker in item["speakers"]]
    return {
        "source": "Kunnskap om praksisutvikling innen levekår og mangfold, programhefte 2016",
        "event": EVENT | {
            "foreword": foreword,
            "foreword_signature": signature,
            "organisers": [org[0] for org in ORGANISERS],
        },
        "organisations": [
            {"name": name, "short_name": short, "kind": kind} for name, short, kind in ORGANISATIONS
        ],
        "floors": plan_floors(),
        "locations": plan_locations(),
        "speakers": list(speakers.values()),
        "programme": programme,
        "stands": stands,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m fagkonferanse.data.booklet BOOKLET.txt", file=sys.stderr)
        return 2
    data = convert(Path(argv[1]).read_text(encoding="utf-8"))
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
