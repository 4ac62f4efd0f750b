"""People of every kind a group message must reach or leave out, on the 2016 conference."""

from __future__ import annotations

from pathlib import Path

import pytest

from fagkonferanse.checkin.services import check_in
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import Speaker
from fagkonferanse.registration import services
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.settings import settings_for
from fagkonferanse.stands.models import Stand


def add_person(name: str, email: str | None, *, language: str = "nb", municipality: str = "Moss",
               organisation: str = "Moss kommune", source: str = "web") -> Registration:
    outcome = services.register(current_event(), {"name": name, "email": email, "municipality": municipality,
                                                  "organisation": organisation}, language=language, source=source)
    return outcome.registration


@pytest.fixture
def crowd(app):
    """Names → registration ids: Kari (nb, Moss, checked in), Ola (en, Fredrikstad), Per (waiting),
    Siri (cancelled), a speaker, an exhibitor and a walk-in without an address (all confirmed
    unless said)."""
    with app.app_context(), app.test_request_context():
        event = current_event()
        settings_for(event).capacity = 5
        db.session.commit()
        speaker = db.session.scalars(db.select(Speaker).where(Speaker.event_id == event.id).order_by(Speaker.id)).first()
        stand = db.session.scalars(db.select(Stand).where(Stand.event_id == event.id).order_by(Stand.id)).first()
        people = {
            "Kari": add_person("Kari Nordmann", "kari@moss.kommune.no"),
            "Ola": add_person("Ola Hansen", "ola@fredrikstad.kommune.no", language="en",
                              municipality="Fredrikstad", organisation="NAV Fredrikstad"),
            "Speaker": add_person(speaker.name, "speaker@example.no", municipality="Halden", organisation="HiØ"),
            "Exhibitor": add_person("Eva Utstiller", "eva@example.no", municipality="Sarpsborg"),
            "Walk-in": add_person("Uten Adresse", None, source="walk-in"),
            "Per": add_person("Per Venter", "per@example.no"),
            "Siri": add_person("Siri Avmeldt", "siri@example.no"),
        }
        people["Exhibitor"].stand_id = stand.id
        db.session.commit()
        services.cancel(people["Siri"])
        check_in(people["Kari"], None)
        db.session.commit()
        ids = {name: person.id for name, person in people.items()}
        statuses = {name: db.session.get(Registration, id_).status for name, id_ in ids.items()}
    assert statuses["Per"] == "waiting" and statuses["Siri"] == "cancelled" and statuses["Kari"] == "confirmed"
    for confirmation in (Path(app.instance_path) / "outbox").glob("*.eml"):
        confirmation.unlink()  # the tests read only the mail they cause
    return ids
