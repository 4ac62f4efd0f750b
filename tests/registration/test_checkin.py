"""Check-in at the door: every answer a scan can give, idempotence, undo, search, walk-in, counters."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.exc import IntegrityError

from fagkonferanse.checkin import services as door
from fagkonferanse.checkin.models import CheckIn
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import services
from fagkonferanse.registration.models import CONFIRMED, Registration

from ..conftest import csrf_token
from .conftest import configure, outbox, people

JSON = {"Accept": "application/json"}


def add(app, name: str, email: str, organisation: str = "Sarpsborg kommune") -> Registration:
    with app.app_context():
        outcome = services.register(current_event(), {"name": name, "email": email, "organisation": organisation})
        db.session.expunge(outcome.registration)
        return outcome.registration


def scan(client, code: str, json_answer: bool = False):
    token = csrf_token(client, "/admin/checkin")
    return client.post("/admin/checkin/scan", data={"csrf_token": token, "code": code},
                       headers=JSON if json_answer else {})


def test_a_scan_checks_in_with_name_and_organisation(app, admin_client):
    person = add(app, "Bjørn Ødegård", "bjorn@example.no")
    page = scan(admin_client, f"http://127.0.0.1:5000/c/{person.checkin_code}").get_data(as_text=True)
    assert "door-checked_in" in page and "Sjekket inn" in page
    assert "Bjørn Ødegård" in page and "Sarpsborg kommune" in page


def test_a_second_scan_says_already_with_time_and_who(app, admin_client):
    person = add(app, "Bjørn Ødegård", "bjorn@example.no")
    scan(admin_client, person.checkin_code)
    again = scan(admin_client, person.checkin_code.upper()).get_data(as_text=True)
    assert "door-already" in again and "ALLEREDE sjekket inn" in again
    assert "av Ola Arrangør" in again and "kl. " in again
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1


def test_the_database_refuses_a_second_checkin_even_at_the_same_instant(app, organiser):
    person = add(app, "Bjørn Ødegård", "bjorn@example.no")
    with app.app_context():
        db.session.add(CheckIn(event_id=person.event_id, registration_id=person.id))
        db.session.commit()
        db.session.add(CheckIn(event_id=person.event_id, registration_id=person.id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_scan_racing_another_scanner_answers_already(app, organiser, monkeypatch):
    """The unique constraint wins even when the check in Python saw no check-in yet."""
    person = add(app, "Bjørn Ødegård", "bjorn@example.no")
    with app.app_context():
        registration = db.session.get(Registration, person.id)
        assert registration.checkin is None  # loaded now: the other scanner commits after this
        with db.engine.begin() as other_scanner:
            other_scanner.execute(db.insert(CheckIn).values(
                event_id=person.event_id, registration_id=person.id, organiser_name="Kari på den andre døra",
                method="scan", at=db.func.current_timestamp()))
        result = door.check_in(registration, None)
        assert result.state == door.ALREADY
        assert result.checkin.organiser_name == "Kari på den andre døra"


@pytest.mark.parametrize(("status", "expected"), [("cancelled", "Avmeldt"), ("waiting", "På venteliste")])
def test_cancelled_and_waiting_are_not_admitted(app, admin_client, status, expected):
    person = add(app, "Synnøve", "synnove@example.no")
    with app.app_context():
        db.session.get(Registration, person.id).status = status
        db.session.commit()
    page = scan(admin_client, person.checkin_code).get_data(as_text=True)
    assert f"door-{status}" in page and expected in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0


@pytest.mark.parametrize("typed", ["", "hei", "a" * 32, "https://example.no/c/" + "b" * 32, "<img src=x>"])
def test_unknown_codes(admin_client, typed):
    response = scan(admin_client, typed)
    assert response.status_code == 200
    assert "Ukjent kode" in response.get_data(as_text=True)


def test_json_answer_for_the_page_script(app, admin_client):
    person = add(app, "Øyvind", "oyvind@example.no")
    response = scan(admin_client, person.checkin_code, json_answer=True)
    data = response.get_json()
    assert data["state"] == "checked_in" and "Øyvind" in data["html"]
    assert data["counters"] == {"confirmed": 1, "checked_in": 1, "expected": 0, "waiting": 0, "capacity": 150}
    assert scan(admin_client, person.checkin_code, json_answer=True).get_json()["state"] == "already"


def test_undo_a_mistaken_checkin(app, admin_client):
    person = add(app, "Øyvind", "oyvind@example.no")
    scan(admin_client, person.checkin_code)
    with app.app_context():
        checkin_id = db.session.scalar(db.select(CheckIn.id))
    token = csrf_token(admin_client, "/admin/checkin")
    response = admin_client.post(f"/admin/checkin/{checkin_id}/undo", data={"csrf_token": token},
                                 follow_redirects=True)
    assert "Innsjekkingen av Øyvind er angret." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0
    assert "door-checked_in" in scan(admin_client, person.checkin_code).get_data(as_text=True)
    again = admin_client.post(f"/admin/checkin/{checkin_id}/undo", data={"csrf_token": token}, follow_redirects=True)
    assert "allerede angret" in again.get_data(as_text=True)


def test_name_search_folds_case_and_accents_and_keeps_other_scripts(app, admin_client):
    add(app, "Øyvind Grandahl", "oyvind@example.no", "Husbanken")
    add(app, "Марія Коваленко", "maria@example.no")
    add(app, "李小龙", "li@example.no")
    for query, expected in (("oyvind", "Øyvind Grandahl"), ("ØYVIND husbank", "Øyvind Grandahl"),
                            ("марія", "Марія Коваленко"), ("李", "李小龙")):
        page = admin_client.get("/admin/checkin", query_string={"q": query}).get_data(as_text=True)
        assert expected in page and "1 treff" in page, query
    with app.app_context():
        person_id = db.session.scalar(db.select(Registration.id).where(Registration.name == "李小龙"))
    token = csrf_token(admin_client, "/admin/checkin")
    page = admin_client.post(f"/admin/checkin/registrations/{person_id}", data={"csrf_token": token})
    assert "door-checked_in" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(CheckIn.method)) == "search"


def test_walk_in_registers_and_checks_in_even_when_full(app, admin_client):
    configure(app, capacity=0)
    token = csrf_token(admin_client, "/admin/checkin")
    form = {"csrf_token": token, "walkin-name": "Ny Person", "walkin-email": "ny@example.no",
            "walkin-organisation": "Hvaler kommune", "walkin-consent": "y"}
    page = admin_client.post("/admin/checkin/walk-in", data=form).get_data(as_text=True)
    assert "door-checked_in" in page and "Ny Person" in page
    [person] = people(app)
    assert (person.status, person.source) == (CONFIRMED, "walk-in")
    assert outbox(app)[0]["Subject"].startswith("Du er påmeldt")  # their link: to see or delete their data
    again = admin_client.post("/admin/checkin/walk-in", data=form).get_data(as_text=True)
    assert "Allerede påmeldt" in again and len(people(app)) == 1


def test_walk_in_needs_a_name_and_consent(app, admin_client):
    token = csrf_token(admin_client, "/admin/checkin")
    response = admin_client.post("/admin/checkin/walk-in", data={"csrf_token": token, "walkin-name": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Må fylles ut." in page and "Bekreft at personen samtykker." in page
    assert people(app) == []


def test_walk_in_without_email(app, admin_client):
    token = csrf_token(admin_client, "/admin/checkin")
    response = admin_client.post("/admin/checkin/walk-in", data={
        "csrf_token": token, "walkin-name": "Uten Epost", "walkin-consent": "y"})
    assert "door-checked_in" in response.get_data(as_text=True)
    assert people(app)[0].email is None and outbox(app) == []


def test_live_counters(app, admin_client):
    configure(app, capacity=2)
    first = add(app, "En", "en@example.no")
    add(app, "To", "to@example.no")
    add(app, "Tre", "tre@example.no")
    scan(admin_client, first.checkin_code)
    response = admin_client.get("/admin/checkin/counters.json")
    assert response.headers["Cache-Control"] == "no-store"
    assert json.loads(response.get_data(as_text=True)) == {"confirmed": 2, "checked_in": 1, "expected": 1,
                                                            "waiting": 1, "capacity": 2}


def test_the_checkin_link_tells_a_visitor_nothing(app, client):
    person = add(app, "Hemmelig Navn", "hemmelig@example.no", "Hemmelig Org")
    page = client.get(f"/c/{person.checkin_code}").get_data(as_text=True)
    assert "Vis denne koden i døra" in page
    assert "Hemmelig" not in page and person.manage_secret not in page
    made_up = "a" * 32
    unknown = client.get("/c/" + made_up).get_data(as_text=True)
    assert unknown.replace(made_up, person.checkin_code) == page  # a real code and a made-up one look alike
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0


def test_the_checkin_link_gives_an_organiser_a_button(app, admin_client):
    person = add(app, "Kari Nordmann", "kari@example.no")
    page = admin_client.get(f"/c/{person.checkin_code}").get_data(as_text=True)
    assert "Kari Nordmann" in page and 'action="/admin/checkin/scan"' in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0  # opening it admits nobody


def test_scan_endpoint_is_rate_limited(app, admin_client):
    app.config["RATE_LIMITS"] = {"scan": "3/minute"}
    for _ in range(3):
        assert scan(admin_client, "x").status_code == 200
    assert scan(admin_client, "x").status_code == 429
    assert scan(admin_client, "x", json_answer=True).get_json()["state"] == "rate_limited"


def test_after_checkin_hook_is_called_once(app, admin_client):
    calls = []

    class Spy:
        @staticmethod
        def after_checkin(checkin):
            calls.append(checkin.registration_id)

    from fagkonferanse import hookimpl

    Spy.after_checkin = hookimpl(Spy.after_checkin)
    app.extensions["fagkonferanse.plugins"].register(Spy, name="spy")
    person = add(app, "Øyvind", "oyvind@example.no")
    scan(admin_client, person.checkin_code)
    scan(admin_client, person.checkin_code)
    assert calls == [person.id]
