"""Importing attendees from CSV: in the web UI and as ``fagkonferanse attendees import``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.registration import importing, services
from fagkonferanse.registration.models import CONFIRMED, WAITING

from ..conftest import csrf_token
from .conftest import configure, outbox, people

GOOD = ("navn;e-post;organisasjon;kommune;lunsj\n"
        "Øyvind Hansen;oyvind@moss.kommune.no;Moss kommune;Moss;ja\n"
        "Марія Коваленко;maria@example.no;IMDi;;nei\n"
        "\n"
        "\"李, 小龙\";li@example.no;\"Høgskolen i Østfold\";Halden;\n")


def parse(text: str, encoding: str = "utf-8") -> importing.ParsedFile:
    return importing.parse_csv(text.encode(encoding))


# --- Reading the file (no database) -----------------------------------------------------------


@pytest.mark.parametrize("prefix, encoding", [("", "utf-8"), ("\ufeff", "utf-8"), ("", "cp1252")])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_utf8_with_or_without_bom_and_any_delimiter(prefix, encoding, delimiter):
    text = prefix + "Navn{d}E-post{d}Organisasjon{d}Kommune\nBjørn Ødegård{d}bjorn@example.no{d}Råde{d}Råde\n"
    parsed = parse(text.format(d=delimiter), encoding if not prefix else "utf-8")
    assert parsed.problems == [] and parsed.delimiter == delimiter
    assert parsed.rows == [(2, {"name": "Bjørn Ødegård", "email": "bjorn@example.no", "organisation": "Råde",
                                "municipality": "Råde"})]


def test_english_headers_quotes_and_blank_lines():
    parsed = parse(GOOD.replace("navn;e-post;organisasjon;kommune;lunsj", "name;email;organisation;municipality;lunch"))
    assert [line for line, _values in parsed.rows] == [2, 3, 5]
    assert parsed.rows[2][1]["name"] == "李, 小龙"
    assert parsed.rows[0][1]["lunch"] is True and parsed.rows[1][1]["lunch"] is False


def test_bad_rows_are_reported_by_line_number():
    text = ("navn;e-post;organisasjon\n"
            "Ola;ola@example.no;Moss\n"
            ";mangler@example.no;Moss\n"
            "Kari;ikke-epost;Moss\n"
            "\"Lang\nlinje\";lang@example.no;Moss\n"
            "Per;OLA@example.no;Moss\n"
            "Kontroll\x07;k@example.no;x\n")
    parsed = parse(text)
    assert [(p.line, p.message) for p in parsed.problems] == [
        (3, "name: Må fylles ut."),
        (4, "email: Skriv en gyldig e-postadresse, for eksempel navn@kommune.no."),
        (5, "name: Inneholder tegn som ikke kan brukes (kontrolltegn)."),  # a line break inside a name
        (7, "e-postadressen ola@example.no står også på linje 2"),  # the quoted record took lines 5-6
        (8, "name: Inneholder tegn som ikke kan brukes (kontrolltegn)."),
    ]
    assert [line for line, _values in parsed.rows] == [2]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Filen er tom."),
    (b"organisasjon;kommune\nMoss;Moss\n", "Filen mangler kolonnen for name, email"),
    (b"navn;e-post\n", "Filen har ingen deltakere"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binærdata"),
    (b"x" * (importing.MAX_BYTES + 1), "Filen er for stor"),
])
def test_files_that_cannot_be_read(app, data, message):
    with app.test_request_context():
        with pytest.raises(importing.ImportFailed, match=message):
            importing.parse_csv(data)


# --- Web UI -----------------------------------------------------------------------------------


def upload(client, content: bytes, filename: str = "deltakere.csv", **fields):
    token = csrf_token(client, "/admin/attendees/import")
    return client.post("/admin/attendees/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(content), filename), **fields},
                       follow_redirects=True)


def test_web_import_creates_and_updates_without_duplicates(app, admin_client):
    configure(app, capacity=2)
    with app.app_context():
        services.register(current_event(), {"name": "Gammel Navn", "email": "oyvind@moss.kommune.no",
                                            "organisation": "", "dietary": "Glutenfri"}, notify=False)
    page = upload(admin_client, ("\ufeff" + GOOD).encode()).get_data(as_text=True)
    assert "Importert: 2 nye (1 på venteliste), 1 oppdatert." in page
    rows = {p.email: p for p in people(app)}
    assert len(rows) == 3
    assert rows["oyvind@moss.kommune.no"].name == "Øyvind Hansen"
    assert rows["oyvind@moss.kommune.no"].dietary == "Glutenfri"  # not in the file: kept
    assert rows["maria@example.no"].status == CONFIRMED and rows["li@example.no"].status == WAITING
    assert rows["li@example.no"].source == "import" and rows["li@example.no"].lunch is True
    assert len(outbox(app)) == 0  # no mail unless asked
    upload(admin_client, GOOD.encode())
    assert len(people(app)) == 3  # importing the same file again duplicates nobody


def test_web_import_of_a_bad_file_imports_nothing(app, admin_client):
    bad = GOOD + "Feil;ikke-en-adresse;X;Y\n"
    response = upload(admin_client, bad.encode())
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Linje 6: email: Skriv en gyldig e-postadresse" in page and "Ingenting er importert" in page
    assert people(app) == []


def test_web_import_can_send_tickets(app, admin_client):
    upload(admin_client, GOOD.encode(), send_tickets="yes")
    assert sorted(m["To"].addresses[0].addr_spec for m in outbox(app)) == [
        "li@example.no", "maria@example.no", "oyvind@moss.kommune.no"]


def test_web_import_refuses_nonsense(app, admin_client):
    assert "Velg en CSV-fil." in upload(admin_client, b"", filename="").get_data(as_text=True)
    response = upload(admin_client, b"\x00\x01\x02binary", filename="bilde.png")
    assert response.status_code == 400 and "binærdata" in response.get_data(as_text=True)


def test_export_then_import_round_trip(app, admin_client):
    with app.app_context():
        services.register(current_event(), {"name": "=1+1", "email": "formel@example.no", "organisation": "-Moss"},
                          notify=False)
    exported = admin_client.get("/admin/attendees/export.csv").get_data()
    upload(admin_client, exported)
    [person] = people(app)
    assert (person.name, person.organisation) == ("=1+1", "-Moss")


# --- Command line -----------------------------------------------------------------------------


def test_cli_import(app, tmp_path):
    good = tmp_path / "deltakere.csv"
    good.write_text(GOOD, encoding="utf-8-sig")
    result = app.test_cli_runner().invoke(args=["attendees", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 new (0 on the waiting list), updated 0" in result.output
    bad = tmp_path / "feil.csv"
    bad.write_text(GOOD.replace("maria@example.no", "maria@"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["attendees", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: email: Skriv en gyldig e-postadresse" in result.output
    assert "nothing was imported" in result.output
    assert len(people(app)) == 3


def test_cli_import_as_a_user_runs_it(instance, tmp_path):
    """The installed console script: one line per problem, exit code 1, never a traceback."""
    csv_file = tmp_path / "tom.csv"
    csv_file.write_bytes(b"")
    script = Path(sys.executable).parent / "fagkonferanse"
    result = subprocess.run([str(script), "--instance", str(instance), "attendees", "import", str(csv_file)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Filen er tom." in result.stderr and "Traceback" not in result.stderr
    missing = subprocess.run([str(script), "--instance", str(instance), "attendees", "import", "finnes-ikke.csv"],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_cli_export(app, tmp_path):
    with app.app_context():
        services.register(current_event(), {"name": "Øyvind", "email": "o@example.no"}, notify=False)
    target = tmp_path / "ut.csv"
    result = app.test_cli_runner().invoke(args=["attendees", "export", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8-sig").splitlines()[1].startswith("Øyvind;o@example.no")


def test_delete_all_after_the_conference(app, client):
    from fagkonferanse.checkin.models import StandVisit
    from fagkonferanse.extensions import db

    from .conftest import register

    register(client)
    client.get("/stands/husbanken?from=poster")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["attendees", "delete-all"])
    assert refused.exit_code == 1 and "add --yes" in refused.output and len(people(app)) == 1
    result = runner.invoke(args=["attendees", "delete-all", "--yes"])  # 9 November 2016 is over
    assert result.exit_code == 0, result.output
    assert "Deleted 1 attendee(s)" in result.output
    assert people(app) == [] and outbox(app) == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StandVisit.id))) == 1
