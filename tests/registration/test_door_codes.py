"""Short door codes people can type ("K7QM-4XT2"), and the long code typed as the ticket once showed it."""

from __future__ import annotations

import re
import string

import pytest
from sqlalchemy import text

from fagkonferanse import database
from fagkonferanse.database import upgrade
from fagkonferanse.extensions import db
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.tokens import (DOOR_ALPHABET, code_from_scan, door_code_from_typing, grouped,
                                               new_door_code)

from ..conftest import make_app, post_form
from ..databases import drop_database, new_database
from .conftest import outbox, people, register


def test_a_door_code_is_seven_random_characters_and_a_check_without_look_alikes():
    codes = {new_door_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 8 and set(code) <= set(DOOR_ALPHABET) for code in codes)
    assert not set("01OIL") & set("".join(codes))
    assert all(door_code_from_typing(code) == code for code in codes)


def test_every_single_mistyped_character_and_every_swap_of_neighbours_is_refused():
    for code in [new_door_code() for _ in range(200)]:
        for position in range(8):
            for char in DOOR_ALPHABET + "01OIL":
                if char != code[position]:
                    assert door_code_from_typing(code[:position] + char + code[position + 1:]) is None
        for position in range(7):
            if code[position] != code[position + 1]:
                swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
                assert door_code_from_typing(swapped) is None


@pytest.mark.parametrize("typed", ["{g}", "{g_lower}", "{plain}", "{plain_lower}", " {spaced} ", "{g_long_dash}"])
def test_the_code_is_read_in_any_case_with_or_without_spaces_and_dashes(typed):
    code = new_door_code()
    text_typed = typed.format(g=grouped(code), g_lower=grouped(code).lower(), plain=code, plain_lower=code.lower(),
                              spaced=f"{code[:4]} {code[4:]}", g_long_dash=f"{code[:4]} – {code[4:]}")
    assert door_code_from_typing(text_typed) == code


def test_the_long_code_typed_as_the_ticket_showed_it_in_groups_is_accepted():
    code = "".join(string.ascii_lowercase[:26])[:26] + "234567"
    spaced = " ".join(code[i:i + 4] for i in range(0, 32, 4))
    assert code_from_scan(spaced) == code
    assert code_from_scan(spaced.upper()) == code


def test_the_ticket_the_mail_and_the_door_all_use_the_same_short_code(app, client, admin_client):
    location = register(client).headers["Location"]
    [person] = people(app)
    page = client.get(location).get_data(as_text=True)
    shown = re.search(r'<strong class="door-code">([^<]+)</strong>', page).group(1)
    assert shown == grouped(person.door_code)
    assert f"Koden i døra, hvis QR-koden ikke virker: {shown}" in outbox(app)[-1].get_content()
    typed = post_form(admin_client, "/admin/checkin/scan", {"code": shown.lower().replace("-", " ")},
                      form_path="/admin/checkin")
    assert "Sjekket inn" in typed.get_data(as_text=True)
    again = post_form(admin_client, "/admin/checkin/scan", {"code": shown.replace("-", "")},
                      form_path="/admin/checkin")
    assert "ALLEREDE sjekket inn" in again.get_data(as_text=True)


def test_a_typo_in_the_short_code_is_refused_by_its_check_not_matched_to_someone_else(app, client, admin_client):
    register(client)
    [person] = people(app)
    wrong = DOOR_ALPHABET[(DOOR_ALPHABET.index(person.door_code[2]) + 1) % 31]
    typo = person.door_code[:2] + wrong + person.door_code[3:]
    answer = post_form(admin_client, "/admin/checkin/scan", {"code": grouped(typo)}, form_path="/admin/checkin")
    page = answer.get_data(as_text=True)
    assert re.search(r'<div class="door-result door-(\w+)"', page).group(1) == "mistyped"
    assert "Skrivefeil i koden" in page
    with app.app_context():
        from fagkonferanse.checkin.models import CheckIn

        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0


def test_existing_registrations_get_a_door_code_when_the_database_is_upgraded(tmp_path):
    instance = tmp_path / "old"
    new_database(instance)
    app = make_app(instance)
    try:
        with app.app_context():
            database.upgrade("heads")  # every branch at head …
            database.downgrade("0009")  # … but the core at 0009
            with db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO events (id, slug, title, title_en, date, venue, building, foreword, foreword_en,"
                    " foreword_signature, timezone, is_current, is_demo) VALUES (1, 'x', 'X', '', '2016-11-09', 'V',"
                    " 'B', '', '', '', 'Europe/Oslo', :yes, :no)"), {"yes": True, "no": False})
                for number in range(3):
                    connection.execute(text(
                        "INSERT INTO registrations (event_id, status, name, email, organisation, municipality,"
                        " job_title, dietary, accessibility, lunch, answers, language, source, manage_secret,"
                        " checkin_code, created_at, updated_at, queued_at, starred_items) VALUES (1, 'confirmed',"
                        " :name, :email, '', '', '', '', '', :yes, '{}', 'nb', 'web', :secret, :code,"
                        " '2016-10-01', '2016-10-01', '2016-10-01', '[]')"),
                        {"name": f"P{number}", "email": f"p{number}@example.no", "secret": f"s{number}" * 8,
                         "code": f"c{number}" * 16, "yes": True})
            upgrade()
            codes = db.session.scalars(db.select(Registration.door_code)).all()
            assert len(codes) == len(set(codes)) == 3
            assert all(door_code_from_typing(code) == code for code in codes)
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(instance)
