"""The 2016 conference after its day (15.10 is when the closing words end), with attendees:
two checked in with an address (one registered in English), one checked in without an address
(a walk-in), one checked in who cancelled afterwards, and one who never came."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import pytest

from fagkonferanse.checkin.models import CheckIn
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import services
from fagkonferanse.registration.models import CANCELLED, Registration

from ..conftest import csrf_token, make_app

AFTER_THE_DAY = "2016-11-09T16:00"
DURING_THE_DAY = "2016-11-09T11:00"
BASE_URL = "https://konferanse.example.no"
FEEDBACK_LINK = re.compile(r'href="(/tilbakemelding/[A-Za-z0-9_-]{32})"')


@dataclass(frozen=True)
class Person:
    id: int
    secret: str  # the ticket page's


def add_person(name: str, email: str | None, *, language: str = "nb", checked_in: bool = True,
               cancelled: bool = False) -> Person:
    """A confirmed registration, checked in at the door or not (inside an app context; commits)."""
    event = current_event()
    outcome = services.register(event, {"name": name, "email": email or ""}, language=language, notify=False,
                                check_window=False, source="walk-in" if email is None else "web")
    registration = outcome.registration
    if email is None:
        registration.email = None
    if checked_in:
        db.session.add(CheckIn(event_id=event.id, registration_id=registration.id, method="search"))
    if cancelled:
        registration.status = CANCELLED
    db.session.commit()
    return Person(registration.id, registration.manage_secret)


@pytest.fixture
def app(instance):
    app = make_app(instance, NOW=AFTER_THE_DAY, BASE_URL=BASE_URL)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def people(app) -> dict[str, Person]:
    with app.app_context():
        return {
            "kari": add_person("Kari Nordmann", "kari@moss.kommune.no"),
            "john": add_person("John Smith", "john@example.org", language="en"),
            "walkin": add_person("Uten Adresse", None),
            "siri": add_person("Siri Avmeldt", "siri@example.no", cancelled=True),
            "per": add_person("Per Ikkekom", "per@example.no", checked_in=False),
        }


def feedback_link(client, person: Person) -> str:
    """The link on the person's ticket page (asserts it is there)."""
    page = client.get(f"/ticket/{person.secret}").get_data(as_text=True)
    match = FEEDBACK_LINK.search(page)
    assert match, "no feedback link on the ticket page"
    return match.group(1)


def answer(client, link: str, data: dict, token_from: str | None = None, **kwargs):
    """Submit the form on ``link`` as a browser does (the page's CSRF token first). ``token_from``:
    another page with a form, for a second submit from a tab still showing the form."""
    return client.post(link, data={"csrf_token": csrf_token(client, token_from or link), **data}, **kwargs)


def registration(app, person: Person) -> Registration:
    with app.app_context():
        found = db.session.get(Registration, person.id)
        db.session.expunge(found)
        return found


def plugin(module: str = ""):
    """A module of the feedback plugin as the application loaded it (after ``create_app``)."""
    return sys.modules["fagkonferanse_plugins.feedback" + (f".{module}" if module else "")]
