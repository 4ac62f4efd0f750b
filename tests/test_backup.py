"""Backups while the site runs, and restores that keep the state they replace."""

from __future__ import annotations

from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db

from .databases import using_postgres

# What a backup file starts with, and its default suffix, on this test run's database.
MAGIC, SUFFIX, KIND = (b"PGDMP", ".dump", "pg_dump") if using_postgres() else (b"SQLite format 3\x00", ".db", "SQLite")


def title(app) -> str:
    with app.app_context():
        value = db.session.scalar(db.select(Event.title))
        db.session.remove()
        return value


def set_title(app, value: str) -> None:
    with app.app_context():
        db.session.scalar(db.select(Event)).title = value
        db.session.commit()
        db.session.remove()


def test_backup_then_restore_brings_the_old_state_back(app, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / f"backup{SUFFIX}"
    made = runner.invoke(args=["backup", "-o", str(target)])
    assert made.exit_code == 0, made.output
    assert target.read_bytes().startswith(MAGIC)
    set_title(app, "Endret etter backup")
    restored = runner.invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "previous state was saved to" in restored.output
    assert title(app) == "Kunnskap om praksisutvikling innen levekår og mangfold"
    saved = next((tmp_path / "instance" / "backups").glob(f"before-restore-*{SUFFIX}"))
    assert saved.stat().st_size > 0


def test_default_backup_goes_into_the_instance(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "instance" / "backups").glob(f"fagkonferanse-*{SUFFIX}"))


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    result = app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code == 1 and f"is not a{'n' if KIND == 'SQLite' else ''} {KIND} backup" in result.output
    assert title(app) == "Kunnskap om praksisutvikling innen levekår og mangfold"
    assert not (tmp_path / "instance" / "backups").exists()  # refused before anything was done
    missing = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "none.db"), "--yes"])
    assert missing.exit_code == 1 and "no backup file" in missing.output


def test_restore_asks_first(app, tmp_path):
    target = tmp_path / "b.db"
    app.test_cli_runner().invoke(args=["backup", "-o", str(target)])
    set_title(app, "Beholdes")
    answer_no = app.test_cli_runner().invoke(args=["restore", str(target)], input="n\n")
    assert answer_no.exit_code == 1
    assert title(app) == "Beholdes"
