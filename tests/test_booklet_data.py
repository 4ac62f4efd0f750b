"""The built-in 2016 conference is the booklet's: reproducible from it, and loaded faithfully."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fagkonferanse.data import booklet
from fagkonferanse.events.services import current_event
from fagkonferanse.programme.services import programme_items
from fagkonferanse.resources import data_dir
from fagkonferanse.stands.services import stands

from .conftest import SEED

# The programme page of the booklet, by eye: time, presenting organisations, title, speakers.
BOOKLET_PROGRAMME = [
    ("08.30", [], "Registrering og kaffe/frukt", []),
    ("09.00", [], "Dekan og prorektor ved Høgskolen i Østfold", []),
    ("09.15", [], "KLAR prosjektet – læringssystemet", ["Berit Eivi Nilsen"]),
    ("09.35", ["Moss kommune", "Rygge kommune"], "SE metodikken – teori og praksis",
     ["Erna Haug", "Christian Ebeltoft"]),
    ("09.55", ["Fredrikstad kommune"], "Barnefattigdom", ["Rebecca Brierley"]),
    ("10.15", ["Moss kommune"], "Kommunale utviklingsmidler", ["Hege Jacobsen"]),
    ("10.35", [], "Pause", []),
    ("10.55", ["Husbanken"], "Lansering av Veiviseren", ["Synnøve Seljeflot", "Bente Klingenberg"]),
    ("11.15", ["Halden kommune"], "En dør inn", ["Øyvind Grandahl"]),
    ("11.35", ["Sarpsborg kommune"], "Jobbsjansen", ["Katrine Svendsen"]),
    ("11.55", [], "Informasjon om prosjektstands", []),
    ("12.00", [], "Lunsj og stands", []),
    ("14.00", ["Sarpsborg kommune"], "Hvordan koordinerte vi i praksis?", ["Ellinor Andreassen"]),
    ("14.20", [], "Studentenes halvtime", []),
    ("14.50", [], "Oppsummering v/dekanen", []),
    ("15.00", [], "Vel hjem!", []),
]

BOOKLET_STANDS = {
    "Husbanken": ("H-113", 1, "room"),
    "Sarpsborg kommune": ("Gangen utenfor H-113", 1, "corridor"),
    "Halden kommune": ("Gangen ved kaffebaren", 1, "corridor"),
    "Moss kommune": ("Trappegangen i 2. etasje", 2, "stairway"),
    "Fredrikstad kommune": ("Trappegangen i 3. etasje", 3, "stairway"),
}


def test_shipped_dataset_is_what_the_conversion_makes_from_the_booklet():
    if not SEED.is_file():
        pytest.skip(f"the booklet is not beside the project ({SEED})")
    converted = booklet.convert(SEED.read_text(encoding="utf-8"))
    shipped = json.loads((data_dir() / "conference_2016.json").read_text(encoding="utf-8"))
    assert converted == shipped


def test_event_is_the_booklets(app):
    with app.app_context():
        event = current_event()
        assert event.title == "Kunnskap om praksisutvikling innen levekår og mangfold"
        assert event.date == dt.date(2016, 11, 9)
        assert (event.venue, event.building) == ("Høgskolen i Østfold", "H-bygget")
        assert [org.name for org in event.organisers] == [
            "Fylkesmannen i Østfold", "Husbanken", "Høgskolen i Østfold",
            "Integrerings- og mangfoldsdirektoratet",
        ]
        assert event.foreword.startswith("Justisdepartementet (JD) har i samarbeid med Fylkesmannen")
        assert "samordne aktuelle tilskuddsordninger overfor kommunene" in event.foreword
        assert event.foreword_signature.startswith("Hilsen")


def test_programme_is_the_booklets_to_the_minute(app):
    with app.app_context():
        items = programme_items(current_event())
        assert len(items) == 16
        loaded = [
            (f"{item.start:%H.%M}", [org.name for org in item.organisations], item.title,
             [speaker.name for speaker in item.speakers])
            for item in items
        ]
        assert loaded == BOOKLET_PROGRAMME


def test_each_item_ends_where_the_next_starts_and_vel_hjem_closes_the_day(app):
    with app.app_context():
        items = programme_items(current_event())
        for item, following in zip(items, items[1:]):
            assert item.end == following.start
        assert items[-1].title == "Vel hjem!"
        assert items[-1].end is None
        assert items[-1].start == dt.datetime(2016, 11, 9, 15, 0)


def test_stands_are_where_the_booklet_places_them(app):
    with app.app_context():
        placed = {
            stand.organisation.name: (stand.location.name, stand.location.floor, stand.location.kind)
            for stand in stands(current_event())
        }
        assert placed == BOOKLET_STANDS
