"""Anonymous poster visits are written in batches under load, and none is lost: not on a
graceful stop, not when every process is killed, not when a batch's task is lost.

``serve --production`` collects anonymous visits per web process and hands them to the job
engine as one task a second (checkin/visit_buffer.py): the poster scans of the lunch-hour rush
never wait for the database's one writer. Each visit is also in the process's journal file until
its batch is committed, and carries a key, so a batch written twice counts once. A scan that
stamps a stand passport is still written at once.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

from fagkonferanse.checkin.models import StandVisit
from fagkonferanse.checkin.visit_buffer import (BUFFER_KEY, SENT_GRACE_SECONDS, journal_folder, recover_journals,
                                                visit_buffer, write_visit_batch)
from fagkonferanse.extensions import db
from fagkonferanse.pagecache import current_version

from ..conftest import make_app
from .server import start_production_server


def visit_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(StandVisit.id)))
        db.session.remove()
    return count


def test_batched_visits_reach_the_database_within_the_interval(instance):
    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=0.2, RATELIMIT_ENABLED=False)
    client = app.test_client()
    for _ in range(25):
        response = client.get("/stands/moss-kommune?from=poster")
        assert response.status_code == 303 and response.headers["Location"] == "/stands/moss-kommune?fra=plakat"
    assert len(app.extensions[BUFFER_KEY].pending) + visit_count(app) == 25
    time.sleep(0.25)
    assert client.get("/stands").status_code == 200  # any request hands over a batch whose time is up
    assert visit_count(app) == 25
    assert app.extensions[BUFFER_KEY].pending == []


def test_a_batch_of_visits_leaves_the_cached_pages_alone(instance):
    """Visits show on no public page: writing a batch must not empty every worker's page cache
    (it did once a second per process at the rush, when the batch was inserted as a bare table)."""
    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=3600, RATELIMIT_ENABLED=False)
    client = app.test_client(use_cookies=False)
    with app.app_context():
        before = current_version()
    for _ in range(3):
        client.get("/stands/moss-kommune?from=poster")
    assert visit_buffer(app).hand_off() == 3
    assert visit_count(app) == 3
    with app.app_context():
        assert current_version() == before


def test_a_scan_with_a_passport_is_written_at_once(instance):
    from ..registration.conftest import register

    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=60, RATELIMIT_ENABLED=False)
    client = app.test_client()
    ticket = register(client).headers["Location"]
    token_page = client.get(ticket).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token_page).group(1)
    client.post(ticket + "/passport", data={"csrf_token": token, "action": "on"})
    page = client.get("/stands/moss-kommune?from=poster", follow_redirects=True).get_data(as_text=True)
    assert "Standen er stemplet i standpasset ditt." in page
    assert visit_count(app) == 1  # not waiting a minute in the buffer


def test_the_production_server_writes_pending_visits_when_it_stops(tmp_path):
    server = start_production_server(tmp_path / "instance", workers=2,
                                     extra_env={"FAGKONFERANSE_RATELIMIT_ENABLED": "false",
                                                "FAGKONFERANSE_STAND_VISIT_BATCH_SECONDS": "3600"})
    try:
        scan_posters(server, 40)
        app = make_app(server.instance)
        assert visit_count(app) == 0  # an hour's batch: all still in the workers' memory
        server.stop()  # SIGTERM: each stopping web process hands its batch to the job queue
        server.start()  # what the worker did not write before it stopped waits in the queue
        wait_for_visits(app, 40)
        assert visit_count(app) == 40
        with app.app_context():
            db.engine.dispose()
    finally:
        server.close()


def wait_for_visits(app, expected: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while visit_count(app) < expected and time.monotonic() < deadline:
        time.sleep(0.1)


def scan_posters(server, count: int) -> None:
    opener = urllib.request.build_opener(_NoRedirect)
    for _ in range(count):
        try:
            opener.open(server.url + "/stands/moss-kommune?from=poster", timeout=10)
        except urllib.error.HTTPError as answer:
            assert answer.code == 303


def test_visits_survive_a_sigkill_of_every_process(tmp_path):
    """Power-cut of the server mid-batch (SIGKILL to master and workers): after the restart,
    every scan that was answered is counted, and the journals are gone."""
    env = {"FAGKONFERANSE_RATELIMIT_ENABLED": "false", "FAGKONFERANSE_STAND_VISIT_BATCH_SECONDS": "3600"}
    server = start_production_server(tmp_path / "instance", workers=2, extra_env=env)
    try:
        scan_posters(server, 30)
        app = make_app(server.instance)
        assert visit_count(app) == 0  # all in the workers' memory and journals
        server.kill()
        assert visit_count(app) == 0
        server.start()  # the server writes the journals of the processes that died
        assert visit_count(app) == 30
        assert list(journal_folder(app).glob("*.log")) == []
        with app.app_context():
            db.engine.dispose()
    finally:
        server.close()


def test_a_live_process_keeps_its_journal_and_a_dead_ones_is_written(instance):
    """Recovery takes only journals no process holds: never the batch a live worker is writing."""
    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=3600, RATELIMIT_ENABLED=False)
    client = app.test_client()
    for _ in range(3):
        client.get("/stands/moss-kommune?from=poster")
    assert recover_journals(app) == 0  # this process is alive and holds its journal
    assert visit_count(app) == 0
    orphan = journal_folder(app) / "999999-dead.log"
    with app.app_context():
        from fagkonferanse.stands.models import Stand

        stand = db.session.scalar(db.select(Stand).where(Stand.slug == "moss-kommune"))
        orphan.write_text(f"{stand.event_id} {stand.id} 2016-11-09T11:30:00\n"
                          f"{stand.event_id} {stand.id} 2016-11-09T11:31:00\n{stand.event_id} {stand.id} 2016-")
        db.session.remove()
    assert recover_journals(app) == 2  # the line cut short by the crash was never answered
    assert not orphan.exists()
    assert visit_buffer(app).hand_off() == 3
    assert visit_count(app) == 5
    assert list(journal_folder(app).glob("*.sent")) == []  # the task wrote the batch and deleted its journal


def test_a_batch_whose_task_was_lost_is_written_from_its_journal_once(instance, monkeypatch):
    """A worker killed between taking a batch and committing it: the batch's journal is still
    there and recovery writes it after the grace time; a batch written twice counts once."""
    from fagkonferanse import jobs

    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=3600, RATELIMIT_ENABLED=False)
    client = app.test_client()
    for _ in range(4):
        client.get("/stands/moss-kommune?from=poster")
    lost = []
    monkeypatch.setattr(jobs, "enqueue", lambda task, *args: lost.append(args))  # the queue takes it; nobody runs it
    assert visit_buffer(app).hand_off() == 4
    monkeypatch.undo()
    [sent] = journal_folder(app).glob("*.sent")
    assert visit_count(app) == 0
    assert recover_journals(app) == 0  # the task may still be on its way
    assert recover_journals(app, now=time.time() + SENT_GRACE_SECONDS + 1) == 4
    assert not sent.exists() and visit_count(app) == 4
    [(rows, _journal)] = lost
    with app.app_context():
        assert write_visit_batch(rows) == 0  # the task, run late after all, counts nothing twice
        db.session.remove()
    assert visit_count(app) == 4


def test_a_visit_that_cannot_be_journalled_is_written_at_once(instance, monkeypatch):
    """A full disk: the scan is answered and the visit is in the database, never only in memory."""
    from fagkonferanse.checkin import visit_buffer as module

    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=3600, RATELIMIT_ENABLED=False)
    client = app.test_client()
    client.get("/stands/moss-kommune?from=poster")

    def full_disk(self, row):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module._JournalFile, "append", full_disk)
    assert client.get("/stands/moss-kommune?from=poster").status_code == 303
    assert visit_count(app) == 1
    assert len(visit_buffer(app).pending) == 1  # the first, journalled, waits for its batch


def test_visits_of_a_stand_deleted_before_the_batch_do_not_block_the_others(app, admin_client):
    from ..admin.conftest import submit

    app.config["STAND_VISIT_BATCH_SECONDS"] = 3600
    visitor = app.test_client()
    assert submit(admin_client, "/admin/stands/new", {"organisation": "", "new_organisation": "Råde kommune"}
                  ).status_code == 303
    for slug in ("rade-kommune", "moss-kommune", "rade-kommune"):
        assert visitor.get(f"/stands/{slug}?from=poster").status_code == 303
    with app.app_context():
        from fagkonferanse.stands.models import Stand

        stand_id = db.session.scalar(db.select(Stand.id).where(Stand.slug == "rade-kommune"))
    assert submit(admin_client, f"/admin/stands/{stand_id}/delete", {}).status_code == 303
    assert visit_buffer(app).hand_off() == 3  # handed over; the task writes the one still counted
    assert visit_count(app) == 1


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_poster_addresses_follow_edits_of_the_stands(app, admin_client):
    """Poster scans find their stand in a per-worker index: a new stand scans at once, a deleted
    one is a 404 at once."""
    from ..admin.conftest import submit

    visitor = app.test_client()
    assert visitor.get("/stands/rade-kommune?from=poster").status_code == 404
    assert submit(admin_client, "/admin/stands/new", {"organisation": "", "new_organisation": "Råde kommune"}
                  ).status_code == 303
    assert visitor.get("/stands/rade-kommune?from=poster").status_code == 303
    assert visit_count(app) == 1
    with app.app_context():
        from fagkonferanse.stands.models import Stand

        stand_id = db.session.scalar(db.select(Stand.id).where(Stand.slug == "rade-kommune"))
    assert submit(admin_client, f"/admin/stands/{stand_id}/delete", {}).status_code == 303
    assert visitor.get("/stands/rade-kommune?from=poster").status_code == 404
