"""An instance holding the built-in 2016 conference, with two attendees checked in and one not.

Set up as an organiser would: ``fagkonferanse init``, ``attendees import``, ``create-organiser``;
the check-ins are written as the door writes them. The database is made once and copied per test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kursbevis_testing import AFTER_THE_DAY, ATTENDEES, DB_FILE, ORGANISER, make_app

from fagkonferanse import CheckIn, Registration, current_event, db


@pytest.fixture(scope="session")
def template_instance(tmp_path_factory) -> Path:
    instance = tmp_path_factory.mktemp("kursbevis-template")
    app = make_app(instance)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    csv = instance / "attendees.csv"
    csv.write_text(ATTENDEES, encoding="utf-8")
    result = runner.invoke(args=["attendees", "import", str(csv)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-organiser", ORGANISER[0], "--name", "Arrangør"],
                           input=f"{ORGANISER[1]}\n{ORGANISER[1]}\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        for email in ("kari@example.no", "ola@example.no"):
            registration = db.session.scalar(db.select(Registration).where(Registration.email == email))
            db.session.add(CheckIn(event_id=current_event().id, registration_id=registration.id,
                                   organiser_name="Arrangør", method="search"))
        db.session.commit()
        db.engine.dispose()
    return instance


@pytest.fixture
def instance(tmp_path, template_instance) -> Path:
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copy(template_instance / DB_FILE, folder / DB_FILE)
    return folder


@pytest.fixture
def app(instance):
    app = make_app(instance, NOW=AFTER_THE_DAY)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()
