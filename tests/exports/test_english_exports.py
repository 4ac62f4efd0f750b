"""The exports with content in two languages (issue 13): the API carries both versions; the
schedule files and the calendar come in English at ``?lang=en`` (their formats have no place for
a second title), still valid, with the same identities, and the Norwegian files unchanged."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest

from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem, Speaker
from fagkonferanse.stands.models import Stand
from fagkonferanse.venue.models import Location

from .conftest import BASE_URL
from .test_api import check, openapi
from .test_schedule import json_events, validate_json, validate_xml

TITLE_EN = "The SE method – theory and practice"
DESCRIPTION_EN = "Introduced by Erna Haug (HiØ)."
EVENT_EN = "Knowledge of practice development"
ROOM_EN = "Corridor by the coffee bar"
BIO_EN = "Researches supported employment."
ENGLISH = (TITLE_EN, DESCRIPTION_EN, EVENT_EN, ROOM_EN, BIO_EN)


@pytest.fixture
def english_content(app) -> dict[str, int]:
    """Item 4 in English, in a room with an English name; item 5 ("Barnefattigdom") Norwegian only."""
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        event.title_en = EVENT_EN
        talk = db.session.get(ProgrammeItem, 4)
        talk.title_en, talk.description_en = TITLE_EN, DESCRIPTION_EN
        corridor = db.session.scalar(db.select(Location).where(Location.name == "Gangen ved kaffebaren"))
        corridor.name_en = ROOM_EN
        talk.location = corridor
        erna = db.session.scalar(db.select(Speaker).where(Speaker.name == "Erna Haug"))
        erna.bio, erna.bio_en = "Forsker på SE.", BIO_EN
        husbanken = db.session.scalar(db.select(Stand).where(Stand.slug == "husbanken"))
        husbanken.short_text, husbanken.short_text_en = "Møt Veiviseren.", "Meet the guide."
        db.session.commit()
        return {"talk": talk.id, "corridor": corridor.id, "erna": erna.id}


def get(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


# --- schedule.json / schedule.xml ---------------------------------------------------------------


def test_the_english_schedule_json_is_valid_and_english_where_given(english_content, client, schemas):
    document = json.loads(get(client, "/schedule.json?lang=en").data)
    validate_json(schemas, document)
    conference = document["schedule"]["conference"]
    assert conference["title"] == EVENT_EN
    events = {event["id"]: event for event in json_events(document)}
    talk = events[english_content["talk"]]
    assert (talk["title"], talk["abstract"], talk["room"]) == (TITLE_EN, DESCRIPTION_EN, ROOM_EN)
    assert talk["language"] == "nb"  # the talk is still given in Norwegian
    assert talk["persons"][0]["biography"] == BIO_EN
    assert events[5]["title"] == "Barnefattigdom"  # no English version: the Norwegian
    assert ROOM_EN in document["schedule"]["conference"]["days"][0]["rooms"]


def test_both_schedule_files_name_every_slot_the_same(english_content, client):
    norwegian = {e["guid"]: e["slug"] for e in json_events(json.loads(get(client, "/schedule.json").data))}
    english = {e["guid"]: e["slug"] for e in json_events(json.loads(get(client, "/schedule.json?lang=en").data))}
    assert english == norwegian
    assert norwegian[next(g for g, s in norwegian.items() if "-4-" in s)].endswith("-4-se-metodikken-teori-og-praksis")


def test_the_norwegian_schedule_files_have_no_english(english_content, client, schemas):
    for path in ("/schedule.json", "/schedule.xml", "/schedule.json?lang=tlh"):
        text = get(client, path).get_data(as_text=True)
        for english in ENGLISH:
            assert english not in text, (path, english)
    document = json.loads(get(client, "/schedule.json").data)
    validate_json(schemas, document)
    assert {e["id"]: e["title"] for e in json_events(document)}[english_content["talk"]] == (
        "SE metodikken – teori og praksis")


def test_the_english_schedule_xml_is_valid_and_says_where_it_is(english_content, client, schemas):
    data = get(client, "/schedule.xml?lang=en").data
    validate_xml(schemas, data)
    root = ET.fromstring(data)
    assert root.findtext("url") == f"{BASE_URL}/schedule.xml?lang=en"
    assert root.findtext("conference/title") == EVENT_EN
    talk = root.find(f".//event[@id='{english_content['talk']}']")
    assert (talk.findtext("title"), talk.findtext("abstract"), talk.findtext("room")) == (
        TITLE_EN, DESCRIPTION_EN, ROOM_EN)
    assert ET.fromstring(get(client, "/schedule.xml").data).findtext("url") == f"{BASE_URL}/schedule.xml"


# --- The API ------------------------------------------------------------------------------------


def test_the_api_carries_both_languages_as_its_schema_says(english_content, client):
    document = openapi(client)
    schemas = document["components"]["schemas"]
    answers = {
        f"/api/programme/{english_content['talk']}": "ProgrammeItem",
        "/api/programme/5": "ProgrammeItem",
        "/api/event": "Event",
        f"/api/speakers/{english_content['erna']}": "Speaker",
        "/api/stands/husbanken": "Stand",
        f"/api/locations/{english_content['corridor']}": "LocationDetail",
    }
    bodies = {}
    for path, name in answers.items():
        bodies[path] = get(client, path).get_json()
        assert check(document, {"$ref": f"#/components/schemas/{name}"}, bodies[path]) == [], path
    talk = bodies[f"/api/programme/{english_content['talk']}"]
    assert (talk["title"], talk["title_en"]) == ("SE metodikken – teori og praksis", TITLE_EN)
    assert (talk["description"], talk["description_en"]) == ("Introduseres av Erna Haug (HiØ).", DESCRIPTION_EN)
    assert (talk["location"]["name"], talk["location"]["name_en"]) == ("Gangen ved kaffebaren", ROOM_EN)
    assert (bodies["/api/programme/5"]["title_en"], bodies["/api/programme/5"]["description_en"]) == (None, None)
    assert bodies["/api/event"]["title_en"] == EVENT_EN
    erna = bodies[f"/api/speakers/{english_content['erna']}"]
    assert (erna["bio"], erna["bio_en"], erna["role_en"]) == ("Forsker på SE.", BIO_EN, None)
    assert bodies["/api/stands/husbanken"]["short_text_en"] == "Meet the guide."
    corridor = bodies[f"/api/locations/{english_content['corridor']}"]
    assert corridor["programme"][0]["title_en"] == TITLE_EN
    assert "title_en" in schemas["ProgrammeItemRef"]["required"]
    assert "null when none is given" in schemas["ProgrammeItem"]["properties"]["description_en"]["description"]


# --- iCalendar ----------------------------------------------------------------------------------


def calendar(client, path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(get(client, path).data)


def vevent(cal: icalendar.Calendar, item: int) -> icalendar.Event:
    return next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith(f"levekar-og-mangfold-2016-item-{item}@"))


def test_the_english_calendar_says_which_language_each_text_is_in(english_content, client):
    raw = get(client, "/programme.ics?lang=en").get_data(as_text=True).replace("\r\n ", "")
    assert f"NAME;LANGUAGE=en:{EVENT_EN}" in raw
    assert f"SUMMARY;LANGUAGE=en:Moss og Rygge – {TITLE_EN}" in raw
    assert "SUMMARY;LANGUAGE=nb:Fredrikstad – Barnefattigdom" in raw
    cal = calendar(client, "/programme.ics?lang=en")
    talk = vevent(cal, english_content["talk"])
    assert talk["DESCRIPTION"].params["LANGUAGE"] == "en"
    assert str(talk["DESCRIPTION"]) == (
        f"by Erna Haug (Høgskolen i Østfold) and Christian Ebeltoft (Høgskolen i Østfold)\n\n{DESCRIPTION_EN}")
    assert str(talk["LOCATION"]) == f"{ROOM_EN}, H-bygget, Høgskolen i Østfold"


def test_the_norwegian_calendar_is_norwegian_whatever_the_visitors_cookie(english_content, client):
    client.set_cookie("lang", "en")  # the address decides, not the cookie: calendars send none
    raw = get(client, "/programme.ics").get_data(as_text=True).replace("\r\n ", "")
    for english in ENGLISH:
        assert english not in raw
    assert "SUMMARY;LANGUAGE=nb:Moss og Rygge – SE metodikken – teori og praksis" in raw
    assert "DESCRIPTION;LANGUAGE=nb:v/ Erna Haug (Høgskolen i Østfold) og Christian" in raw
    assert "LANGUAGE=en" not in raw


def test_both_calendars_keep_the_same_uids(english_content, client):
    uids = [sorted(str(e["UID"]) for e in calendar(client, path).walk("VEVENT"))
            for path in ("/programme.ics", "/programme.ics?lang=en")]
    assert uids[0] == uids[1] and len(uids[0]) == 16


def test_one_item_in_english(english_content, client):
    raw = get(client, f"/programme/{english_content['talk']}.ics?lang=en").get_data(as_text=True)
    assert f"SUMMARY;LANGUAGE=en:Moss og Rygge – {TITLE_EN}" in raw.replace("\r\n ", "")
    assert TITLE_EN not in get(client, f"/programme/{english_content['talk']}.ics").get_data(as_text=True)


def test_english_pages_link_to_the_english_files(english_content, client):
    client.set_cookie("lang", "en")
    page = get(client, "/programme").get_data(as_text=True)
    assert 'href="webcal://konferanse.example.no/programme.ics?lang=en"' in page
    assert 'href="/programme.ics?lang=en"' in page
    assert 'href="/schedule.xml?lang=en"' in page and 'href="/schedule.json?lang=en"' in page
    assert len(re.findall(r'href="/programme/\d+\.ics\?lang=en"', page)) == 16
    item_page = get(client, "/programme/5").get_data(as_text=True)
    assert 'href="/programme/5.ics?lang=en"' in item_page
    client.set_cookie("lang", "nb")
    assert "lang=en" not in get(client, "/programme").get_data(as_text=True)


def test_the_page_cache_keeps_the_languages_of_a_file_apart(english_content, client):
    for round_, state in enumerate(("miss", "hit")):  # the second round is served from the cache
        norwegian = get(client, "/programme.ics")
        english = get(client, "/programme.ics?lang=en")
        assert (norwegian.headers["X-Page-Cache"], english.headers["X-Page-Cache"]) == (state, state)
        assert TITLE_EN not in norwegian.get_data(as_text=True).replace("\r\n ", "")
        assert TITLE_EN in english.get_data(as_text=True).replace("\r\n ", "")
    tagged = get(client, "/schedule.json?utm_source=x&lang=en")
    assert tagged.headers["X-Page-Cache"] == "miss"
    assert tagged.get_json()["schedule"]["conference"]["title"] == EVENT_EN
    assert get(client, "/schedule.json?lang=en").headers["X-Page-Cache"] == "hit"
