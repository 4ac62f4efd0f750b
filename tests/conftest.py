"""Shared fixtures: an application over a temporary instance holding the 2016 conference.

Migrating and loading once per test session and copying the database per test keeps each test
isolated and the suite fast (SQLite by default; PostgreSQL with FAGKONFERANSE_TEST_POSTGRES_URL,
see tests/databases.py).
"""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from sqlalchemy.pool import NullPool

from fagkonferanse import create_app
from fagkonferanse.database import upgrade
from fagkonferanse.events.loader import load_conference, read_dataset
from fagkonferanse.extensions import db

from .databases import drop_database, new_database, using_postgres

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_7cea0bc938596cf3.txt"
# Plugins installed in the virtualenv from other packages (make test installs the kursbevis
# example, whose own tests run it): the core's tests see the core and the built-in plugins only.
INSTALLED_PLUGINS = sorted(ep.name for ep in entry_points(group="fagkonferanse"))


def make_app(instance: Path, **config):
    """An app over ``instance``: its own database (SQLite file there, or what its config names)."""
    if using_postgres():
        # Connections close when released: none outlives its test's database.
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"poolclass": NullPool})
    config.setdefault("DISABLED_PLUGINS", INSTALLED_PLUGINS)
    return create_app({"TESTING": True, **config}, instance_path=instance)


@pytest.fixture(scope="session")
def loaded_database(tmp_path_factory) -> Path:
    """An instance whose database is migrated to head with the 2016 conference loaded, made once."""
    instance = tmp_path_factory.mktemp("template-instance")
    new_database(instance)
    app = make_app(instance)
    with app.app_context():
        upgrade()
        event = load_conference(read_dataset("2016"), demo=True)  # as `make run` loads it
        app.extensions["fagkonferanse.plugins"].hook.conference_loaded(event=event, source="2016")
        db.session.commit()
        db.engine.dispose()
    yield instance
    drop_database(instance)


@pytest.fixture
def instance(tmp_path, loaded_database) -> Path:
    folder = tmp_path / "instance"
    new_database(folder, template=loaded_database)
    yield folder
    drop_database(folder)


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


# --- Organisers -------------------------------------------------------------------------------

ORGANISER_EMAIL = "ola@example.no"
ORGANISER_PASSWORD = "riktig-hest-batteri"

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form on ``path`` (tests run with CSRF protection on)."""
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, form_path: str | None = None, **kwargs):
    """Submit a form the way a browser does: fetch the page for its token, then post."""
    token = csrf_token(client, form_path or path)
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


def log_in(client, email: str = ORGANISER_EMAIL, password: str = ORGANISER_PASSWORD):
    return post_form(client, "/login", {"email": email, "password": password})


@pytest.fixture
def organiser(app):
    from fagkonferanse.accounts.services import create_organiser

    with app.app_context():
        create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Ola Arrangør")
        db.session.commit()
    return ORGANISER_EMAIL


@pytest.fixture
def admin_client(app, organiser):
    """A test client logged in as an organiser."""
    client = app.test_client()
    response = log_in(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
