"""Mail: SMTP when configured, otherwise (and when SMTP fails) .eml files in instance/outbox/."""

from __future__ import annotations

import smtplib
from pathlib import Path

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.registration import mail, services

from .conftest import outbox, register, ticket_link


class FakeSMTP:
    """Stands in for smtplib.SMTP and records what would have been sent."""

    sent: list = []
    fail = False

    def __init__(self, host, port, timeout=None, **kwargs):
        self.host, self.port, self.calls = host, port, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        if FakeSMTP.fail:
            raise smtplib.SMTPServerDisconnected("connection lost")
        FakeSMTP.sent.append((self.host, self.port, self.calls, message))


def test_without_smtp_every_message_is_an_eml_in_the_outbox(app, client):
    register(client)
    [message] = outbox(app)
    assert message["Subject"] == "Du er påmeldt: Kunnskap om praksisutvikling innen levekår og mangfold"
    assert str(message["To"]) == "Øyvind Hansen <oyvind@moss.kommune.no>"
    assert message["From"] == "fagkonferanse <noreply@localhost>"
    assert message["Message-ID"] and message["Date"] and message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert "onsdag 9. november 2016" in body and "kl. 08.30" in body and "H-bygget" in body
    assert ticket_link(message).startswith("http://127.0.0.1:5000/ticket/")
    files = list((Path(app.instance_path) / "outbox").glob("*"))
    assert all(path.suffix == ".eml" for path in files)  # no half-written temporary files left


def test_smtp_when_configured(app, client, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="smtp.example.no", MAIL_PORT=2525, MAIL_USERNAME="konferanse",
                      MAIL_PASSWORD="hemmelig", MAIL_FROM="Konferansen <konferanse@example.no>")
    register(client)
    [(host, port, calls, message)] = FakeSMTP.sent
    assert (host, port) == ("smtp.example.no", 2525)
    assert calls == ["starttls", ("login", "konferanse", "hemmelig")]
    assert message["From"] == "Konferansen <konferanse@example.no>"
    assert "@example.no>" in message["Message-ID"]
    assert outbox(app) == []


def test_when_smtp_fails_the_message_is_kept_in_the_outbox(app, client, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], True
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config["MAIL_SERVER"] = "smtp.example.no"
    response = register(client)
    assert response.status_code == 303  # the registration stands
    [message] = outbox(app)
    assert message["Subject"].startswith("Du er påmeldt")


def test_names_cannot_inject_headers(app):
    with app.app_context(), app.test_request_context():
        outcome = services.register(current_event(), {"name": "Eve", "email": "eve@example.no"}, notify=False)
        outcome.registration.name = "Eve\r\nBcc: alle@example.no"  # the form refuses this; belt and braces
        with pytest.raises(ValueError, match="cannot contain CR or LF"):
            mail.compose(outcome.registration, "confirmed")


def test_english_speakers_get_mail_in_their_language(app, client):
    client.set_cookie("lang", "en")
    register(client)
    [message] = outbox(app)
    assert "Wednesday 9 November 2016" in message.get_content()
    with app.app_context():
        assert services.find_by_email(current_event(), "oyvind@moss.kommune.no").language == "en"
