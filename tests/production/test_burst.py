"""The registration burst of the issue, against the production server.

1,000 people press "Meld meg på" at once against 250 seats, at ``serve --production`` (gunicorn,
several worker processes, each with threads) on this test run's database — SQLite, or PostgreSQL
when the suite runs there. Exactly 250 get a seat, 750 are queued, and every answer a browser
received is a registration in the database: none lost, none invented.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from fagkonferanse.extensions import db
from fagkonferanse.registration.models import CONFIRMED, WAITING, Registration, RegistrationSettings

from ..conftest import make_app
from .server import Browser, start_burst_server, ticket_secret

PEOPLE = 1000
CAPACITY = 250
AT_ONCE = 200  # browsers waiting on the server at the same moment


def registrations(instance) -> tuple[list[tuple[str, str]], int]:
    """Every registration as (status, secret) in queue order, and the event's seat counter."""
    app = make_app(instance)
    with app.app_context():
        rows = db.session.execute(
            db.select(Registration.status, Registration.browser_secret)
            .order_by(Registration.queued_at, Registration.id)).all()
        counter = db.session.scalar(db.select(RegistrationSettings.confirmed_count))
        db.engine.dispose()
    return [tuple(row) for row in rows], counter


@pytest.fixture
def server(tmp_path):
    live = start_burst_server(tmp_path / "instance", CAPACITY)
    yield live
    live.close()


def test_a_thousand_at_once_against_two_hundred_and_fifty_seats(server):
    browsers = [Browser(server.url) for _ in range(PEOPLE)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        tokens = list(pool.map(lambda browser: browser.open_form(), browsers))

    started = time.monotonic()
    go = threading.Event()

    def press(number: int) -> tuple[int, str]:
        go.wait(timeout=30)
        return browsers[number].register(tokens[number], number, timeout=120)

    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        futures = [pool.submit(press, number) for number in range(PEOPLE)]
        go.set()
        answers = [future.result(timeout=180) for future in futures]
    elapsed = time.monotonic() - started

    # Every browser was answered "303 See Other" to its own ticket.
    assert {status for status, _location in answers} == {303}, sorted({status for status, _ in answers})
    secrets = [ticket_secret(location) for _status, location in answers]
    assert None not in secrets and len(set(secrets)) == PEOPLE

    rows, counter = registrations(server.instance)
    statuses = [status for status, _secret in rows]
    assert len(rows) == PEOPLE
    assert {secret for _status, secret in rows} == set(secrets)  # each answer is a row, and no more
    assert statuses.count(CONFIRMED) == CAPACITY and counter == CAPACITY
    assert statuses.count(WAITING) == PEOPLE - CAPACITY
    assert statuses == [CONFIRMED] * CAPACITY + [WAITING] * (PEOPLE - CAPACITY)  # nobody jumped the queue
    assert elapsed < 90, f"the burst took {elapsed:.1f} s"
