"""``fagkonferanse catalogue import``: a report, no duplicates, and nothing changed on bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fagkonferanse.extensions import db

from .conftest import BOOKLET, PLUGIN_DIR, booklet_text, count, plugin, sheet

CORRECTIONS = str(PLUGIN_DIR / "data" / "corrections_2016.json")


def import_(app, *args):
    return app.test_cli_runner().invoke(args=["catalogue", "import", *args])


def state(app) -> tuple:
    """Everything an import could change, to prove a failed one changed nothing."""
    with app.app_context():
        models = plugin().models
        rows = db.session.execute(db.select(models.ProjectSheet.slug, models.ProjectSheet.version,
                                            models.ProjectSheet.project_name)).all()
        return (sorted(rows), count("Recipe"), count("CataloguePage"))


def empty_catalogue(app) -> None:
    with app.app_context():
        models = plugin().models
        for model in (models.Recipe, models.CataloguePage, models.ProjectSheet):
            db.session.execute(db.delete(model))
        db.session.commit()


def test_importing_the_booklet_with_its_corrections_matches_the_built_in_catalogue(app):
    booklet_text()
    result = import_(app, str(BOOKLET), "--corrections", CORRECTIONS)
    assert result.exit_code == 0, result.output
    assert "project sheets: 0 created, 0 updated, 19 unchanged" in result.output
    assert "recipes:        0 created, 0 updated, 3 unchanged" in result.output


def test_import_into_an_empty_catalogue_then_again_creates_nothing_the_second_time(app):
    booklet_text()
    empty_catalogue(app)
    first = import_(app, str(BOOKLET), "--corrections", CORRECTIONS)
    assert first.exit_code == 0, first.output
    assert "project sheets: 19 created, 0 updated, 0 unchanged" in first.output
    assert "pages:          1 created" in first.output
    second = import_(app, str(BOOKLET), "--corrections", CORRECTIONS)
    assert second.exit_code == 0, second.output
    assert "19 unchanged" in second.output and "0 created" in second.output
    with app.app_context():
        assert (count("ProjectSheet"), count("Recipe"), count("CataloguePage")) == (19, 3, 1)


def test_the_report_names_each_unplaced_fragment_with_its_line(app):
    booklet_text()
    result = import_(app, str(BOOKLET), "--corrections", CORRECTIONS)
    assert "Could not place 6 fragment(s) of text:" in result.output
    assert "line 760: dropped stray fragment 's'" in result.output
    assert "line 166: dropped dangling label 'Følg oss på:'" in result.output


def test_without_corrections_the_untitled_sheet_is_reported_and_the_rest_updated_in_place(app):
    booklet_text()
    result = import_(app, str(BOOKLET))
    assert result.exit_code == 0, result.output
    assert "line 4063: untitled sheet" in result.output
    assert "project sheets: 1 created" in result.output  # "sheet-4063": no title without the correction
    assert "in the database but not in the file (kept): klar-kunnskap-laering-arbeidsinkludering" in result.output
    with app.app_context():
        assert count("ProjectSheet") == 20


@pytest.mark.parametrize("content, message", [
    ("", "line 1: the input is empty"),
    ("Lorem ipsum dolor sit amet.\n" * 40, "no 'Prosjektnavn:' anywhere"),
    ("Prosjektnavn: x\x00\x01 garbage\n", "line 1: binary or control characters"),
])
def test_malformed_input_exits_with_the_parsers_message_and_changes_nothing(app, tmp_path, content, message):
    before = state(app)
    bad = tmp_path / "bad.txt"
    bad.write_text(content, encoding="utf-8")
    result = import_(app, str(bad))
    assert result.exit_code == 1
    assert message in result.output and "nothing was changed" in result.output
    assert state(app) == before


def test_a_truncated_booklet_changes_nothing(app, tmp_path):
    before = state(app)
    truncated = tmp_path / "truncated.txt"
    truncated.write_text("\n".join(booklet_text().splitlines()[:2300]), encoding="utf-8")
    result = import_(app, str(truncated))
    assert result.exit_code == 1 and "truncated" in result.output
    assert state(app) == before


def test_unreadable_files_get_a_clear_message(app, tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Prosjektnavn: x\nMoss kommune - Bolig for Ærlige\n".encode("latin-1"))
    result = import_(app, str(latin1))
    assert result.exit_code == 1
    assert "line 2: not UTF-8 text (byte 0xc6)" in result.output
    missing = import_(app, str(tmp_path / "missing.txt"))
    assert missing.exit_code == 1 and "no such file" in missing.output
    folder = import_(app, str(tmp_path))
    assert folder.exit_code == 1 and "is a folder" in folder.output


def test_text_longer_than_a_column_is_refused_before_loading(app, tmp_path):
    booklet_text()
    before = state(app)
    corrections = tmp_path / "long.json"
    corrections.write_text('{"corrections": [{"op": "set", "target": {"line": 3401}, "fields": {"project_name": "'
                           + "Langt navn " * 40 + '"}, "why": "test"}]}', encoding="utf-8")
    result = import_(app, str(BOOKLET), "--corrections", str(corrections))
    assert result.exit_code == 1
    assert "line 3401: project name is 440 characters long, more than the 300 allowed" in result.output
    assert state(app) == before


def test_a_bad_corrections_file_changes_nothing(app, tmp_path):
    booklet_text()
    before = state(app)
    broken = tmp_path / "broken.json"
    broken.write_text('{"corrections": [', encoding="utf-8")
    result = import_(app, str(BOOKLET), "--corrections", str(broken))
    assert result.exit_code == 1 and "not valid JSON" in result.output
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"corrections": [{"op": "set", "target": {"line": 1}, "fields": {"owner": "x"}, '
                     '"why": "test"}]}', encoding="utf-8")
    result = import_(app, str(BOOKLET), "--corrections", str(wrong))
    assert result.exit_code == 1 and "matches 0 units" in result.output
    assert state(app) == before


def test_a_failure_while_loading_rolls_everything_back(app, monkeypatch):
    booklet_text()
    empty_catalogue(app)
    before = state(app)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(plugin().loader, "_load_pages", explode)
    result = import_(app, str(BOOKLET), "--corrections", CORRECTIONS)
    assert result.exit_code != 0
    assert state(app) == before  # the sheets and recipes loaded before the failure are gone too


def test_dry_run_reports_without_saving(app):
    booklet_text()
    empty_catalogue(app)
    result = import_(app, str(BOOKLET), "--corrections", CORRECTIONS, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "19 created" in result.output and "Dry run: nothing was saved." in result.output
    with app.app_context():
        assert count("ProjectSheet") == 0


def test_edited_sheets_are_kept_unless_overwrite_edited(app):
    booklet_text()
    with app.app_context():
        edited = sheet("sarpsborg-jobbintro")
        edited.project_name, edited.edited_at = "Jobbintro 2.0", edited.created_at
        db.session.commit()
    kept = import_(app, str(BOOKLET), "--corrections", CORRECTIONS)
    assert "kept as edited in the web UI (--overwrite-edited replaces them): sarpsborg-jobbintro" in kept.output
    replaced = import_(app, str(BOOKLET), "--corrections", CORRECTIONS, "--overwrite-edited")
    assert "project sheets: 0 created, 1 updated" in replaced.output
    with app.app_context():
        assert sheet("sarpsborg-jobbintro").project_name == "Jobbintro"


def test_unknown_event_is_refused(app):
    booklet_text()
    result = import_(app, str(BOOKLET), "--event", "no-such-event")
    assert result.exit_code == 1 and "no event 'no-such-event'" in result.output


def test_the_installed_command_exits_non_zero_with_one_line_on_stderr(instance, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("just some words\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
    result = subprocess.run([str(Path(sys.executable).parent / "fagkonferanse"), "--instance", str(instance),
                             "catalogue", "import", str(bad)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "no 'Prosjektnavn:' anywhere" in result.stderr and "Traceback" not in result.stderr
