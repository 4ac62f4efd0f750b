"""Pulling the plug mid-burst: ``SIGKILL`` to the production server while people register.

Nothing is flushed, no worker finishes its request. After a restart the database holds no
half-written registration, the seat counter agrees with the confirmed rows, and everyone whose
browser was told "you are registered" (303 to a ticket) is there.
"""

from __future__ import annotations

import http.client
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from fagkonferanse.extensions import db
from fagkonferanse.registration.models import CONFIRMED, WAITING, Registration, RegistrationSettings
from fagkonferanse.registration.tokens import is_checkin_code

from ..conftest import make_app
from ..databases import SQLITE_FILE, using_postgres
from .server import Browser, start_burst_server, ticket_secret

PEOPLE = 600
CAPACITY = 150
KILL_AFTER = 150  # answers received before the plug is pulled


@pytest.fixture
def server(tmp_path):
    live = start_burst_server(tmp_path / "instance", CAPACITY)
    yield live
    live.close()


def test_sigkill_mid_burst_loses_no_confirmed_registration_and_leaves_no_half_written_one(server):
    browsers = [Browser(server.url) for _ in range(PEOPLE)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        tokens = list(pool.map(lambda browser: browser.open_form(), browsers))

    answered: list[str] = []  # ticket secrets of browsers told "you are registered"
    refused: list[object] = []  # connection errors once the server is gone, anything else
    lock = threading.Lock()
    enough = threading.Event()

    def press(number: int) -> None:
        try:
            status, location = browsers[number].register(tokens[number], number, timeout=30)
        except (OSError, http.client.HTTPException) as error:  # the server died under this request
            with lock:
                refused.append(error)
            return
        with lock:
            if status == 303 and ticket_secret(location):
                answered.append(ticket_secret(location))
                if len(answered) >= KILL_AFTER:
                    enough.set()
            else:
                refused.append(status)

    with ThreadPoolExecutor(max_workers=100) as pool:
        for number in range(PEOPLE):
            pool.submit(press, number)
        assert enough.wait(timeout=120), f"only {len(answered)} answers before the timeout"
        server.kill()  # mid-burst: requests are in flight in every worker
    assert len(answered) < PEOPLE, "the burst finished before the kill: nothing was tested"
    assert all(isinstance(reason, OSError | http.client.HTTPException) for reason in refused), refused[:5]  # only the dead server refused

    server.start()  # the same instance, as after a reboot
    app = make_app(server.instance)
    with app.app_context():
        rows = db.session.scalars(db.select(Registration)).all()
        counter = db.session.scalar(db.select(RegistrationSettings.confirmed_count))
        confirmed = [row for row in rows if row.status == CONFIRMED]
        for row in rows:  # every row complete and consistent
            assert row.status in (CONFIRMED, WAITING), row.status
            assert row.name and row.email and row.consent_at and row.queued_at, row.id
            assert is_checkin_code(row.checkin_code) and len(row.manage_secret) >= 32
            assert (row.confirmed_at is not None) == (row.status == CONFIRMED)
        assert counter == len(confirmed) <= CAPACITY
        assert set(answered) <= {row.browser_secret for row in rows}  # no answered registration lost
        db.engine.dispose()

    if not using_postgres():
        with sqlite3.connect(server.instance / SQLITE_FILE) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.close()

    # The restarted server goes on from where the database is.
    browser = Browser(server.url)
    status, location = browser.register(browser.open_form(), PEOPLE + 1)
    assert status == 303 and ticket_secret(location)
