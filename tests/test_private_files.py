"""Files holding personal data are private, backups are pruned, and deleted people are gone from
the database's files, not only from its tables."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from fagkonferanse.extensions import db
from fagkonferanse.registration import services
from fagkonferanse.registration.models import Registration

from .conftest import make_app
from .databases import using_postgres
from .registration.conftest import register

sqlite_only = pytest.mark.skipif(using_postgres(), reason="the files of an SQLite database")
SUFFIX = ".dump" if using_postgres() else ".db"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    """The umask most servers run with (files 0644, folders 0755), whatever the test runner's."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def fresh_app(tmp_path):
    """An app over an instance folder that does not exist yet (as on a new server)."""
    app = make_app(tmp_path / "new-instance")
    yield app
    with app.app_context():
        db.engine.dispose()


@sqlite_only
def test_init_makes_the_instance_folder_database_and_its_log_private(fresh_app):
    instance = Path(fresh_app.instance_path)
    result = fresh_app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert mode(instance) == 0o700
    database = instance / "fagkonferanse.db"
    files = [database, database.with_name("fagkonferanse.db-wal"), database.with_name("fagkonferanse.db-shm")]
    assert [mode(path) for path in files] == [0o600, 0o600, 0o600]
    assert mode(instance / "secret_key") == 0o600


@sqlite_only
def test_setup_makes_a_database_made_by_an_older_version_private(tmp_path):
    instance = tmp_path / "old-instance"
    app = make_app(instance)
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    with app.app_context():
        db.engine.dispose()  # the log is checkpointed and removed with the last connection
    database = instance / "fagkonferanse.db"
    database.chmod(0o644)
    app = make_app(instance)
    result = app.test_cli_runner().invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert mode(database) == 0o600
    assert mode(database.with_name("fagkonferanse.db-wal")) == 0o600
    with app.app_context():
        db.engine.dispose()


def test_backups_and_their_folder_are_private(app, tmp_path):
    folder = Path(app.instance_path) / "backups"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    [made] = folder.glob(f"fagkonferanse-*{SUFFIX}")
    assert (mode(folder), mode(made)) == (0o700, 0o600)
    chosen = tmp_path / "elsewhere" / f"copy{SUFFIX}"
    assert runner.invoke(args=["backup", "-o", str(chosen)]).exit_code == 0
    assert (mode(chosen.parent), mode(chosen)) == (0o700, 0o600)


def test_a_backup_folder_made_by_an_older_version_is_made_private(app):
    folder = Path(app.instance_path) / "backups"
    folder.mkdir(mode=0o755)
    assert app.test_cli_runner().invoke(args=["backup"]).exit_code == 0
    assert mode(folder) == 0o700


def test_backup_keep_leaves_only_the_newest(app):
    folder = Path(app.instance_path) / "backups"
    folder.mkdir()
    for stamp in ("20161107-180000", "20161108-230000", "20161109-071500"):
        (folder / f"fagkonferanse-{stamp}{SUFFIX}").write_bytes(b"an older backup")
    safety = folder / f"before-restore-20161101-120000{SUFFIX}"
    safety.write_bytes(b"kept: made by a restore, not by the routine")
    result = app.test_cli_runner().invoke(args=["backup", "--keep", "2"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 older backup(s), kept the 2 newest" in result.output
    remaining = sorted(path.name for path in folder.iterdir())
    assert len(remaining) == 3 and remaining[0] == safety.name
    assert remaining[1] == f"fagkonferanse-20161109-071500{SUFFIX}"
    assert remaining[2] > remaining[1] and (folder / remaining[2]).stat().st_size > len(b"an older backup")


@pytest.mark.parametrize("args, message", [
    (["--keep", "0"], "0 is not in the range x>=1"),
    (["--keep", "2", "-o", "x.db"], "--keep prunes instance/backups and cannot be combined with -o"),
])
def test_backup_keep_refuses_what_it_cannot_do(app, args, message):
    result = app.test_cli_runner().invoke(args=["backup", *args])
    assert result.exit_code == 2 and message in result.output
    assert not (Path(app.instance_path) / "backups").exists()


@sqlite_only
def test_a_deleted_person_is_not_left_in_the_database_file_or_its_log(app, client):
    address = "slett.meg.7f3a@example.no"
    assert register(client, email=address, name="Sletta Testesen").status_code == 303
    database = Path(app.instance_path) / "fagkonferanse.db"
    files = [database, database.with_name("fagkonferanse.db-wal")]
    assert any(address.encode() in path.read_bytes() for path in files)  # the check can see it
    with app.app_context():
        person = db.session.scalar(db.select(Registration).where(Registration.email == address))
        services.delete_person(person)
        db.session.remove()
    leftovers = [path.name for path in files if path.exists()
                 and (address.encode() in path.read_bytes() or b"Sletta Testesen" in path.read_bytes())]
    assert leftovers == []


@sqlite_only
def test_deleting_everyone_leaves_no_address_in_the_files(app, client):
    addresses = [f"deltaker{number}.9c1e@example.no" for number in range(3)]
    for address in addresses:
        assert register(client, email=address).status_code == 303
    with app.app_context():
        from fagkonferanse.events.services import current_event

        assert services.delete_everyone(current_event()) == 3
        db.session.remove()
    database = Path(app.instance_path) / "fagkonferanse.db"
    content = database.read_bytes() + database.with_name("fagkonferanse.db-wal").read_bytes()
    assert [address for address in addresses if address.encode() in content] == []


def test_the_outbox_and_the_visit_journal_are_private(instance):
    from fagkonferanse.checkin.visit_buffer import journal_folder, visit_buffer

    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=3600, RATELIMIT_ENABLED=False)
    client = app.test_client()
    assert register(client).status_code == 303
    client.get("/stands/moss-kommune?from=poster")
    outbox = Path(app.instance_path) / "outbox"
    [message] = outbox.glob("*.eml")
    [journal] = journal_folder(app).glob("*.log")
    assert [mode(path) for path in (outbox, message, journal_folder(app), journal)] == [0o700, 0o600, 0o700, 0o600]
    assert visit_buffer(app).hand_off() == 1
    with app.app_context():
        db.engine.dispose()


def test_the_job_queue_is_private(instance):
    """It holds the rows of stand-visit batches and the ids of mail to send."""
    from fagkonferanse import jobs

    app = make_app(instance)
    jobs.use_local_queue(app)
    queue = Path(app.instance_path) / jobs.QUEUE_FILE
    queue.touch(mode=0o644)  # as an older version, or a hand, might have left it
    jobs.engine(app).huey.pending_count()
    # SQLite gives its -wal and -shm files the mode of the database file.
    assert {path.name: mode(path) for path in queue.parent.glob("jobs.sqlite3*")} == {
        "jobs.sqlite3": 0o600, "jobs.sqlite3-wal": 0o600, "jobs.sqlite3-shm": 0o600}
