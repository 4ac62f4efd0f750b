"""The badge role as one field of the registration: the rule, the attendee page, the import and
export, and what an attendee can and cannot change."""

from __future__ import annotations

import json

import pytest

from fagkonferanse.audit.models import AuditEntry
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import importing
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.roles import (AUTOMATIC, EXHIBITOR, ORGANISER, PARTICIPANT, SPEAKER, RoleRules,
                                              choose_role, role_from_word, roles_of)
from fagkonferanse.stands.models import Stand

from ..conftest import csrf_token, post_form
from .conftest import people, register

RULES = RoleRules(frozenset({"synnøve seljeflot"}))


# --- The rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, chosen, stand, expected", [
    ("Lise Deltaker", AUTOMATIC, None, PARTICIPANT),
    ("Synnøve  SELJEFLOT", AUTOMATIC, None, SPEAKER),  # the programme's name, any case and spacing
    ("Kari Utstiller", AUTOMATIC, 3, EXHIBITOR),
    ("Synnøve Seljeflot", AUTOMATIC, 3, SPEAKER),  # on the programme and on a stand: the talk shows
    ("Per Arrangør", ORGANISER, None, ORGANISER),  # chosen wins over everything
    ("Synnøve Seljeflot", PARTICIPANT, 3, PARTICIPANT),
    ("Lise Deltaker", "konge", None, PARTICIPANT),  # an unknown stored value counts as automatic
])
def test_the_role_comes_from_the_choice_then_the_programme_then_the_stand(name, chosen, stand, expected):
    assert RULES.role(name, chosen, stand) == expected


@pytest.mark.parametrize("word, role", [
    ("Utstiller", EXHIBITOR), ("  foredragsholder ", SPEAKER), ("Speaker", SPEAKER), ("ARRANGØR", ORGANISER),
    ("arrangor", ORGANISER), ("Deltaker", PARTICIPANT), ("automatisk", AUTOMATIC), ("Auto", AUTOMATIC),
    ("Høgskolen i Østfold", None), ("", None),
])
def test_an_import_cell_names_a_role_or_nothing(word, role):
    assert role_from_word(word) == role


def test_choose_role_refuses_what_is_not_a_role(app):
    with app.app_context():
        person = Registration(role="")
        assert choose_role(person, ORGANISER) is True and person.role == ORGANISER
        assert choose_role(person, ORGANISER) is False
        with pytest.raises(ValueError):
            choose_role(person, "konge")


# --- The attendee page --------------------------------------------------------------------------


def moss_stand(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Stand.id).where(Stand.slug == "moss-kommune"))


def test_organisers_set_the_role_and_the_stand_on_the_attendee_page(app, client, admin_client):
    register(client, name="Kari Nordmann", email="kari@example.no", organisation="Moss kommune")
    [kari] = people(app)
    page = admin_client.get(f"/admin/attendees/{kari.id}").get_data(as_text=True)
    assert "Rolle på navneskiltet" in page and '<option selected value="">Automatisk (Deltaker)</option>' in page
    assert "Stand (for utstillernes folk)" in page and ">Moss kommune</option>" in page
    stand = moss_stand(app)
    form = {"name": "Kari Nordmann", "email": "kari@example.no", "organisation": "Moss kommune", "lunch": "y",
            "role": "", "stand_id": str(stand)}
    assert post_form(admin_client, f"/admin/attendees/{kari.id}", form).status_code == 303
    with app.app_context():
        person = db.session.get(Registration, kari.id)
        assert (person.role, person.stand_id) == ("", stand)
        assert roles_of(current_event(), [person]) == {kari.id: EXHIBITOR}
    page = admin_client.get(f"/admin/attendees/{kari.id}").get_data(as_text=True)
    assert '<option selected value="">Automatisk (Utstiller)</option>' in page
    assert "Utstiller" in admin_client.get("/admin/attendees/").get_data(as_text=True)
    assert post_form(admin_client, f"/admin/attendees/{kari.id}", {**form, "role": ORGANISER}).status_code == 303
    with app.app_context():
        assert db.session.get(Registration, kari.id).role == ORGANISER
        entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.entity == "registration")).all()
        assert any("role" in (entry.changes or {}) for entry in entries)
    list_page = admin_client.get("/admin/attendees/").get_data(as_text=True)
    assert "Arrangør" in list_page


@pytest.mark.parametrize("field, value", [("role", "konge"), ("stand_id", "999999"), ("stand_id", "abc")])
def test_a_role_or_stand_that_does_not_exist_is_refused(app, client, admin_client, field, value):
    register(client, name="Kari Nordmann", email="kari@example.no")
    [kari] = people(app)
    form = {"name": "Kari Nordmann", "email": "kari@example.no", "role": "", "stand_id": "", field: value}
    response = post_form(admin_client, f"/admin/attendees/{kari.id}", form)
    assert response.status_code == 400
    assert "Velg et av svarene." in response.get_data(as_text=True)
    with app.app_context():
        person = db.session.get(Registration, kari.id)
        assert (person.role, person.stand_id) == ("", None)


def test_a_new_attendee_added_by_organisers_gets_the_role_at_once(app, admin_client):
    form = {"name": "Per Arrangør", "email": "per@example.no", "role": ORGANISER, "stand_id": ""}
    assert post_form(admin_client, "/admin/attendees/new", form).status_code == 303
    with app.app_context():
        person = db.session.scalar(db.select(Registration).where(Registration.email == "per@example.no"))
        assert person.role == ORGANISER


