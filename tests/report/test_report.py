"""The conference report: the organisers' page, its CSV, the printed PDF (read back as text), other
plugins' tables, and each exhibitor seeing its own stand's figures and nothing of the others'."""

from __future__ import annotations

import importlib
import re

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.stands.services import stand_by_slug

from ..conftest import log_in, make_app
from ..printing.conftest import page_texts, print_cli
from ..test_plugins import LOCAL_PLUGINS

TITLE = "Kunnskap om praksisutvikling innen levekår og mangfold"


def rows_of(page: str, anchor: str) -> list[tuple[str, ...]]:
    """The body rows of the report table in the section ``anchor``, as the cells' texts."""
    section = re.search(rf'<section[^>]*id="{anchor}".*?</section>', page, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", section, re.S).group(1)
    return [tuple(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S))
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_report_and_its_csv_need_a_login(client):
    for path in ("/admin/report", "/admin/report.csv"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_page_shows_the_conferences_figures(small_conference, admin_client):
    page = admin_client.get("/admin/report").get_data(as_text=True)
    assert rows_of(page, "report-status") == [("Bekreftet", "9"), ("Sjekket inn", "5"), ("Venteliste", "under 5"),
                                              ("Avmeldt", "under 5")]
    assert rows_of(page, "report-registrations") == [("3. okt.", "12", "12")]
    # "moss" and "Moss" are one municipality; groups under five are never shown as their number
    assert rows_of(page, "report-municipalities") == [("Moss", "6", "5"), ("Rygge", "under 5", "0"),
                                                      ("Oslo", "under 5", "0")]
    assert rows_of(page, "report-organisation-types")[:4] == [
        ("Kommune", "6", "5"), ("NAV", "under 5", "0"), ("Statlig", "under 5", "0"), ("Utdanning og forskning", "0", "0")]
    assert rows_of(page, "report-stands")[:2] == [("Fredrikstad kommune", "10", "under 5"), ("Moss kommune", "under 5", "0")]
    assert rows_of(page, "report-scans-by-hour") == [("10–11", "9"), ("11–12", "under 5")]
    assert rows_of(page, "report-stand-fredrikstad-kommune") == [("10–11", "7"), ("11–12", "under 5")]
    # the charts: inline SVG with a title, the number beside each bar, no bar for a small group
    chart = re.search(r'<svg class="report-chart report-chart-bars".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in chart and "<title" in chart and ">9</text>" in chart and ">under 5</text>" in chart
    assert chart.count("<rect") == 2  # Bekreftet and Sjekket inn; Venteliste and Avmeldt are under 5
    assert "@" not in page.split('class="admin-main"', 1)[1].split("Innlogget som", 1)[1]  # no addresses
    for name in ("Anne Moss", "Ida Oslo", "Lise Halden"):
        assert name not in page
    assert 'href="/admin/report.csv"' in page and 'href="/admin/print/report/"' in page
    assert '<a href="/admin/report"' in page  # in the organisers' menu


def test_the_csv_holds_the_same_figures(small_conference, admin_client):
    response = admin_client.get("/admin/report.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="rapport-levekar-og-mangfold-2016.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith("\ufefftable;title;label;column;value\r\n")
    lines = text[1:].splitlines()
    expected_start = [
        "table;title;label;column;value",
        "status;Påmeldinger;Bekreftet;Antall;9",
        "status;Påmeldinger;Sjekket inn;Antall;5",
        "status;Påmeldinger;Venteliste;Antall;under 5",
        "status;Påmeldinger;Avmeldt;Antall;under 5",
        "registrations;Påmeldinger over tid;2016-10-03;Nye påmeldinger;12",
        "registrations;Påmeldinger over tid;2016-10-03;Totalt;12",
        "municipalities;Deltakere etter kommune;Moss;Påmeldt;6",
        "municipalities;Deltakere etter kommune;Moss;Sjekket inn;5",
        "municipalities;Deltakere etter kommune;Rygge;Påmeldt;under 5",
        "municipalities;Deltakere etter kommune;Rygge;Sjekket inn;0",
        "municipalities;Deltakere etter kommune;Oslo;Påmeldt;under 5",
        "municipalities;Deltakere etter kommune;Oslo;Sjekket inn;0",
        "organisation-types;Deltakere etter type virksomhet;Kommune;Påmeldt;6",
        "organisation-types;Deltakere etter type virksomhet;Kommune;Sjekket inn;5",
        "organisation-types;Deltakere etter type virksomhet;NAV;Påmeldt;under 5",
    ]
    assert lines[:16] == expected_start
    assert "stands;Besøk på standene;Fredrikstad kommune;Skanninger;10" in lines
    assert "stands;Besøk på standene;Fredrikstad kommune;Stempler i standpasset;under 5" in lines
    assert "scans-by-hour;Skanninger per time, alle stands;10–11;Skanninger;9" in lines
    assert "stand-fredrikstad-kommune;Skanninger per time: Fredrikstad kommune;11–12;Skanninger;under 5" in lines
    assert len(lines) == 1 + 4 + 2 + 6 + 14 + 10 + 2 + 5 * 2  # header, then one line per count
    assert not any(re.search(r";[1-4]$", line) for line in lines)


def test_the_printed_report_reads_back_the_figures(small_conference, tmp_path):
    result, path = print_cli(small_conference, tmp_path, "report", name="rapport.pdf")
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"%PDF")
    pages = page_texts(path.read_bytes(), tmp_path / "text")
    cover = " ".join(pages[0].split())
    assert "RAPPORT" in cover and TITLE in cover and "9. november 2016" in cover
    assert "Høgskolen i Østfold, H-bygget" in cover
    assert "Fylkesmannen i Østfold Husbanken Høgskolen i Østfold Integrerings- og mangfoldsdirektoratet" in cover
    assert re.search(r"Laget \d+\. \w+ \d{4} kl\. \d\d\.\d\d", cover)
    text = "\n".join(pages[1:])
    assert re.search(r"^\s*Bekreftet\s+9\s*$", text, re.M)
    assert re.search(r"^\s*Sjekket inn\s+5\s*$", text, re.M)
    assert re.search(r"^\s*Avmeldt\s+under 5\s*$", text, re.M)
    assert re.search(r"^\s*Moss\s+6\s+5\s*$", text, re.M)  # five or more: the count
    assert re.search(r"^\s*Rygge\s+under 5\s+0\s*$", text, re.M)  # two: under 5
    assert re.search(r"^\s*Fredrikstad( kommune)?\s+10\s+under 5\s*$", text, re.M)
    for secret in ("Anne Moss", "anne@moss.kommune.no", "Lise"):
        assert secret not in text


def test_print_report_is_in_the_print_centre(small_conference, admin_client):
    page = admin_client.get("/admin/print/").get_data(as_text=True)
    assert "/admin/print/report/" in page and "Rapport" in page
    assert admin_client.get("/admin/print/report/").status_code == 200


@pytest.fixture
def plugin_app(instance):
    app = make_app(instance, PLUGIN_FOLDERS=[str(LOCAL_PLUGINS)])
    yield app
    with app.app_context():
        db.engine.dispose()


def test_another_plugins_table_is_shown_too(plugin_app, tmp_path):
    from fagkonferanse.accounts.services import create_organiser

    with plugin_app.app_context():
        create_organiser("ola@example.no", "riktig-hest-batteri", "Ola Arrangør")
        db.session.commit()
    client = plugin_app.test_client()
    log_in(client)
    page = client.get("/admin/report").get_data(as_text=True)
    assert rows_of(page, "report-throwaway") == [(TITLE, "7")]
    assert "Throwaway" in page
    lines = client.get("/admin/report.csv").get_data(as_text=True).splitlines()
    assert f"throwaway;Throwaway;{TITLE};Antall;7" in lines
    result, path = print_cli(plugin_app, tmp_path, "report")
    assert result.exit_code == 0 and "Throwaway" in "\n".join(page_texts(path.read_bytes(), tmp_path / "t"))
    # and on an exhibitor's page, the plugin's answer for that stand alone
    exhibitor_page = client.get(exhibitor_link(plugin_app, "moss-kommune")).get_data(as_text=True)
    assert rows_of(exhibitor_page, "stand-report-throwaway") == [("Moss kommune", "7")]


# --- The exhibitors -------------------------------------------------------------------------------


def exhibitor_link(app, stand_slug: str) -> str:
    """A self-service link for a sheet shown at ``stand_slug``, made as organisers make it."""
    exhibitors = importlib.import_module("fagkonferanse_plugins.catalogue.exhibitors")
    models = importlib.import_module("fagkonferanse_plugins.catalogue.models")
    with app.app_context():
        stand = stand_by_slug(current_event(), stand_slug)
        sheet = db.session.scalars(db.select(models.ProjectSheet).where(models.ProjectSheet.stand_id == stand.id)
                                   .order_by(models.ProjectSheet.id)).first()
        assert sheet is not None, stand_slug
        _link, token = exhibitors.create_link(sheet, "utstiller@example.no", 30, "Ola")
        db.session.commit()
    return f"/catalogue/edit/{token}"


def figures_part(page: str) -> str:
    return re.search(r'<div class="report-exhibitor">.*', page, re.S).group(0)


def test_each_exhibitor_sees_its_own_stands_figures_and_no_others(small_conference, client):
    fredrikstad = client.get(exhibitor_link(small_conference, "fredrikstad-kommune"))
    assert fredrikstad.status_code == 200 and fredrikstad.headers["Cache-Control"] == "no-store"
    page = fredrikstad.get_data(as_text=True)
    assert "Tall for standen" in page
    assert rows_of(page, "stand-report-stand") == [("Skanninger av plakaten", "10"),
                                                    ("Stempler i standpasset", "under 5")]
    assert rows_of(page, "stand-report-stand-fredrikstad-kommune") == [("10–11", "7"), ("11–12", "under 5")]
    figures = figures_part(page)
    assert "Moss kommune" not in figures and "moss-kommune" not in figures and "Halden" not in figures
    assert "Deltakere etter kommune" not in figures and "Bekreftet" not in figures  # not the organisers' report

    moss = client.get(exhibitor_link(small_conference, "moss-kommune")).get_data(as_text=True)
    assert rows_of(moss, "stand-report-stand") == [("Skanninger av plakaten", "under 5"),
                                                    ("Stempler i standpasset", "0")]
    assert rows_of(moss, "stand-report-stand-moss-kommune") == [("10–11", "under 5")]
    assert "Fredrikstad" not in figures_part(moss) and "fredrikstad" not in figures_part(moss)
