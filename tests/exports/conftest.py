"""Fixtures for the export tests: a site with a public address, and a second copy of it.

The exports are read far from the site (a phone's calendar, a conference app), so every test
here runs with a real-looking ``BASE_URL`` and checks that links and UIDs use it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fagkonferanse.extensions import db

from ..conftest import make_app
from ..databases import drop_database, new_database

BASE_URL = "https://konferanse.example.no"
HOST = "konferanse.example.no"
# The shared schemas sit beside the repository (../shared/schemas), as the seeds do.
SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas"


@pytest.fixture
def app(instance):
    app = make_app(instance, BASE_URL=BASE_URL)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def other_app(tmp_path, loaded_database):
    """A second application over its own copy of the same conference (another server)."""
    folder = tmp_path / "other-instance"
    new_database(folder, template=loaded_database)
    app = make_app(folder, BASE_URL=BASE_URL)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(folder)


@pytest.fixture
def schemas() -> Path:
    """The schedule schemas, or a skip that says why (only when the folder is absent)."""
    if not SCHEMAS.is_dir():
        pytest.skip(f"schedule schemas not found at {SCHEMAS} (the shared/ folder beside the "
                    "repository); schedule.xml/json cannot be validated without them")
    return SCHEMAS
