"""The mail outbox: mail is committed with the change that causes it and sent after the commit —
in the request (inline), by a background thread, or by whoever runs ``mail deliver``."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
import time

import pytest

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


def wait_for(condition, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


@pytest.fixture
def queue_only(app):
    """The app as a production worker sees it: mail is queued, someone else delivers."""
    app.config["MAIL_DELIVERY"] = "queue"
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

    restarted = make_app(instance)
    assert outbox.deliver_pending(restarted) == 1
    assert outbox.deliver_pending(restarted) == 0
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


def test_background_delivery_is_done_by_the_thread_not_the_request(app, client, monkeypatch):
    app.config["MAIL_DELIVERY"] = "background"
    writers = []
    real_write = mail.write_to_outbox
    monkeypatch.setattr(mail, "write_to_outbox",
                        lambda message: writers.append(threading.current_thread().name) or real_write(message))
    try:
        assert register(client).status_code == 303
        [message] = wait_for(lambda: outbox_files(app))
        assert message["Subject"].startswith("Du er påmeldt")
        assert writers == ["mail-delivery"]
        wait_for(lambda: rows(app) == [])
    finally:
        outbox.stop_background()


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


def test_an_unknown_delivery_mode_is_a_config_error(instance):
    with pytest.raises(ConfigError, match="MAIL_DELIVERY must be one of inline, background, queue"):
        make_app(instance, MAIL_DELIVERY="sometimes")
