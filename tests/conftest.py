"""Shared fixtures: an application over a temporary instance holding the 2016 conference.

Migrating and loading once per test session and copying the SQLite file per test keeps each
test isolated and the suite fast.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fagkonferanse import create_app
from fagkonferanse.database import upgrade
from fagkonferanse.events.loader import load_conference, read_dataset
from fagkonferanse.extensions import db

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_7cea0bc938596cf3.txt"


def make_app(instance: Path, **config):
    database = instance / "fagkonferanse.db"
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", **config},
                      instance_path=instance)


@pytest.fixture(scope="session")
def loaded_database(tmp_path_factory) -> Path:
    """A SQLite file migrated to head with the 2016 conference loaded, made once."""
    instance = tmp_path_factory.mktemp("template-instance")
    app = make_app(instance)
    with app.app_context():
        upgrade()
        event = load_conference(read_dataset("2016"))
        app.extensions["fagkonferanse.plugins"].hook.conference_loaded(event=event, source="2016")
        db.session.commit()
        db.engine.dispose()
    return instance / "fagkonferanse.db"


@pytest.fixture
def instance(tmp_path, loaded_database) -> Path:
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copy(loaded_database, folder / "fagkonferanse.db")
    return folder


@pytest.fixture
def app(instance):
    app = make_app(instance)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
