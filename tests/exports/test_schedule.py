"""schedule.xml and schedule.json: valid for the conference apps, with the booklet's content and
guids that stay the same between the two files, between requests and between servers."""

from __future__ import annotations

import datetime as dt
import json
import uuid
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import xmlschema

from fagkonferanse.events.loader import read_dataset
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.venue.models import Location

from .conftest import BASE_URL

BOOKLET = read_dataset("2016")


def schedule_xml(client) -> ET.Element:
    response = client.get("/schedule.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    return ET.fromstring(response.data)


def schedule_json(client) -> dict:
    response = client.get("/schedule.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return json.loads(response.data)


def json_events(document: dict) -> list[dict]:
    return [event for day in document["schedule"]["conference"]["days"]
            for events in day["rooms"].values() for event in events]


def validate_xml(schemas, data: bytes) -> None:
    schema = xmlschema.XMLSchema(str(schemas / "schedule.xml.xsd"))
    errors = [f"{error.path}: {error.reason}" for error in schema.iter_errors(data.decode())]
    assert errors == []


def validate_json(schemas, document: dict) -> None:
    schema = json.loads((schemas / "schedule.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)]
    assert errors == []


def test_schedule_xml_is_valid_against_the_xsd(client, schemas):
    validate_xml(schemas, client.get("/schedule.xml").data)


def test_schedule_json_is_valid_against_the_json_schema(client, schemas):
    validate_json(schemas, schedule_json(client))


def test_both_files_carry_the_booklets_titles_and_speakers(client):
    xml_events = schedule_xml(client).findall("./day/room/event")
    events = json_events(schedule_json(client))
    titles = [entry["title"] for entry in BOOKLET["programme"]]
    assert [event.findtext("title") for event in xml_events] == titles
    assert [event["title"] for event in events] == titles
    for entry, xml_event, event in zip(BOOKLET["programme"], xml_events, events):
        assert [p.text for p in xml_event.findall("./persons/person")] == entry["speakers"]
        assert [p["name"] for p in event["persons"]] == entry["speakers"]
        assert xml_event.findtext("start") == event["start"] == entry["start"]


def test_times_are_local_with_the_november_offset(client):
    root = schedule_xml(client)
    talk = next(e for e in root.iter("event") if e.findtext("title") == "SE metodikken – teori og praksis")
    assert talk.findtext("date") == "2016-11-09T09:35:00+01:00"
    assert talk.findtext("duration") == "00:20"
    assert talk.findtext("subtitle") == "Moss og Rygge"
    day = root.find("day")
    assert (day.get("index"), day.get("date")) == ("1", "2016-11-09")
    assert day.get("start") == "2016-11-09T08:30:00+01:00"
    conference = schedule_json(client)["schedule"]["conference"]
    assert conference["time_zone_name"] == "Europe/Oslo"
    assert (conference["start"], conference["end"], conference["daysCount"]) == ("2016-11-09", "2016-11-09", 1)


def test_the_closing_words_have_a_short_duration(client):
    closing = json_events(schedule_json(client))[-1]
    assert closing["title"] == "Vel hjem!"
    assert (closing["start"], closing["duration"]) == ("15:00", "00:10")
    assert closing["end"] == "2016-11-09T15:10:00+01:00"


def test_items_without_a_location_are_in_the_building(client):
    root = schedule_xml(client)
    assert [room.get("name") for room in root.findall("./day/room")] == ["H-bygget"]
    rooms = schedule_json(client)["schedule"]["conference"]["rooms"]
    assert [room["name"] for room in rooms] == ["H-bygget"]
    assert rooms[0]["guid"] == root.find("./day/room").get("guid")


def test_guids_are_identical_in_xml_json_and_the_api(client):
    xml_guids = {int(e.get("id")): e.get("guid") for e in schedule_xml(client).iter("event")}
    json_guids = {e["id"]: e["guid"] for e in json_events(schedule_json(client))}
    api_guids = {i["id"]: i["guid"] for i in client.get("/api/programme").get_json()["items"]}
    assert xml_guids == json_guids == api_guids
    assert len(set(xml_guids.values())) == 16
    for guid in xml_guids.values():
        assert str(uuid.UUID(guid)) == guid
    xml_people = {p.get("guid"): p.text for p in schedule_xml(client).iter("person")}
    json_people = {p["guid"]: p["name"] for e in json_events(schedule_json(client)) for p in e["persons"]}
    assert xml_people == json_people
    assert len(json_people) == len(BOOKLET["speakers"])


def test_guids_and_version_are_stable_across_requests_and_servers(client, other_app):
    first = schedule_json(client)
    assert schedule_json(client) == first
    again = schedule_json(other_app.test_client())
    assert [e["guid"] for e in json_events(again)] == [e["guid"] for e in json_events(first)]
    assert again["schedule"]["version"] == first["schedule"]["version"]
    assert schedule_xml(client).findtext("version") == first["schedule"]["version"]


def test_a_moved_item_gets_its_own_room_and_a_new_version(app, client, schemas):
    before = schedule_json(client)
    with app.app_context():
        room = db.session.scalar(db.select(Location).where(Location.name == "H-113"))
        item = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title == "Jobbsjansen"))
        guid_before = next(e["guid"] for e in json_events(before) if e["title"] == "Jobbsjansen")
        item.location = room
        db.session.commit()
    after = schedule_json(client)
    validate_json(schemas, after)
    validate_xml(schemas, client.get("/schedule.xml").data)
    assert after["schedule"]["version"] != before["schedule"]["version"]
    day = after["schedule"]["conference"]["days"][0]
    assert [e["title"] for e in day["rooms"]["H-113"]] == ["Jobbsjansen"]
    assert day["rooms"]["H-113"][0]["guid"] == guid_before
    assert {r["name"] for r in after["schedule"]["conference"]["rooms"]} == {"H-bygget", "H-113"}


def test_links_point_to_the_public_site(client):
    root = schedule_xml(client)
    assert root.findtext("url") == f"{BASE_URL}/schedule.xml"
    assert root.findtext("./conference/base_url") == f"{BASE_URL}/"
    for event in json_events(schedule_json(client)):
        assert event["url"] == f"{BASE_URL}/programme/{event['id']}"


@pytest.mark.parametrize("path", ["/schedule.xml", "/schedule.json"])
def test_an_empty_programme_is_still_a_valid_schedule(app, client, schemas, path):
    with app.app_context():
        db.session.execute(db.delete(ProgrammeItem))
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 200
    if path.endswith(".xml"):
        validate_xml(schemas, response.data)
    else:
        validate_json(schemas, json.loads(response.data))
    assert dt.date(2016, 11, 9).isoformat() in response.get_data(as_text=True)
