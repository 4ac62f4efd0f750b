"""Helpers the plugin's tests share (a module of its own: this folder is not a package)."""

from __future__ import annotations

import re
from pathlib import Path

from fagkonferanse import Registration, create_app, db

ATTENDEES = """navn;e-post;organisasjon
Kari Nordmann;kari@example.no;Fredrikstad kommune
Ola Åsen;ola@example.no;Husbanken
Per Ikkekom;per@example.no;Moss kommune
"""
ORGANISER = ("arrangor@example.no", "et-langt-passord-2016")
AFTER_THE_DAY = "2016-11-10T10:00"
DURING_THE_DAY = "2016-11-09T11:00"
DB_FILE = "fagkonferanse.db"


def make_app(instance: Path, **config):
    return create_app({"TESTING": True, "BASE_URL": "https://konferanse.example.no", **config},
                      instance_path=instance)


def ticket_secret(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(db.select(Registration.manage_secret).where(Registration.email == email))


def csrf_token(client, path: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def log_in(client) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": ORGANISER[0], "password": ORGANISER[1]})
    assert response.status_code == 302
