"""Migrations: data survives upgrades, and every model change has its migration."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from fagkonferanse import database
from fagkonferanse.database import include_object, upgrade
from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.stands.models import Stand

from .conftest import make_app
from .databases import drop_database, new_database


def test_a_database_made_by_the_first_migration_keeps_its_data_at_head(tmp_path):
    instance = tmp_path / "old"
    new_database(instance)
    app = make_app(instance)
    try:
        with app.app_context():
            database.upgrade("0001")
            with db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO events (id, slug, title, date, venue, building, foreword, foreword_signature,"
                    " timezone, is_current) VALUES (1, 'gammel', 'Konferansen fra første versjon', '2016-11-09',"
                    " 'Høgskolen i Østfold', 'H-bygget', 'Forord', 'Hilsen', 'Europe/Oslo', :yes)"), {"yes": True})
                connection.execute(text(
                    "INSERT INTO organisations (id, name, short_name, kind) VALUES (1, 'Moss kommune', 'Moss', 'municipality')"))
                connection.execute(text(
                    "INSERT INTO locations (id, event_id, building, floor, name, kind, description)"
                    " VALUES (1, 1, 'H-bygget', 2, 'Trappegangen i 2. etasje', 'stairway', '2-etg trappegangen')"))
                connection.execute(text(
                    "INSERT INTO programme_items (id, event_id, start, \"end\", title, kind, description, version)"
                    " VALUES (1, 1, '2016-11-09 10:15:00', '2016-11-09 10:35:00', 'Kommunale utviklingsmidler', 'talk', '', 1)"))
                connection.execute(text(
                    "INSERT INTO stands (id, event_id, slug, organisation_id, location_id, short_text)"
                    " VALUES (1, 1, 'moss-kommune', 1, 1, '')"))
            upgrade()
            event = db.session.get(Event, 1)
            assert event.title == "Konferansen fra første versjon"
            item = db.session.get(ProgrammeItem, 1)
            assert (item.title, item.start, item.end) == (
                "Kommunale utviklingsmidler", dt.datetime(2016, 11, 9, 10, 15), dt.datetime(2016, 11, 9, 10, 35))
            stand = db.session.get(Stand, 1)
            assert (stand.organisation.name, stand.location.name) == ("Moss kommune", "Trappegangen i 2. etasje")
            assert inspect(db.engine).has_table("organisers")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(instance)


def test_models_and_migrations_agree(app):
    """A model changed without a migration shows up here as a difference."""
    # The catalogue's PostgreSQL search columns and their indexes are made by a migration on
    # purpose without a model (only a trigger writes them, on PostgreSQL only): the table lists
    # them as database-only, and include_object leaves exactly those out — as autogenerate does.
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": include_object})
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_floor_plans_arrive_on_a_database_from_before_them(tmp_path):
    """Migration 0013: every floor a place is on gets its plan (nothing drawn yet), places and
    stands keep everything, and the public plan lays the places out as boxes until drawn."""
    from fagkonferanse.venue.models import Floor, Location

    instance = tmp_path / "before-plans"
    new_database(instance)
    app = make_app(instance)
    try:
        with app.app_context():
            database.upgrade("0012")
            with db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO events (id, slug, title, title_en, date, venue, building, foreword, foreword_en,"
                    " foreword_signature, timezone, is_current, is_demo) VALUES (1, 'gammel', 'Før planene', '',"
                    " '2016-11-09', 'Høgskolen i Østfold', 'H-bygget', '', '', '', 'Europe/Oslo', :yes, :no)"),
                    {"yes": True, "no": False})
                connection.execute(text(
                    "INSERT INTO organisations (id, name, short_name, kind) VALUES (1, 'Moss kommune', 'Moss', 'municipality')"))
                for number, (name, floor) in enumerate([("H-113", 1), ("Gangen utenfor H-113", 1),
                                                       ("Trappegangen i 2. etasje", 2)], start=1):
                    connection.execute(text(
                        "INSERT INTO locations (id, event_id, building, floor, name, name_en, kind, description)"
                        " VALUES (:id, 1, 'H-bygget', :floor, :name, '', 'room', '')"),
                        {"id": number, "floor": floor, "name": name})
                connection.execute(text(
                    "INSERT INTO stands (id, event_id, slug, organisation_id, location_id, short_text, short_text_en)"
                    " VALUES (1, 1, 'moss-kommune', 1, 3, 'Kom innom', '')"))
            upgrade()
            floors = db.session.scalars(db.select(Floor).order_by(Floor.number)).all()
            assert [(floor.building, floor.number, floor.width, floor.height, floor.image_id, floor.schematic)
                    for floor in floors] == [("H-bygget", 1, 1000, 600, None, False), ("H-bygget", 2, 1000, 600, None, False)]
            assert [place.outline for place in db.session.scalars(db.select(Location))] == ["", "", ""]
            stand = db.session.get(Stand, 1)
            assert (stand.location.name, stand.short_text, stand.plan_x, stand.accent_colour) == (
                "Trappegangen i 2. etasje", "Kom innom", None, "")
            assert stand.organisation.logo is None
            db.session.remove()
            page = app.test_client().get("/stands").get_data(as_text=True)
            assert "Skjematisk plan" in page and ">Moss kommune</text>" in page
            db.engine.dispose()
    finally:
        drop_database(instance)


def test_the_seat_pool_is_filled_from_the_registrations_and_the_counter_comes_back_on_downgrade(tmp_path):
    """Migration 0014: every confirmed registration holds a seat, every event has its free seats
    (capacity − confirmed, never fewer than none), and a downgrade puts the counter back."""
    from fagkonferanse.events.services import current_event
    from fagkonferanse.registration import services
    from fagkonferanse.registration.models import RegistrationSettings, Seat
    from fagkonferanse.registration.settings import settings_for

    instance = tmp_path / "before-seats"
    new_database(instance)
    app = make_app(instance)
    try:
        with app.app_context():
            upgrade()
            with db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO events (id, slug, title, title_en, date, venue, building, foreword, foreword_en,"
                    " foreword_signature, timezone, is_current, is_demo) VALUES (1, 'gammel', 'Før setene', '',"
                    " '2016-11-09', 'Høgskolen i Østfold', 'H-bygget', '', '', '', 'Europe/Oslo', :yes, :no)"),
                    {"yes": True, "no": False})
            event = current_event()
            settings_for(event).capacity = 3
            db.session.commit()
            for number in range(5):  # three seated, two waiting
                services.register(event, {"name": f"Deltaker {number}", "email": f"d{number}@example.no"},
                                  check_window=False, notify=False)
            services.cancel(services.find_by_email(event, "d1@example.no"))  # d3 moves up
            db.session.remove()
            database.downgrade("0013")
            with db.engine.begin() as connection:
                assert connection.execute(text("SELECT confirmed_count FROM registration_settings")).scalar() == 3
                assert "seats" not in inspect(connection).get_table_names()
                # Organisers confirmed one more beyond a capacity they then lowered, before the upgrade.
                connection.execute(text("UPDATE registrations SET status = 'confirmed' WHERE email = 'd4@example.no'"))
                connection.execute(text("UPDATE registration_settings SET capacity = 5, confirmed_count = 4"))
            upgrade()
            held = dict(db.session.execute(
                db.select(Seat.registration_id, Seat.event_id).where(Seat.registration_id.is_not(None))).all())
            confirmed = db.session.scalars(db.text(
                "SELECT id FROM registrations WHERE status = 'confirmed' ORDER BY id")).all()
            assert sorted(held) == confirmed and len(confirmed) == 4 and set(held.values()) == {1}
            assert db.session.scalar(db.select(db.func.count(Seat.id)).where(Seat.registration_id.is_(None))) == 1
            assert db.session.scalar(db.select(RegistrationSettings.confirmed_count)) == 4
            event = current_event()
            outcomes = [services.register(event, {"name": f"Ny {number}", "email": f"ny{number}@example.no"},
                                          check_window=False, notify=False).result for number in range(2)]
            assert outcomes == ["confirmed", "waiting"]
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(instance)
