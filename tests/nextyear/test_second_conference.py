"""Every page, export, print document and the API work for a second conference: 2017, copied
from 2016 and made current, shows its own programme, while the 2016 archive keeps its own."""

from __future__ import annotations

import json

import pytest

from fagkonferanse.events.copying import event_by_slug
from fagkonferanse.extensions import db
from fagkonferanse.printing import render_document
from fagkonferanse.registration.models import CONFIRMED, Registration

from ..conftest import log_in
from ..pdftools import pdf_text
from .conftest import NEW_OPENING, OLD_OPENING, SLUG_2016, SLUG_2017

ARCHIVE = f"/arkiv/{SLUG_2016}"

PAGES = ["/", "/programme", "/speakers", "/stands", "/stands/husbanken", "/catalogue", "/screen"]
EXPORTS = ["/programme.ics", "/schedule.json", "/schedule.xml", "/api/programme", "/api/event", "/api/stands",
           "/api/locations", "/api/speakers"]


def _text(response) -> str:
    return response.get_data(as_text=True).replace("\r\n ", "")  # unfold iCalendar lines


@pytest.mark.parametrize("path", PAGES + EXPORTS)
def test_public_pages_and_exports_serve_the_current_conference(app_2017, path):
    client = app_2017.test_client()
    response = client.get(path)
    assert response.status_code == 200, path
    if path in ("/programme", "/programme.ics", "/schedule.json", "/schedule.xml", "/api/programme"):
        assert NEW_OPENING in _text(response) and OLD_OPENING not in _text(response)
    if path == "/":
        assert "Levekår og mangfold 2017" in _text(response) and "onsdag 8. november 2017" in _text(response)


@pytest.mark.parametrize("path", ["/programme", "/programme.ics", "/schedule.json", "/schedule.xml", "/api/programme"])
def test_the_archive_serves_2016(app_2017, path):
    text = _text(app_2017.test_client().get(ARCHIVE + path))
    assert OLD_OPENING in text and NEW_OPENING not in text


def test_the_exports_name_the_2017_conference(app_2017):
    client = app_2017.test_client()
    schedule = json.loads(client.get("/schedule.json").get_data())
    assert schedule["schedule"]["conference"]["acronym"] == SLUG_2017.replace("-", "_")
    assert schedule["schedule"]["conference"]["start"].startswith("2017-11-08")
    archived = json.loads(client.get(f"{ARCHIVE}/schedule.json").get_data())
    assert archived["schedule"]["conference"]["acronym"] == SLUG_2016.replace("-", "_")
    event = json.loads(client.get("/api/event").get_data())
    assert event["date"] == "2017-11-08"


def test_the_attendee_list_and_its_csv_are_the_current_conferences(app_2017, organiser):
    with app_2017.app_context():
        for slug, name in ((SLUG_2016, "Kari Fjorår"), (SLUG_2017, "Ola Iår")):
            event = event_by_slug(slug)
            db.session.add(Registration(event_id=event.id, status=CONFIRMED, name=name, email=f"{slug}@example.no",
                                        manage_secret=f"{slug}-m", checkin_code=f"{slug}-c"))
        db.session.commit()
    client = app_2017.test_client()
    log_in(client)
    csv = client.get("/admin/attendees/export.csv").get_data(as_text=True)
    assert "Ola Iår" in csv and "Kari Fjorår" not in csv
    listing = client.get("/admin/attendees/").get_data(as_text=True)
    assert "Ola Iår" in listing and "Kari Fjorår" not in listing


@pytest.mark.parametrize("document, options", [("programme", {}), ("posters", {"allow_localhost": "yes"}),
                                               ("badges", {}), ("booklet", {})])
def test_print_documents_are_the_current_conferences(app_2017, tmp_path, document, options):
    with app_2017.test_request_context():
        for slug, name in ((SLUG_2016, "Kari Fjorår"), (SLUG_2017, "Ola Iår")):
            db.session.add(Registration(event_id=event_by_slug(slug).id, status=CONFIRMED, name=name,
                                        email=f"{slug}@example.no", manage_secret=f"{slug}-m",
                                        checkin_code=f"{slug}-c", door_code=slug[-8:].upper()))
        db.session.commit()
        text = " ".join(pdf_text(render_document(document, event_by_slug(SLUG_2017), options), tmp_path).split())
    if document in ("programme", "booklet"):
        assert NEW_OPENING in text and OLD_OPENING not in text
    if document == "badges":
        assert "Iår" in text and "Fjorår" not in text
    if document == "posters":
        assert "Husbanken" in text
