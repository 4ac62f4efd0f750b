"""iCalendar: the day and each item open in a calendar at the venue's local time, and keep their UIDs."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest

from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.venue.models import Location

from .conftest import BASE_URL, HOST

UTC = dt.timezone.utc


def calendar(client, path: str) -> icalendar.Calendar:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def by_summary(cal: icalendar.Calendar, text: str) -> icalendar.Event:
    return next(event for event in cal.walk("VEVENT") if text in str(event["SUMMARY"]))


def item_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(ProgrammeItem.id).where(ProgrammeItem.title == title))


def test_the_whole_day_is_sixteen_events_in_oslo_time(client):
    response = client.get("/programme.ics")
    cal = icalendar.Calendar.from_ical(response.data)
    assert str(cal["VERSION"]) == "2.0" and "fagkonferanse" in str(cal["PRODID"])
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
    events = cal.walk("VEVENT")
    assert len(events) == 16
    talk = by_summary(cal, "SE metodikken – teori og praksis")
    assert str(talk["SUMMARY"]) == "Moss og Rygge – SE metodikken – teori og praksis"
    assert talk["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert b"DTSTART;TZID=Europe/Oslo:20161109T093500" in response.data
    start, end = talk.decoded("DTSTART"), talk.decoded("DTEND")
    # 09.35 on the wall clock in Halden is 08.35 UTC in November (CET, +01:00).
    assert start.utcoffset() == dt.timedelta(hours=1)
    assert start.astimezone(UTC) == dt.datetime(2016, 11, 9, 8, 35, tzinfo=UTC)
    assert end.astimezone(UTC) == dt.datetime(2016, 11, 9, 8, 55, tzinfo=UTC)


def test_every_event_has_uid_stamp_place_and_link(app, client):
    for event in calendar(client, "/programme.ics").walk("VEVENT"):
        uid = str(event["UID"])
        assert re.fullmatch(rf"levekar-og-mangfold-2016-item-\d+@{re.escape(HOST)}", uid), uid
        assert isinstance(event.decoded("DTSTAMP"), dt.datetime)
        assert str(event["LOCATION"]) == "H-bygget, Høgskolen i Østfold"
        number = uid.split("-item-")[1].split("@")[0]
        assert str(event["URL"]) == f"{BASE_URL}/programme/{number}"
    assert len({str(e["UID"]) for e in calendar(client, "/programme.ics").walk("VEVENT")}) == 16


def test_description_names_the_speakers(client):
    cal = calendar(client, "/programme.ics")
    veiviseren = str(by_summary(cal, "Lansering av Veiviseren")["DESCRIPTION"])
    assert "v/ Synnøve Seljeflot (Husbanken) og Bente Klingenberg (Husbanken)" in veiviseren
    se = str(by_summary(cal, "SE metodikken")["DESCRIPTION"])
    assert "Erna Haug" in se and "Christian Ebeltoft" in se and "Introduseres av Erna Haug" in se
    assert "DESCRIPTION" not in by_summary(cal, "Pause")


def test_the_closing_words_get_a_short_duration(client):
    closing = by_summary(calendar(client, "/programme.ics"), "Vel hjem!")
    assert "DTEND" not in closing
    assert closing.decoded("DURATION") == dt.timedelta(minutes=10)
    assert closing.decoded("DTSTART").astimezone(UTC) == dt.datetime(2016, 11, 9, 14, 0, tzinfo=UTC)


def test_uids_are_the_same_on_every_request_and_every_server(client, other_app):
    def uids(a_client):
        return [str(e["UID"]) for e in calendar(a_client, "/programme.ics").walk("VEVENT")]

    first = uids(client)
    assert uids(client) == first
    assert uids(other_app.test_client()) == first


def test_one_item_calendar_matches_the_whole_day(app, client):
    number = item_id(app, "En dør inn")
    single = calendar(client, f"/programme/{number}.ics")
    assert [str(tz["TZID"]) for tz in single.walk("VTIMEZONE")] == ["Europe/Oslo"]
    [event] = single.walk("VEVENT")
    day = by_summary(calendar(client, "/programme.ics"), "En dør inn")
    assert str(event["UID"]) == str(day["UID"])
    assert str(event["SUMMARY"]) == "Halden – En dør inn"
    assert event.decoded("DTSTART") == day.decoded("DTSTART")


def test_an_edited_item_keeps_its_uid_and_raises_its_sequence(app, client):
    number = item_id(app, "Jobbsjansen")
    before = calendar(client, f"/programme/{number}.ics").walk("VEVENT")[0]
    assert int(before["SEQUENCE"]) == 0
    with app.app_context():
        room = db.session.scalar(db.select(Location).where(Location.name == "H-113"))
        item = db.session.get(ProgrammeItem, number)
        item.start += dt.timedelta(minutes=5)
        item.end += dt.timedelta(minutes=5)
        item.location = room
        db.session.commit()  # one edit, as the organisers' form makes it
    after = calendar(client, f"/programme/{number}.ics").walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    assert after.decoded("DTSTART").astimezone(UTC).time() == dt.time(10, 40)
    assert str(after["LOCATION"]) == "H-113, H-bygget, Høgskolen i Østfold"


@pytest.mark.parametrize("path", ["/programme/9999.ics", "/programme/0.ics", "/programme/abc.ics",
                                  "/programme/99999999999999999999999.ics"])
def test_unknown_items_are_a_404(client, path):
    assert client.get(path).status_code == 404


def test_programme_pages_link_to_the_calendar_files(app, client):
    page = client.get("/programme").get_data(as_text=True)
    # One icon per item, named for screen readers with the item's title (not a repeated line of text).
    links = re.findall(r'<a class="icon-link" href="/programme/(\d+)\.ics" type="text/calendar"[^>]*>'
                       r'<svg aria-hidden="true"[^>]*>.*?</svg><span class="visually-hidden">Legg «([^»]+)» i kalenderen</span></a>',
                       page)
    assert len(links) == 16
    assert "Barnefattigdom" in {title for _number, title in links}
    assert ">Legg i kalenderen<" not in page
    number = item_id(app, "Barnefattigdom")
    item_page = client.get(f"/programme/{number}").get_data(as_text=True)
    assert f'href="/programme/{number}.ics"' in item_page
    assert 'href="webcal://konferanse.example.no/programme.ics"' in page
    assert 'href="/programme.ics"' in page
