"""Who each group reaches: never the cancelled, the deleted or those without an address."""

from __future__ import annotations

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.messaging import groups
from fagkonferanse.registration import services
from fagkonferanse.registration.models import Registration


def reached(app, crowd, group: str, value: str = "") -> set[str]:
    names = {id_: name for name, id_ in crowd.items()}
    with app.app_context():
        return {names[person.id] for person in groups.recipients(current_event(), group, value)}


@pytest.mark.parametrize(("group", "value", "expected"), [
    ("confirmed", "", {"Kari", "Ola", "Speaker", "Exhibitor"}),
    ("waiting", "", {"Per"}),
    ("registered", "", {"Kari", "Ola", "Speaker", "Exhibitor", "Per"}),
    ("checked_in", "", {"Kari"}),
    ("not_checked_in", "", {"Ola", "Speaker", "Exhibitor"}),
    ("municipality", "moss ", {"Kari"}),  # as people wrote it, case and spaces aside
    ("municipality", "Fredrikstad", {"Ola"}),
    ("organisation", "NAV Fredrikstad", {"Ola"}),
    ("speakers", "", {"Speaker"}),
    ("exhibitors", "", {"Exhibitor"}),
])
def test_each_group_reaches_its_people_and_nobody_else(app, crowd, group, value, expected):
    assert reached(app, crowd, group, value) == expected


def test_a_deleted_person_is_in_no_group(app, crowd):
    with app.app_context(), app.test_request_context():
        services.delete_person(db.session.get(Registration, crowd["Ola"]))
    assert "Ola" not in reached(app, crowd, "confirmed") | reached(app, crowd, "municipality", "Fredrikstad")


def test_a_group_of_one_place_needs_the_place(app, crowd):
    with app.app_context(), pytest.raises(groups.UnknownGroup):
        groups.recipients(current_event(), "municipality", " ")
    with app.app_context(), pytest.raises(groups.UnknownGroup):
        groups.recipients(current_event(), "everybody")


def test_the_places_offered_are_those_confirmed_people_gave(app, crowd):
    with app.app_context():
        assert groups.values_of(current_event(), "municipality") == [("Fredrikstad", 1), ("Halden", 1),
                                                                     ("Moss", 1), ("Sarpsborg", 1)]
