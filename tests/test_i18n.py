"""Dates and times are written the Norwegian way ("onsdag 9. november 2016", "kl. 08.30"); counts
agree with their nouns in both languages; scripts show the page's language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from fagkonferanse.i18n import format_clock, format_day, format_time_range


def test_norwegian_dates_and_times(app):
    with app.test_request_context("/"):
        assert format_day(dt.date(2016, 11, 9)) == "onsdag 9. november 2016"
        assert format_day(dt.date(2016, 11, 9), short=True) == "9. november 2016"
        assert format_clock(dt.time(8, 30)) == "kl. 08.30"
        assert format_time_range(dt.datetime(2016, 11, 9, 12), dt.datetime(2016, 11, 9, 14)) == "kl. 12.00–14.00"
        assert format_time_range(dt.datetime(2016, 11, 9, 15), None) == "kl. 15.00"


def test_english_dates_and_times(app):
    with app.test_request_context("/"), force_locale("en"):
        assert format_day(dt.date(2016, 11, 9)) == "Wednesday 9 November 2016"
        assert format_clock(dt.time(8, 30)) == "08:30"


# --- Counts: "1 attendee", "2 attendees" --------------------------------------------------------


def _add_people(app, count: int) -> None:
    from fagkonferanse.events.services import current_event
    from fagkonferanse.extensions import db
    from fagkonferanse.registration import services

    with app.app_context():
        for number in range(count):
            services.register(current_event(), {"name": f"Deltaker {number}", "email": f"d{number}@example.no"},
                              notify=False)
        db.session.commit()


@pytest.mark.parametrize("language, count, caption", [
    ("nb", 1, "1 deltaker"), ("nb", 2, "2 deltakere"),
    ("en", 1, "1 attendee"), ("en", 2, "2 attendees"),
])
def test_the_attendee_list_counts_in_singular_and_plural(app, admin_client, language, count, caption):
    _add_people(app, count)
    admin_client.set_cookie("lang", language)
    page = admin_client.get("/admin/attendees/").get_data(as_text=True)
    assert f"<caption>{caption}</caption>" in page, re.findall(r"<caption>.*?</caption>", page)


@pytest.mark.parametrize("language, count, summary", [
    ("nb", 1, "1 deltaker slettet"), ("nb", 2, "Alle 2 deltakere slettet"),
    ("en", 1, "1 attendee deleted"), ("en", 2, "All 2 attendees deleted"),
])
def test_deleting_everyone_is_logged_in_singular_and_plural(app, language, count, summary):
    from fagkonferanse.audit.models import AuditEntry
    from fagkonferanse.events.services import current_event
    from fagkonferanse.extensions import db
    from fagkonferanse.registration import services

    _add_people(app, count)
    with app.test_request_context("/"), force_locale(language):
        assert services.delete_everyone(current_event()) == count
        entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.summary == summary


@pytest.mark.parametrize("language, stands, text", [
    ("nb", 1, "Standpasset ditt: 1 stand"), ("nb", 2, "Standpasset ditt: 2 stands"),
    ("en", 1, "Your stand passport: 1 stand"), ("en", 2, "Your stand passport: 2 stands"),
])
def test_the_stand_passport_counts_in_singular_and_plural(app, language, stands, text):
    from flask import render_template

    with app.test_request_context("/"), force_locale(language):
        html = render_template("registration/_passport_section.html", stamped=False, count=stands)
    assert f">{text}</a>" in html, html


# --- Scripts take their words from the page -----------------------------------------------------

STATIC = Path(__file__).resolve().parents[1] / "src" / "fagkonferanse" / "static"
PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.S)
STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'")
# Two words in a row (not class names like "door-result door-unknown"), or a letter outside ASCII:
# text meant for people, not a key, a selector or the "use strict" directive.
WORDS = re.compile(r"(?<![\w-])[^\W\d_]{2,} [^\W\d_]{2,}(?![\w-])|(?![\x00-\x7f])[^\W\d_]")


def _our_scripts() -> list[Path]:
    scripts = [*STATIC.rglob("*.js"), *PLUGINS.glob("*/static/**/*.js")]
    return sorted(path for path in scripts if "vendor" not in path.parts)


def test_scripts_hold_no_text_of_their_own():
    """Texts a script shows come from data- attributes the template fills through gettext, so an
    English page shows English (a Norwegian fallback in the script would not be translated)."""
    assert _our_scripts(), "no scripts found"
    problems = []
    for path in _our_scripts():
        source = COMMENT.sub("", path.read_text(encoding="utf-8"))
        source = re.sub(r"new Error\((?:\"[^\"]*\"|'[^']*')\)", "new Error()", source)  # never shown
        for match in STRING.finditer(source):
            literal = match.group(1) if match.group(1) is not None else match.group(2)
            if literal != "use strict" and WORDS.search(literal):
                problems.append(f"{path.name}: {literal!r}")
    assert not problems, problems


@pytest.mark.parametrize(("script_name", "expected"), [
    ("checkin.js", {"data-connected", "data-disconnected", "data-queue-one", "data-queue-many", "data-synced",
                    "data-logged-out", "data-stop", "data-denied", "data-ready"}),
    ("door-logout.js", {"data-door-sending", "data-door-unsent-one", "data-door-unsent-many"}),
])
def test_the_door_page_gives_its_scripts_every_text_in_the_page_language(admin_client, script_name, expected):
    """Texts are read with getAttribute("data-…"); settings that are no text (addresses, ids) with
    the dataset, so every attribute read here must differ between Norwegian and English."""
    script = (STATIC / script_name).read_text(encoding="utf-8")
    read = set(re.findall(r"getAttribute\(\"(data-[\w-]+)\"\)", script)) - {"data-jsqr"}
    assert expected <= read
    texts = {}
    for language in ("nb", "en"):
        admin_client.set_cookie("lang", language)
        page = admin_client.get("/admin/checkin").get_data(as_text=True)
        texts[language] = {name: re.search(rf'{name}="([^"]*)"', page) for name in read}
        assert all(texts[language].values()), (language, texts[language])
    for name in read:
        norwegian, english = texts["nb"][name].group(1), texts["en"][name].group(1)
        assert norwegian.strip() and english.strip() and norwegian != english, (name, norwegian, english)
