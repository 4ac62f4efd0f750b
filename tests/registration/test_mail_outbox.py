"""The mail outbox: mail is committed with the change that causes it and sent after the commit —
by the job engine (at once without a worker, by the worker under ``serve``), by the worker's
sweep after a crash, or by whoever runs ``mail deliver``."""

from __future__ import annotations

import datetime as dt
import smtplib
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fagkonferanse import jobs
from fagkonferanse.config import ConfigError
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import mail, outbox, services
from fagkonferanse.registration.models import Registration, RegistrationSettings
from fagkonferanse.registration.outbox import OutgoingMail

from ..conftest import make_app
from .conftest import PERSON, configure, outbox as outbox_files, register


def rows(app) -> list[OutgoingMail]:
    with app.app_context():
        found = db.session.scalars(db.select(OutgoingMail).order_by(OutgoingMail.id)).all()
        for row in found:
            db.session.expunge(row)
        return found


@pytest.fixture
def queue_only(app):
    """The app as a server sees it: tasks go to the SQLite queue, and no worker runs them."""
    jobs.use_local_queue(app)
    return app


def test_inline_delivery_sends_in_the_request_and_leaves_nothing_queued(app, client):
    register(client)
    [message] = outbox_files(app)
    assert message["Subject"].startswith("Du er påmeldt")
    assert rows(app) == []


def test_the_mail_is_committed_with_the_registration_or_not_at_all(app, monkeypatch):
    real_queue_mail = services.queue_mail

    def queue_then_fail(registration, kind):
        real_queue_mail(registration, kind)
        raise RuntimeError("the process dies before the commit")

    monkeypatch.setattr(services, "queue_mail", queue_then_fail)
    with app.app_context(), app.test_request_context():
        with pytest.raises(RuntimeError):
            services.register(current_event(), {"name": "Eva", "email": "eva@example.no"})
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0
        assert db.session.scalar(db.select(db.func.count(OutgoingMail.id))) == 0
        assert db.session.scalar(db.select(RegistrationSettings.confirmed_count)) == 0
    assert outbox_files(app) == []


def test_a_crash_after_the_commit_still_delivers_exactly_one_mail(queue_only, client, instance):
    assert register(client).status_code == 303
    assert outbox_files(queue_only) == [] and len(rows(queue_only)) == 1  # "killed" before delivery

    restarted = make_app(instance)  # its queue is immediate: the task of the dead process is gone
    jobs.run_periodic_now(restarted)  # what a worker does as it starts, and every minute
    jobs.run_periodic_now(restarted)
    [message] = outbox_files(restarted)
    assert message["Subject"].startswith("Du er påmeldt") and rows(restarted) == []


def test_an_smtp_failure_keeps_the_mail_and_retries_it_later(queue_only, client, monkeypatch):
    queue_only.config["MAIL_SERVER"] = "smtp.example.no"
    sent = []

    def smtp_down(message, config):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(mail, "_send_smtp", smtp_down)
    register(client)
    assert outbox.deliver_pending(queue_only) == 0
    [row] = rows(queue_only)
    assert row.attempts == 1 and "connection lost" in row.last_error
    assert row.next_attempt_at > dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert outbox.deliver_pending(queue_only) == 0  # not due yet
    assert outbox_files(queue_only) == []

    monkeypatch.setattr(mail, "_send_smtp", lambda message, config: sent.append(message))
    with queue_only.app_context():
        db.session.execute(db.update(OutgoingMail).values(next_attempt_at=row.created_at))
        db.session.commit()
    assert outbox.deliver_pending(queue_only) == 1
    [message] = sent
    assert message["Subject"].startswith("Du er påmeldt") and rows(queue_only) == []


def test_after_the_last_attempt_the_mail_goes_to_the_outbox_folder(queue_only, client, monkeypatch):
    queue_only.config["MAIL_SERVER"] = "smtp.example.no"
    monkeypatch.setattr(mail, "_send_smtp", lambda message, config: (_ for _ in ()).throw(OSError("refused")))
    register(client)
    with queue_only.app_context():
        db.session.execute(db.update(OutgoingMail).values(attempts=outbox.MAX_ATTEMPTS - 1))
        db.session.commit()
    assert outbox.deliver_pending(queue_only) == 1
    assert len(outbox_files(queue_only)) == 1 and rows(queue_only) == []  # nothing is lost


