"""Badges printed on arrival: the organisers' setting, the rule, the door device's PDF, and the
server's CUPS printer (an ``lp`` stand-in on PATH records what it was given)."""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from fagkonferanse.audit.models import AuditEntry
from fagkonferanse.checkin.models import CheckIn
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.printing.models import DONE, FAILED, PrintJob
from fagkonferanse.printing.printers import lp_command, valid_printer_name
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.tokens import grouped

from ..conftest import ORGANISER_EMAIL, ORGANISER_PASSWORD, csrf_token, log_in, make_app, post_form
from ..pdftools import page_count, pdf_text
from .conftest import PUBLIC_BASE, add_people, page_size_mm, qr_codes_per_page

JSON = {"Accept": "application/json"}
# The plugin's words for its settings and print states (its package is importable once an app
# has loaded the plugins, so tests that need its modules import them inside).
OFF, ONCE, ALWAYS = "off", "once", "always"
NEVER, PRINTED, CHANGED = "never", "printed", "changed"

# Stands in for CUPS's lp: records its arguments and a copy of the PDF, answers as lp does.
# LP_FAIL makes it refuse the way lp refuses an unknown printer.
LP_STAND_IN = """#!{python}
import json, os, shutil, sys, uuid
record = os.environ["LP_RECORD"]
if os.environ.get("LP_FAIL"):
    sys.stderr.write("lp: The printer or class does not exist.\\n")
    sys.exit(1)
number = uuid.uuid4().hex[:8]
shutil.copy(sys.argv[-1], os.path.join(record, number + ".pdf"))
with open(os.path.join(record, number + ".json"), "w") as stream:
    json.dump(sys.argv[1:], stream)
printer = sys.argv[sys.argv.index("-d") + 1]
print("request id is %s-%s (1 file(s))" % (printer, number))
"""


@pytest.fixture
def lp(tmp_path, monkeypatch):
    """An ``lp`` on PATH that records each call in a folder: the list of (arguments, PDF bytes)."""
    folder = tmp_path / "lp-bin"
    record = tmp_path / "lp-record"
    folder.mkdir()
    record.mkdir()
    script = folder / "lp"
    script.write_text(LP_STAND_IN.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("LP_RECORD", str(record))

    def calls() -> list[tuple[list[str], bytes]]:
        found = sorted(record.glob("*.json"), key=lambda path: path.stat().st_mtime)
        return [(json.loads(path.read_text()), path.with_suffix(".pdf").read_bytes()) for path in found]

    return calls


@pytest.fixture
def door_app(instance):
    """The 2016 conference with a public address, print jobs made in the request that orders them."""
    app = make_app(instance, BASE_URL=PUBLIC_BASE, PRINT_JOB_RUNNER="inline")
    with app.app_context():
        from fagkonferanse.accounts.services import create_organiser

        create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Ola Arrangør")
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def door(door_app):
    client = door_app.test_client()
    assert log_in(client).status_code == 302
    return client


def configure(app, on_arrival: str, printer: str = "", size: str = "90x55") -> None:
    from fagkonferanse_plugins.badges.models import BadgeSettings

    with app.app_context():
        event = current_event()
        settings = db.session.get(BadgeSettings, event.id) or BadgeSettings(event_id=event.id)
        settings.on_arrival, settings.printer, settings.size = on_arrival, printer, size
        db.session.add(settings)
        db.session.commit()


def check_in(client, app, registration_id: int) -> str:
    """Check a person in the way a door without JavaScript does (the scan form, by door code)."""
    with app.app_context():
        code = db.session.get(Registration, registration_id).door_code
    response = client.post("/admin/checkin/scan", data={"csrf_token": csrf_token(client, "/admin/checkin"),
                                                        "code": grouped(code)})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def ask(client, registration_id, scan_id: str = "scan-1"):
    """What door.js asks after a green check-in."""
    return client.post("/admin/badges/arrival", headers=JSON, data={
        "csrf_token": csrf_token(client, "/admin/checkin"), "registration_id": str(registration_id),
        "scan_id": scan_id})


def times_printed(app, registration_id: int) -> int:
    from fagkonferanse_plugins.badges.models import BadgePrint

    with app.app_context():
        record = db.session.get(BadgePrint, registration_id)
        return record.times if record else 0


# --- The rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode, status, expected", [
    (OFF, NEVER, False), (OFF, CHANGED, False), (OFF, PRINTED, False),
    (ONCE, NEVER, True), (ONCE, CHANGED, True), (ONCE, PRINTED, False),
    (ALWAYS, NEVER, True), (ALWAYS, CHANGED, True), (ALWAYS, PRINTED, True),
])
def test_when_a_check_in_prints(app, mode, status, expected):
    from fagkonferanse_plugins.badges.arrival import should_print

    assert should_print(mode, status) is expected


