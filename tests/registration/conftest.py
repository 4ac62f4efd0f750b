"""Helpers for the registration tests: register through the real form, read the outbox,
change the event's registration settings."""

from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.settings import settings_for

from ..conftest import csrf_token

PERSON = {"name": "Øyvind Hansen", "email": "oyvind@moss.kommune.no", "organisation": "Moss kommune",
          "municipality": "Moss", "consent": "y"}


def register(client, address: str = "127.0.0.1", token_from: str = "/register", **fields):
    """Submit the public form like a browser (token first), from ``address``.

    ``token_from``: a page with a form, for when /register shows none (closed, full).
    """
    environ = {"REMOTE_ADDR": address}
    token = csrf_token(client, token_from)
    data = {**PERSON, **fields}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post("/register", data={"csrf_token": token, **data}, environ_base=environ)


def outbox(app) -> list[EmailMessage]:
    """Every message written to the instance's outbox, oldest first."""
    folder = Path(app.instance_path) / "outbox"
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.eml")):
        with path.open("rb") as stream:
            messages.append(email.message_from_binary_file(stream, policy=default_policy))
    return messages


def ticket_link(message: EmailMessage) -> str:
    match = re.search(r"https?://\S+/ticket/([A-Za-z0-9_-]+)", message.get_content())
    assert match, message.get_content()
    return match.group(0)


def configure(app, **values) -> None:
    """Change the current event's registration settings directly (capacity, opening hours …)."""
    with app.app_context():
        settings = settings_for(current_event())
        for key, value in values.items():
            setattr(settings, key, value)
        db.session.commit()


def people(app) -> list[Registration]:
    """Every registration, detached (attributes loaded) for assertions outside the app context."""
    with app.app_context():
        rows = db.session.scalars(db.select(Registration).order_by(Registration.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def event_id(app) -> int:
    with app.app_context():
        return current_event().id