def test_deleting_a_person_deletes_their_unsent_mail(queue_only, client):
    register(client)
    register(client, name="Kari", email="kari@example.no")
    with queue_only.app_context():
        person = services.find_by_email(current_event(), PERSON["email"])
        services.delete_person(person)
    assert [row.kind for row in rows(queue_only)] == ["confirmed"]  # Kari's
    assert outbox.deliver_pending(queue_only) == 1
    [message] = outbox_files(queue_only)
    assert "kari@example.no" in str(message["To"])


def test_promotions_are_queued_with_the_cancellation(queue_only, client):
    configure(queue_only, capacity=1)
    register(client)
    register(client, name="Kari", email="kari@example.no")
    with queue_only.app_context():
        services.cancel(services.find_by_email(current_event(), PERSON["email"]))
    assert [row.kind for row in rows(queue_only)] == ["confirmed", "waiting", "cancelled", "promoted"]


def test_the_request_queues_a_task_and_the_worker_sends_the_mail(queue_only, client):
    assert register(client).status_code == 303
    assert outbox_files(queue_only) == [] and len(rows(queue_only)) == 1
    queue = jobs.engine(queue_only).huey
    assert queue.pending_count() == 1
    queue.execute(queue.dequeue())  # what `fagkonferanse worker` does with it
    [message] = outbox_files(queue_only)
    assert message["Subject"].startswith("Du er påmeldt") and rows(queue_only) == []
    assert queue.pending_count() == 0


def test_mail_pending_lists_kind_and_age_without_personal_data(queue_only, client, runner):
    register(client)
    result = runner.invoke(args=["mail", "pending"])
    assert result.exit_code == 0, result.output
    assert "confirmed" in result.output and "1 message(s) waiting" in result.output
    assert PERSON["email"] not in result.output and PERSON["name"] not in result.output


def test_mail_deliver_sends_what_waits(queue_only, client, runner):
    register(client)
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 message(s); 0 waiting." in result.output
    assert len(outbox_files(queue_only)) == 1


def test_mail_deliver_fails_when_mail_is_left_unsent(queue_only, client, runner, monkeypatch):
    queue_only.config["MAIL_SERVER"] = "smtp.example.no"
    monkeypatch.setattr(mail, "_send_smtp", lambda message, config: (_ for _ in ()).throw(OSError("refused")))
    register(client)
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 1
    assert "1 message(s) not sent" in result.output

    monkeypatch.setattr(mail, "_send_smtp", lambda message, config: None)
    assert runner.invoke(args=["mail", "deliver"]).exit_code == 1  # waits for its retry
    result = runner.invoke(args=["mail", "deliver", "--retry-now"])
    assert result.exit_code == 0, result.output


def test_an_unknown_job_queue_is_a_config_error(instance):
    with pytest.raises(ConfigError, match="JOB_QUEUE_URL = 'sometimes': give 'immediate', 'sqlite:///path' or"):
        make_app(instance, JOB_QUEUE_URL="sometimes")


def test_a_busy_queue_file_does_not_fail_the_registration(queue_only, client, monkeypatch, caplog):
    """The registration burst: the queue file was locked past SQLite's timeout and the browser got
    a 500 for a registration that was already committed. Now the mail waits for the worker's sweep."""
    monkeypatch.setattr(jobs, "QUEUE_BUSY_SECONDS", 0.1)
    queue_only.extensions.pop(jobs.KEY)  # rebuilt with the short timeout
    jobs.engine(queue_only)
    holder = sqlite3.connect(Path(queue_only.instance_path) / jobs.QUEUE_FILE, isolation_level=None)
    holder.execute("begin exclusive")  # another process writing, past the timeout
    try:
        response = register(client)
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 303
    assert "/ticket/" in response.headers["Location"]
    assert [row.kind for row in rows(queue_only)] == ["confirmed"]  # committed, waiting for the sweep
    assert "the job queue did not take" in caplog.text
    assert outbox.deliver_pending(queue_only) == 1


def test_the_threads_of_a_process_build_one_engine(app, monkeypatch):
    built = []
    real_make_huey = jobs._make_huey

    def slow_make_huey(app):
        built.append(app)
        time.sleep(0.05)  # the first thread is still building when the others ask
        return real_make_huey(app)

    monkeypatch.setattr(jobs, "_make_huey", slow_make_huey)
    app.extensions.pop(jobs.KEY, None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        engines = list(pool.map(lambda _: jobs.engine(app), range(8)))
    assert len(built) == 1 and len({id(engine) for engine in engines}) == 1
