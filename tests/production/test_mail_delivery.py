"""Mail under ``serve --production``: the web workers queue, the job worker delivers — and neither
a SIGKILL of the whole server nor of the job worker alone loses a confirmation mail."""

from __future__ import annotations

import email
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from email.policy import default as default_policy
from pathlib import Path

import pytest

from fagkonferanse.extensions import db
from fagkonferanse.registration.models import CONFIRMED, Registration

from ..conftest import make_app
from .server import (Browser, child_pids, is_running, job_worker_pid, start_production_server, ticket_secret,
                     worker_supervisors)

PEOPLE = 20


@pytest.fixture
def server(tmp_path):
    # A short SMTP timeout shortens how long a row being sent when the server is killed waits
    # before the restarted server takes it (outbox.claim_seconds).
    live = start_production_server(tmp_path / "instance", workers=2,
                                   extra_env={"FAGKONFERANSE_RATELIMIT_ENABLED": "false",
                                              "FAGKONFERANSE_MAIL_TIMEOUT": "1"})
    yield live
    live.close()


def recipients(instance: Path) -> list[str]:
    """The addresses of every message in the outbox folder."""
    found = []
    for path in (instance / "outbox").glob("*.eml"):
        with path.open("rb") as stream:
            found.append(email.message_from_binary_file(stream, policy=default_policy)["To"].addresses[0].addr_spec)
    return found


def register_people(url: str, numbers: range) -> list[str]:
    """Register ``numbers`` in parallel; their ticket secrets (each must be told "you are registered")."""
    def one(number: int) -> str | tuple[int, str]:
        browser = Browser(url)
        status, location = browser.register(browser.open_form(), number)
        secret = ticket_secret(location) if status == 303 else None
        return secret or (status, location)

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(one, numbers))
    assert [answer for answer in answers if not isinstance(answer, str)] == []
    return answers


def wait_for_mail(instance: Path, expected: set[str], timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = recipients(instance)
        if expected <= set(found):
            return found
        time.sleep(0.1)
    raise AssertionError(f"{len(expected - set(recipients(instance)))} of {len(expected)} mails missing after {timeout} s")


def confirmed_addresses(instance: Path) -> set[str]:
    app = make_app(instance)
    with app.app_context():
        addresses = set(db.session.scalars(db.select(Registration.email).where(Registration.status == CONFIRMED)))
        db.engine.dispose()
    return addresses


def test_the_job_worker_delivers_every_confirmation(server):
    assert len(register_people(server.url, range(PEOPLE))) == PEOPLE
    expected = confirmed_addresses(server.instance)
    assert len(expected) == PEOPLE
    found = wait_for_mail(server.instance, expected)
    assert len(found) == PEOPLE  # one each


def test_a_sigkill_after_the_answers_loses_no_mail(server):
    answered = register_people(server.url, range(PEOPLE))
    server.kill()  # at once: most mail is still queued, some may be half-sent
    assert len(answered) == PEOPLE

    server.start()
    expected = confirmed_addresses(server.instance)
    assert len(expected) == PEOPLE
    found = wait_for_mail(server.instance, expected)
    # At least once: a message sent just before the kill, whose row was not yet deleted, may be
    # sent again; nothing more.
    assert set(found) == expected and len(found) <= PEOPLE + 1


def test_a_job_worker_killed_mid_way_is_started_again_and_sends_the_rest(server):
    worker = job_worker_pid(server.process.pid)
    # A web worker that stops (gunicorn's max requests, a timeout, a graceful restart) leaves the
    # job worker alone: only the server itself stops it.
    [web_worker, *_others] = [pid for pid in child_pids(server.process.pid) if pid not in worker_supervisors(server.process.pid)]
    os.kill(web_worker, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while web_worker in child_pids(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    assert job_worker_pid(server.process.pid) == worker and is_running(worker)
    answered = register_people(server.url, range(PEOPLE // 2))
    os.kill(worker, signal.SIGKILL)  # while it sends: some sent, one perhaps half-sent, the rest queued
    answered += register_people(server.url, range(PEOPLE // 2, PEOPLE))  # queued with no worker alive
    assert len(answered) == PEOPLE
    expected = confirmed_addresses(server.instance)
    found = wait_for_mail(server.instance, expected)
    assert set(found) == expected and len(found) <= PEOPLE + 1
    assert job_worker_pid(server.process.pid) != worker  # the supervisor started a new one
