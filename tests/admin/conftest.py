"""Helpers for the organisers' editors: look rows up by the names organisers see."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from fagkonferanse.events.models import Organisation
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem, Speaker
from fagkonferanse.stands.models import Stand
from fagkonferanse.venue.models import Location

from ..conftest import ORGANISER_PASSWORD, log_in


class Lookup:
    """Read the database as the tests need it, each call in a fresh application context."""

    def __init__(self, app):
        self.app = app

    def _one(self, model, **where):
        with self.app.app_context():
            row = db.session.scalar(db.select(model).filter_by(**where))
            assert row is not None, (model, where)
            return row.id

    def item_id(self, title: str) -> int:
        return self._one(ProgrammeItem, title=title)

    def speaker_id(self, name: str) -> int:
        return self._one(Speaker, name=name)

    def location_id(self, name: str) -> int:
        return self._one(Location, name=name)

    def organisation_id(self, name: str) -> int:
        return self._one(Organisation, name=name)

    def stand_id(self, organisation: str) -> int:
        return self._one(Stand, organisation_id=self.organisation_id(organisation))

    def item(self, title: str) -> dict:
        """An item's times ("10.15"), location, speakers and version, as plain values."""
        with self.app.app_context():
            item = db.session.scalar(db.select(ProgrammeItem).filter_by(title=title))
            return {
                "start": f"{item.start:%H.%M}", "end": f"{item.end:%H.%M}" if item.end else None,
                "location": item.location.name if item.location else None,
                "speakers": [s.name for s in item.speakers], "version": item.version,
            }

    def day(self) -> list[tuple[str, str]]:
        """The whole programme as (start, title) in time order."""
        with self.app.app_context():
            items = db.session.scalars(db.select(ProgrammeItem).order_by(ProgrammeItem.start, ProgrammeItem.id))
            return [(f"{item.start:%H.%M}", item.title) for item in items]

    def count(self, model) -> int:
        with self.app.app_context():
            return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def lookup(app) -> Lookup:
    return Lookup(app)


@pytest.fixture
def second_admin(app, admin_client):
    """Another browser of the same organiser: a second session editing at the same time."""
    client = app.test_client()
    assert log_in(client, password=ORGANISER_PASSWORD).status_code == 302
    return client


def text(response) -> str:
    """The page's text with tags removed and spaces collapsed, as a reader sees it."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<(\w+)\b[^>]*\shidden\b[^>]*>.*?</\1>", " ", html, flags=re.S)  # not shown
    html = re.sub(r"</?(a|span|strong|em|time|abbr)\b[^>]*>", "", html)  # inline: no space of its own
    plain = re.sub(r"<[^>]+>", " ", html)
    plain = plain.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"\s+", " ", plain)


# --- Submitting forms the way a browser does ----------------------------------------------------


class _FormReader(HTMLParser):
    """Collect each form's successful controls: what a browser would send (buttons excluded)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: str | None = None
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action"), "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "option":
            self._option(a)
            return
        name = a.get("name")
        if not name:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "reset"):
                self._form["fields"].append((name, a.get("value") or ""))
        elif tag == "select":
            self._select = {"name": name, "first": None, "chosen": False}
        elif tag == "textarea":
            self._textarea, self._buffer = name, ""

    def _option(self, a):
        if self._select is None:
            return
        value = a.get("value") or ""
        if self._select["first"] is None:
            self._select["first"] = value
        if "selected" in a:
            self._form["fields"].append((self._select["name"], value))
            self._select["chosen"] = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._buffer += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select["chosen"] and self._select["first"] is not None:
                self._form["fields"].append((self._select["name"], self._select["first"]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea, self._buffer.removeprefix("\n")))
            self._textarea = None


def form_values(html: str, action: str | None = None) -> dict[str, list[str]]:
    """The values of the page's main form (the one posting to the page itself, or to ``action``)."""
    reader = _FormReader()
    reader.feed(html)
    for form in reader.forms:
        if form["action"] in (None, "", action):
            values: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                values.setdefault(name, []).append(value)
            return values
    raise AssertionError(f"no form posting to {action or 'the page itself'}")


def submit(client, path: str, changes: dict | None = None, page=None, action: str | None = None):
    """Fill in the form on ``path`` (or on an earlier response ``page``) and post it.

    ``changes`` replaces fields by name (a list for checkboxes; None removes the field), and may
    name a button, e.g. ``{"decision": "shift"}``.
    """
    html = (page or client.get(path)).get_data(as_text=True)
    values = form_values(html, action)
    for name, value in (changes or {}).items():
        values.pop(name, None)
        if value is not None:
            values[name] = value if isinstance(value, list) else [str(value)]
    return client.post(action or path, data=values)