# --- The settings -------------------------------------------------------------------------------


def test_the_settings_are_saved_checked_and_audited(door_app, door):
    from fagkonferanse_plugins.badges.models import BadgeSettings

    page = door.get("/admin/badges/settings").get_data(as_text=True)
    assert re.search(r'<input checked id="on_arrival-0" name="on_arrival" type="radio" value="off">', page)
    response = post_form(door, "/admin/badges/settings", {"on_arrival": "once", "size": "62 x 100 mm",
                                                          "printer": "Etikett_Zebra"})
    assert response.status_code == 303
    with door_app.app_context():
        settings = db.session.get(BadgeSettings, current_event().id)
        assert (settings.on_arrival, settings.size, settings.printer) == ("once", "62x100", "Etikett_Zebra")
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.entity == "badge_settings"))
        assert entry.changes["on_arrival"] == ["off", "once"]
    badges = door.get("/admin/badges").get_data(as_text=True)
    assert "skrives navneskiltet ut én gang, hvis det ikke er skrevet ut" in badges
    assert "på skriveren Etikett_Zebra" in badges and "62x100 mm" in badges


@pytest.mark.parametrize("field, value, message", [
    ("size", "10x10", "et navneskilt må være mellom 50x40 og 297x420 mm"),
    ("size", "stor", "skriv bredde x høyde i mm"),
    ("printer", "Zebra i døra", "Et skrivernavn i CUPS har ingen mellomrom"),
    ("printer", "-oraw", "begynner ikke med en bindestrek"),
    ("on_arrival", "sometimes", "Ikke et gyldig valg"),
])
def test_bad_settings_are_refused_with_a_message(door_app, door, field, value, message):
    from fagkonferanse_plugins.badges.models import BadgeSettings

    values = {"on_arrival": "once", "size": "90x55", "printer": "", field: value}
    response = post_form(door, "/admin/badges/settings", values)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with door_app.app_context():
        assert db.session.get(BadgeSettings, current_event().id) is None


def test_the_settings_are_for_organisers_only(door_app):
    client = door_app.test_client()
    assert client.get("/admin/badges/settings").status_code == 302
    assert client.post("/admin/badges/arrival", data={"registration_id": "1"}).status_code in (302, 400, 401)


def test_printer_names_are_what_cups_accepts():
    assert valid_printer_name("Zebra_GK420d") and valid_printer_name("etikett-dora.2")
    for bad in ("", "Zebra GK", "a/b", "a#b", "-d", "x" * 128, "a'b"):
        assert not valid_printer_name(bad), bad
    assert lp_command(Path("/tmp/x.pdf"), "Zebra", "fagkonferanse badges", (90.0, 55.0)) == [
        "lp", "-d", "Zebra", "-t", "fagkonferanse badges", "-o", "media=Custom.90x55mm", "/tmp/x.pdf"]


# --- Through the door device's browser ----------------------------------------------------------


def test_the_door_page_loads_the_badge_script_only_when_the_browser_prints(door_app, door):
    assert "badges/static/door.js" not in door.get("/admin/checkin").get_data(as_text=True)
    configure(door_app, ONCE)
    page = door.get("/admin/checkin").get_data(as_text=True)
    assert '<script src="/admin/badges/static/door.js?v=' in page
    script = door.get("/admin/badges/static/door.js")
    assert script.status_code == 200 and "fk:door-checked-in" in script.get_data(as_text=True)
    script.close()
    configure(door_app, ONCE, printer="Zebra")  # the server prints: the device does not
    assert "badges/static/door.js" not in door.get("/admin/checkin").get_data(as_text=True)


