"""Migration 0003 on an instance that already holds a conference: tables, seat counter, and back."""

from __future__ import annotations

from sqlalchemy import inspect, text

from fagkonferanse import database
from fagkonferanse.extensions import db

from ..conftest import make_app
from ..databases import drop_database, new_database

TABLES = {"registrations", "registration_settings", "registration_questions", "checkins", "stand_visits",
          "passport_stamps"}


def test_upgrade_gives_existing_events_their_settings_and_downgrade_removes_the_tables(tmp_path):
    instance = tmp_path / "instance"
    new_database(instance)
    app = make_app(instance)
    try:
        with app.app_context():
            database.upgrade("0002")
            with db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO events (id, slug, title, date, venue, building, foreword, foreword_signature,"
                    " timezone, is_current) VALUES (7, '2016', 'Konferansen', '2016-11-09', 'HiØ', 'H', '', '',"
                    " 'Europe/Oslo', :yes)"), {"yes": True})
            database.upgrade("0003")
            assert TABLES <= set(inspect(db.engine).get_table_names())
            with db.engine.connect() as connection:
                rows = connection.execute(text(
                    "SELECT event_id, capacity, confirmed_count FROM registration_settings")).all()
            assert [tuple(row) for row in rows] == [(7, 150, 0)]
            database.downgrade("0002")
            assert not TABLES & set(inspect(db.engine).get_table_names())
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(instance)
