"""The fagkonferanse command: init, setup, plugins, db upgrade, and its errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db

from .conftest import make_app


def fagkonferanse(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed console script as a user would."""
    command = [str(Path(sys.executable).parent / "fagkonferanse"), *args]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
    return subprocess.run(command, cwd=cwd, env=environment | (env or {}), capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def empty_app(tmp_path):
    app = make_app(tmp_path / "instance")
    yield app
    with app.app_context():
        db.engine.dispose()


def event_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Event.id)))


def test_init_loads_the_conference_once_and_refuses_a_second_time(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert "Kunnskap om praksisutvikling innen levekår og mangfold" in first.output
    second = runner.invoke(args=["init"])
    assert second.exit_code == 1
    assert "already holds a conference" in second.output and "--reset" in second.output
    assert event_count(empty_app) == 1


def test_init_reset_starts_again(empty_app):
    runner = empty_app.test_cli_runner()
    runner.invoke(args=["init"])
    with empty_app.app_context():
        event = db.session.scalar(db.select(Event))
        event.title = "Endret tittel"
        db.session.commit()
    result = runner.invoke(args=["init", "--reset"])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        assert db.session.scalar(db.select(Event.title)) == "Kunnskap om praksisutvikling innen levekår og mangfold"
    assert event_count(empty_app) == 1


def test_setup_is_idempotent_and_keeps_existing_data(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["setup"]).exit_code == 0
    with empty_app.app_context():
        db.session.scalar(db.select(Event)).title = "Vår egen konferanse"
        db.session.commit()
    again = runner.invoke(args=["setup"])
    assert again.exit_code == 0
    assert "existing database" in again.output
    with empty_app.app_context():
        assert db.session.scalar(db.select(Event.title)) == "Vår egen konferanse"


def test_db_upgrade_on_a_current_database_changes_nothing(app):
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    assert event_count(app) == 1


def test_plugins_lists_plugins_and_their_hooks(app):
    result = app.test_cli_runner().invoke(args=["plugins"])
    assert result.exit_code == 0
    assert "fagkonferanse.programme.hooks  [core]\n    navigation_links, register_blueprints\n" in result.output
    assert "catalogue  [built-in]\n" in result.output


def test_print_without_a_conference_says_so(empty_app, tmp_path):
    result = empty_app.test_cli_runner().invoke(args=["print", "programme", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0
    assert not (tmp_path / "x.pdf").exists()


# --- The console script as a user runs it --------------------------------------------------------


def test_console_script_init_with_instance_option(tmp_path):
    result = fagkonferanse("--instance", str(tmp_path / "site"), "init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "fagkonferanse.db").is_file()
    assert (tmp_path / "site" / "secret_key").is_file()


def test_console_script_defaults_to_instance_in_the_current_folder(tmp_path):
    result = fagkonferanse("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "instance" / "fagkonferanse.db").is_file()


def test_broken_config_is_one_line_naming_the_file(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.toml").write_text("base_url = 'http://x\n")
    result = fagkonferanse("init", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("fagkonferanse: error: ")
    assert "config.toml" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_one_line(tmp_path):
    result = fagkonferanse("init", cwd=tmp_path,
                           env={"FAGKONFERANSE_DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/x.db"})
    assert result.returncode == 1
    assert result.stderr.startswith("fagkonferanse: error: cannot use the database")
    assert "Traceback" not in result.stderr


def test_serve_refuses_an_empty_database(tmp_path):
    result = fagkonferanse("serve", "--port", "5999", cwd=tmp_path)
    assert result.returncode == 1
    assert "run 'fagkonferanse init' first" in result.stderr


def test_several_events_live_in_one_database_and_one_is_current(app):
    from fagkonferanse.events.services import current_event
    import datetime as dt

    with app.app_context():
        db.session.add(Event(slug="levekar-2017", title="Neste års konferanse", date=dt.date(2017, 11, 8),
                             venue="Høgskolen i Østfold", building="H-bygget"))
        db.session.commit()
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["events", "list"])
    assert "* levekar-og-mangfold-2016" in listing.output and "  levekar-2017" in listing.output
    assert runner.invoke(args=["events", "current", "levekar-2017"]).exit_code == 0
    with app.app_context():
        assert current_event().slug == "levekar-2017"
    assert "Neste års konferanse" in app.test_client().get("/").get_data(as_text=True)
    unknown = runner.invoke(args=["events", "current", "nope"])
    assert unknown.exit_code == 1 and "known events: " in unknown.output
