"""A second, small conference with two rooms and overlapping items, for parallel sessions.

``tests/data/two_rooms.json`` has the shape of the shipped 2016 dataset: a plenary start, two
talks side by side (Sal A and Sal B, 09.30–10.15), a break, a slot where Sal B's workshop
(10.30–11.30) runs beside two shorter talks in Sal A, lunch, and a plenary end. Import the
fixtures into a test module to use them (``from .two_rooms import two_rooms_app``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from fagkonferanse.database import upgrade
from fagkonferanse.events.loader import load_conference
from fagkonferanse.extensions import db

from .conftest import make_app
from .databases import drop_database, new_database

DATASET = Path(__file__).resolve().parent / "data" / "two_rooms.json"
DAY = dt.date(2017, 10, 18)
NOW = "2017-10-18T10:40"  # the workshop in Sal B and "Tidlig innsats for barn" in Sal A are on


def read_two_rooms() -> dict:
    return json.loads(DATASET.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def two_rooms_database(tmp_path_factory) -> Path:
    """An instance migrated to head holding only the two-room conference, made once."""
    instance = tmp_path_factory.mktemp("two-rooms-template")
    new_database(instance)
    app = make_app(instance)
    with app.app_context():
        upgrade()
        load_conference(read_two_rooms())
        db.session.commit()
        db.engine.dispose()
    yield instance
    drop_database(instance)


@pytest.fixture
def two_rooms_app(tmp_path, two_rooms_database):
    """The two-room conference on its day, at 10.40, over its own copy of the database."""
    folder = tmp_path / "two-rooms"
    new_database(folder, template=two_rooms_database)
    app = make_app(folder, NOW=NOW)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(folder)
