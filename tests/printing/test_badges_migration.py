"""badges_0002: the roles organisers chose on /admin/badges move into the registration, and back."""

from __future__ import annotations

from sqlalchemy import inspect, text

from fagkonferanse import database
from fagkonferanse.database import upgrade
from fagkonferanse.extensions import db

from ..conftest import make_app
from ..databases import drop_database, new_database


def _registration(connection, number: int) -> None:
    connection.execute(text(
        "INSERT INTO registrations (id, event_id, status, name, email, organisation, municipality, job_title,"
        " dietary, accessibility, lunch, answers, language, source, manage_secret, checkin_code, door_code,"
        " created_at, updated_at, queued_at, starred_items) VALUES (:id, 1, 'confirmed', :name, :email,"
        " 'Høgskolen i Østfold', '', '', '', '', :yes, '{}', 'nb', 'web', :secret, :code, :door, '2016-10-01',"
        " '2016-10-01', '2016-10-01', '[]')"),
        {"id": number, "name": f"P{number}", "email": f"p{number}@example.no", "secret": f"s{number}" * 8,
         "code": f"c{number}" * 16, "door": f"D{number}ABCDEF"[:8], "yes": True})


def test_chosen_roles_survive_the_move_into_the_registration_and_back(tmp_path):
    instance = tmp_path / "old"
    new_database(instance)
    app = make_app(instance)
    try:
        with app.app_context():
            database.upgrade("heads")
            database.downgrade("badges_0001")  # the plugin as it was
            assert inspect(db.engine).has_table("badge_roles")
            with db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO events (id, slug, title, title_en, date, venue, building, foreword, foreword_en,"
                    " foreword_signature, timezone, is_current, is_demo) VALUES (1, 'x', 'X', '', '2016-11-09', 'V',"
                    " 'B', '', '', '', 'Europe/Oslo', :yes, :no)"), {"yes": True, "no": False})
                for number in (1, 2, 3):
                    _registration(connection, number)
                connection.execute(text(
                    "INSERT INTO badge_roles (registration_id, role, updated_at, updated_by) VALUES"
                    " (1, 'arrangor', '2016-10-02', 'dora@example.no'), (2, 'utstiller', '2016-10-02', 'dora@example.no')"))
            upgrade()
            with db.engine.connect() as connection:
                roles = dict(connection.execute(text("SELECT id, role FROM registrations")).all())
            assert roles == {1: "arrangor", 2: "utstiller", 3: ""}
            if db.engine.dialect.name == "sqlite":  # the rebuilt table still never reuses an id
                with db.engine.connect() as connection:
                    table = connection.execute(text(
                        "SELECT sql FROM sqlite_master WHERE name = 'registrations'")).scalar()
                assert "AUTOINCREMENT" in table
            assert not inspect(db.engine).has_table("badge_roles")
            assert inspect(db.engine).has_table("badge_settings")

            database.downgrade("badges_0001")
            with db.engine.connect() as connection:
                back = dict(connection.execute(text("SELECT registration_id, role FROM badge_roles")).all())
                cleared = connection.execute(text("SELECT count(*) FROM registrations WHERE role <> ''")).scalar()
            assert back == {1: "arrangor", 2: "utstiller"} and cleared == 0
            assert not inspect(db.engine).has_table("badge_settings")

            upgrade()
            database.downgrade("0010")  # the core before roles
            columns = {column["name"] for column in inspect(db.engine).get_columns("registrations")}
            assert "role" not in columns and "stand_id" not in columns
            assert inspect(db.engine).has_table("badge_roles")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(instance)