def test_an_attendee_cannot_make_themselves_an_organiser(app, client):
    response = register(client, role=ORGANISER, stand_id=str(moss_stand(app)))
    assert response.status_code == 303
    path = response.headers["Location"]
    token = csrf_token(client, path + "/edit")
    client.post(path + "/edit", data={"csrf_token": token, "name": "Øyvind Hansen", "email": "oyvind@moss.kommune.no",
                                      "organisation": "Moss kommune", "role": ORGANISER,
                                      "stand_id": str(moss_stand(app))})
    [person] = people(app)
    assert (person.role, person.stand_id) == ("", None)
    data = json.loads(client.get(path + "/data.json").get_data(as_text=True))
    assert data["badge_role"] == "automatic" and data["stand"] is None  # shown in "download my data"


# --- Import and export --------------------------------------------------------------------------


def stands_of(app) -> dict[str, int]:
    with app.app_context():
        return importing.stand_lookup(current_event())


def test_the_import_reads_a_role_and_a_stand_column(app):
    lookup = stands_of(app)
    text = ("navn;e-post;rolle;stand\n"
            "Kari Utstiller;kari@example.no;;Moss kommune\n"
            "Per Arrangør;per@example.no;Arrangør;\n"
            "Synne Taler;synne@example.no;speaker;ingen\n"
            "Lise;lise@example.no;automatisk;MOSS\n")
    parsed = importing.parse_csv(text.encode(), lookup)
    assert parsed.problems == []
    values = [row for _line, row in parsed.rows]
    assert [value.get("role") for value in values] == [None, ORGANISER, SPEAKER, AUTOMATIC]
    assert [value.get("stand_id", "-") for value in values] == [lookup["moss kommune"], "-", None, lookup["moss"]]
    with app.app_context():
        importing.import_people(current_event(), parsed)
        found = {person.email: (person.role, person.stand_id) for person in db.session.scalars(db.select(Registration))}
    assert found == {"kari@example.no": ("", lookup["moss kommune"]), "per@example.no": (ORGANISER, None),
                     "synne@example.no": (SPEAKER, None), "lise@example.no": ("", lookup["moss kommune"])}


def test_a_second_import_changes_roles_only_where_the_cell_says_something(app):
    lookup = stands_of(app)
    first = "navn;e-post;rolle;stand\nPer;per@example.no;Arrangør;Moss\nKari;kari@example.no;Utstiller;Moss\n"
    second = "navn;e-post;rolle;stand\nPer;per@example.no;;\nKari;kari@example.no;automatisk;ingen\n"
    with app.app_context():
        for text in (first, second):
            importing.import_people(current_event(), importing.parse_csv(text.encode(), lookup))
        found = {person.email: (person.role, person.stand_id) for person in db.session.scalars(db.select(Registration))}
    assert found == {"per@example.no": (ORGANISER, lookup["moss"]), "kari@example.no": ("", None)}


def test_unknown_roles_and_stands_are_reported_by_line(app):
    text = "navn;e-post;rolle;stand\nKari;kari@example.no;Konge;\nPer;per@example.no;;Ukjent AS\n"
    parsed = importing.parse_csv(text.encode(), stands_of(app))
    assert [(problem.line, problem.message) for problem in parsed.problems] == [
        (2, "role: skriv Deltaker, Foredragsholder, Utstiller, Arrangør eller automatisk."),
        (3, "stand: ingen stand heter «Ukjent AS»."),
    ]


def test_the_export_has_the_role_and_stand_and_imports_back_unchanged(app, admin_client):
    lookup = stands_of(app)
    text = "navn;e-post;rolle;stand\nPer;per@example.no;Arrangør;\nKari;kari@example.no;;Moss kommune\n"
    with app.app_context():
        importing.import_people(current_event(), importing.parse_csv(text.encode(), lookup))
    exported = admin_client.get("/admin/attendees/export.csv").get_data(as_text=True)
    header, *rows = exported.lstrip("\ufeff").splitlines()
    columns = header.split(";")
    assert "rolle" in columns and "stand" in columns
    by_name = {row.split(";")[0]: dict(zip(columns, row.split(";"))) for row in rows}
    assert (by_name["Per"]["rolle"], by_name["Per"]["stand"]) == ("Arrangør", "")
    assert (by_name["Kari"]["rolle"], by_name["Kari"]["stand"]) == ("automatisk", "Moss kommune")
    with app.app_context():
        before = {p.email: (p.role, p.stand_id) for p in db.session.scalars(db.select(Registration))}
        importing.import_people(current_event(), importing.parse_csv(exported.encode(), lookup))
        after = {p.email: (p.role, p.stand_id) for p in db.session.scalars(db.select(Registration))}
    assert after == before


def test_a_deleted_stand_unties_its_people(app, client, admin_client):
    register(client, name="Kari Nordmann", email="kari@example.no")
    [kari] = people(app)
    stand = moss_stand(app)
    form = {"name": "Kari Nordmann", "email": "kari@example.no", "role": "", "stand_id": str(stand)}
    assert post_form(admin_client, f"/admin/attendees/{kari.id}", form).status_code == 303
    response = post_form(admin_client, f"/admin/stands/{stand}/delete", {"confirm": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        person = db.session.get(Registration, kari.id)
        assert person.stand_id is None
        assert roles_of(current_event(), [person]) == {kari.id: PARTICIPANT}