def test_once_prints_a_badge_not_yet_printed_and_the_pdf_is_one_label(door_app, door, tmp_path):
    [kari] = add_people(door_app, [{"name": "Kari Nordmann", "organisation": "Halden kommune", "role": "arrangor"}])
    configure(door_app, ONCE, size="90x55")
    assert "Sjekket inn" in check_in(door, door_app, kari)
    answer = ask(door, kari, "scan-kari")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["print"] is True
    assert body["message"] == "Navneskiltet til Kari Nordmann er klart til utskrift."
    assert body["link_label"] == "Skriv ut navneskiltet til Kari Nordmann"
    assert body["url"].startswith("/admin/print/jobs/") and body["url"].endswith("/print.pdf")
    pdf_response = door.get(body["url"])
    pdf_response.get_data()
    pdf_response.close()
    assert pdf_response.status_code == 200 and pdf_response.mimetype == "application/pdf"
    assert "attachment" not in pdf_response.headers.get("Content-Disposition", "")
    assert pdf_response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf_response.headers["Content-Security-Policy"]
    assert pdf_response.headers["Cache-Control"].startswith("no-store")
    pdf = pdf_response.data
    assert page_count(pdf, tmp_path) == 1
    assert page_size_mm(pdf, tmp_path / "size") == (90.0, 55.0)
    with door_app.app_context():
        registration = db.session.get(Registration, kari)
        code, door_code = registration.checkin_code, registration.door_code
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Kari Nordmann" in text and "Arrangør" in text and grouped(door_code) in text
    assert qr_codes_per_page(pdf, tmp_path / "qr", dpi=300) == [[f"{PUBLIC_BASE}/c/{code}"]]
    assert times_printed(door_app, kari) == 1
    # The same check-in announced again prints nothing; another check-in finds it printed.
    assert ask(door, kari, "scan-kari").get_json() == {"print": False, "reason": "same_scan", "message": ""}
    again = ask(door, kari, "scan-kari-2").get_json()
    assert again == {"print": False, "reason": "printed",
                     "message": "Navneskiltet til Kari Nordmann er skrevet ut fra før."}
    assert times_printed(door_app, kari) == 1


def test_once_prints_again_when_the_badge_changed_since(door_app, door):
    [ola] = add_people(door_app, ["Ola Nordmann"])
    configure(door_app, ONCE)
    assert ask(door, ola, "a").get_json()["print"] is True
    with door_app.app_context():
        db.session.get(Registration, ola).role = "foredragsholder"  # a new role band: a new badge
        db.session.commit()
    assert ask(door, ola, "b").get_json()["print"] is True
    assert times_printed(door_app, ola) == 2


def test_always_prints_at_every_check_in_but_once_per_check_in(door_app, door):
    [ola] = add_people(door_app, ["Ola Nordmann"])
    configure(door_app, ALWAYS)
    assert ask(door, ola, "first").get_json()["print"] is True
    assert ask(door, ola, "first").get_json()["reason"] == "same_scan"
    assert ask(door, ola, "second").get_json()["print"] is True
    assert times_printed(door_app, ola) == 2


def test_nothing_prints_when_switched_off_or_for_someone_without_a_seat(door_app, door):
    [ola] = add_people(door_app, ["Ola Nordmann"])
    [venter] = add_people(door_app, ["Vera Venteliste"], status="waiting")
    assert ask(door, ola).get_json() == {"print": False, "reason": "off", "message": ""}
    configure(door_app, ALWAYS)
    assert ask(door, venter).get_json()["reason"] == "not_confirmed"
    assert times_printed(door_app, ola) == times_printed(door_app, venter) == 0


@pytest.mark.parametrize("data, status, reason", [
    ({"registration_id": "abc"}, 400, "bad_request"),
    ({"registration_id": ""}, 400, "bad_request"),
    ({"registration_id": "1", "scan_id": "x" * 65}, 400, "bad_request"),
    ({"registration_id": "999999"}, 404, "unknown"),
])
def test_a_malformed_question_gets_a_clear_answer(door_app, door, data, status, reason):
    configure(door_app, ALWAYS)
    response = door.post("/admin/badges/arrival", headers=JSON,
                         data={"csrf_token": csrf_token(door, "/admin/checkin"), **data})
    assert response.status_code == status
    assert response.get_json()["reason"] == reason and response.get_json()["message"]


def test_the_question_needs_the_csrf_token(door_app, door):
    [ola] = add_people(door_app, ["Ola Nordmann"])
    configure(door_app, ALWAYS)
    response = door.post("/admin/badges/arrival", data={"registration_id": str(ola), "scan_id": "x"})
    assert response.status_code == 400
    assert times_printed(door_app, ola) == 0


# --- Straight to the server's printer (CUPS) ----------------------------------------------------


def test_a_check_in_without_javascript_sends_the_badge_to_the_printer(door_app, door, lp, tmp_path):
    [kari] = add_people(door_app, [{"name": "Kari Nordmann", "organisation": "Halden kommune"}])
    configure(door_app, ONCE, printer="Etikett", size="90x55")
    assert "Sjekket inn" in check_in(door, door_app, kari)
    [(arguments, pdf)] = lp()
    assert arguments[:6] == ["-d", "Etikett", "-t", "fagkonferanse badges", "-o", "media=Custom.90x55mm"]
    assert "Kari" not in " ".join(arguments[:-1])  # CUPS job titles are visible to anyone on the server
    assert page_count(pdf, tmp_path) == 1 and page_size_mm(pdf, tmp_path / "size") == (90.0, 55.0)
    assert "Kari Nordmann" in " ".join(pdf_text(pdf, tmp_path).split())
    with door_app.app_context():
        job = db.session.scalar(db.select(PrintJob))
        assert (job.state, job.printer, job.options["people"]) == (DONE, "Etikett", str(kari))
        assert job.printer_request.startswith("request id is Etikett-")
    assert times_printed(door_app, kari) == 1
    page = door.get(f"/admin/print/jobs/{job.token}").get_data(as_text=True)
    assert "Sendt til skriveren Etikett." in page and "CUPS svarte: request id is Etikett-" in page
    # Checked in again after an undo: "once" finds the badge printed and prints nothing.
    with door_app.app_context():
        db.session.execute(db.delete(CheckIn))
        db.session.commit()
    check_in(door, door_app, kari)
    assert len(lp()) == 1
    # The door device is told the server prints, and prints nothing itself.
    assert ask(door, kari).get_json()["reason"] == "printer"


def test_a_printer_that_refuses_fails_the_job_with_lps_words_and_the_check_in_stands(door_app, door, lp,
                                                                                    monkeypatch):
    [kari] = add_people(door_app, ["Kari Nordmann"])
    configure(door_app, ALWAYS, printer="Finnesikke")
    monkeypatch.setenv("LP_FAIL", "1")
    assert "Sjekket inn" in check_in(door, door_app, kari)
    with door_app.app_context():
        job = db.session.scalar(db.select(PrintJob))
        assert job.state == FAILED
        assert job.error == ("Skriveren «Finnesikke» tok ikke imot utskriften: "
                             "lp: The printer or class does not exist.")
        assert db.session.scalar(db.select(CheckIn.registration_id)) == kari
    assert not list(Path(door_app.instance_path, "print-jobs").glob("*.pdf"))  # no PDF left behind
    centre = door.get("/admin/print/").get_data(as_text=True)
    assert "Mislyktes" in centre and "til skriveren Finnesikke" in centre


def test_without_lp_on_the_server_the_job_says_what_to_install(door_app, door, monkeypatch, tmp_path):
    [kari] = add_people(door_app, ["Kari Nordmann"])
    configure(door_app, ALWAYS, printer="Etikett")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    check_in(door, door_app, kari)
    with door_app.app_context():
        job = db.session.scalar(db.select(PrintJob))
        assert job.state == FAILED and "Finner ikke kommandoen lp på serveren" in job.error


def test_the_job_engine_sends_it_too(instance, lp):
    """The default runner: the check-in answers at once, the badge waits in the job queue and
    reaches lp when the worker takes the task."""
    from fagkonferanse import jobs

    app = make_app(instance, BASE_URL=PUBLIC_BASE, JOB_QUEUE_URL=f"sqlite:///{instance / 'jobs.sqlite3'}")
    try:
        with app.app_context():
            from fagkonferanse.accounts.services import create_organiser

            create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Ola Arrangør")
            db.session.commit()
        client = app.test_client()
        log_in(client)
        [kari] = add_people(app, ["Kari Nordmann"])
        configure(app, ONCE, printer="Etikett")
        check_in(client, app, kari)
        assert lp() == []  # queued, not made in the request
        huey = jobs.engine(app).huey
        assert huey.pending_count() == 1
        huey.execute(huey.dequeue())  # what the worker does
        [(arguments, _pdf)] = lp()
        assert arguments[:2] == ["-d", "Etikett"]
        with app.app_context():
            assert db.session.scalar(db.select(PrintJob)).state == DONE
    finally:
        with app.app_context():
            db.engine.dispose()
