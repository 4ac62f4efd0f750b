"""Name badges: every printed QR code checks its person in, text prints exactly and fits, badges
come sorted by surname, and the app remembers what it printed."""

from __future__ import annotations

import re

import pytest

from fagkonferanse.checkin.models import CheckIn
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.printing import NothingToPrint, PrintOptionError, render_document

from ..conftest import csrf_token
from ..pdftools import page_count, pdf_text
from .conftest import (PUBLIC_BASE, add_people, codes_by_id, page_size_mm, page_texts, print_cli,
                       print_in_the_print_centre, qr_codes_per_page, words_with_boxes)

NAMES = ["Øyvind Hansen", "Åse Ås", "Ærlig Æbeltoft", "Zara Zeta", "Anne Aas-Berg", "Марія Шевченко", "李小龙"]


def render(app, preview: bool = False, **options) -> bytes:
    with app.app_context():
        return render_document("badges", current_event(), options, preview=preview)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_every_badge_decodes_to_its_persons_check_in_url_four_to_an_a4_sheet(public_app, tmp_path):
    ids = add_people(public_app, [{"name": name, "organisation": "Moss kommune"} for name in NAMES])
    result, output = print_cli(public_app, tmp_path, "badges")
    assert result.exit_code == 0, result.output
    pdf = output.read_bytes()
    assert page_size_mm(pdf, tmp_path / "size") == (210.0, 297.0)
    pages = qr_codes_per_page(pdf, tmp_path / "pages")
    assert [len(codes) for codes in pages] == [4, 3]
    codes = codes_by_id(public_app)
    assert sorted(code for page in pages for code in page) == sorted(f"{PUBLIC_BASE}/c/{codes[i]}" for i in ids)


def test_a_badges_code_opens_the_door_page_and_checks_in_for_an_organiser(public_app, tmp_path):
    from ..conftest import ORGANISER_EMAIL, ORGANISER_PASSWORD, log_in

    [person] = add_people(public_app, [{"name": "Bjørn Ødegård", "organisation": "Halden kommune"}])
    with public_app.app_context():
        from fagkonferanse.accounts.services import create_organiser

        create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Ola Arrangør")
        db.session.commit()
    [[url]] = qr_codes_per_page(render(public_app), tmp_path / "pages")
    path = url.removeprefix(PUBLIC_BASE)
    assert path.startswith("/c/")

    anonymous = public_app.test_client().get(path)
    assert anonymous.status_code == 200
    page = anonymous.get_data(as_text=True)
    assert "Vis denne koden i døra" in page and "Bjørn" not in page  # the code tells strangers nothing

    organiser = public_app.test_client()
    log_in(organiser)
    page = organiser.get(path).get_data(as_text=True)
    assert "Bjørn Ødegård" in page and "Sjekk inn" in page
    code = path.removeprefix("/c/")
    answer = organiser.post("/admin/checkin/scan", data={"csrf_token": csrf_token(organiser, path), "code": code})
    assert "Sjekket inn" in answer.get_data(as_text=True)
    with public_app.app_context():
        assert db.session.scalar(db.select(CheckIn.registration_id)) == person


def test_the_qr_code_holds_no_personal_data(public_app, tmp_path):
    add_people(public_app, [{"name": "Kari Nordmann", "organisation": "Moss kommune", "email": "kari@moss.no"}])
    [[url]] = qr_codes_per_page(render(public_app), tmp_path / "pages")
    assert "kari" not in url.lower() and "moss" not in url.lower()


def test_names_in_any_script_and_markup_print_exactly_as_typed(public_app, tmp_path):
    add_people(public_app, [
        {"name": "Марія Шевченко", "organisation": "Fredrikstad kommune"},
        {"name": "李小龙", "organisation": "Høgskolen i Østfold"},
        {"name": "<b>Ola</b> Nordmann", "organisation": "<script>x</script> AS", "municipality": "Rygge"},
        {"name": "Åse Ærø Ødegård", "organisation": "Sarpsborg kommune"},
    ])
    text = one_line(pdf_text(render(public_app), tmp_path))
    for expected in ("Марія", "Шевченко", "李小龙", "<b>Ola</b>", "Nordmann", "<script>x</script> AS", "Rygge",
                     "Åse Ærø", "Ødegård", "9. november 2016",
                     "Kunnskap om praksisutvikling innen levekår og mangfold"):
        assert expected in text, expected


def test_badges_are_sorted_by_surname_in_norwegian_order(public_app, tmp_path):
    add_people(public_app, ["Åse Ås", "Øyvind Østby", "Ærlig Æbeltoft", "Zara Zeta", "Anne Aaberg", "Bjørn Berg",
                            "Hansen, Kari"])
    pdf = render(public_app, layout="single")  # one badge per page: page order is badge order
    surnames = ["Berg", "Hansen", "Zeta", "Æbeltoft", "Østby", "Aaberg", "Ås"]
    found = [[surname for surname in surnames if re.search(rf"(?<!\w){surname}(?!\w)", page)]
             for page in page_texts(pdf, tmp_path)]
    # æ, ø, å come after z; "Aa" is the old spelling of "Å" and sorts with it; "Hansen, Kari" is Hansen.
    assert found == [[surname] for surname in surnames]


@pytest.mark.parametrize("layout, per_page, size", [("a6", 4, (210.0, 297.0)), ("a7", 8, (210.0, 297.0))])
def test_sheet_layouts_put_the_right_number_on_a4(public_app, tmp_path, layout, per_page, size):
    add_people(public_app, [f"Person{number:02d} Testesen" for number in range(per_page + 1)])
    pdf = render(public_app, layout=layout)
    assert page_size_mm(pdf, tmp_path / "size") == size
    assert [len(codes) for codes in qr_codes_per_page(pdf, tmp_path / "pages")] == [per_page, 1]


def test_one_badge_per_page_in_the_chosen_size(public_app, tmp_path):
    add_people(public_app, ["Kari Nordmann", "Ola Nordmann"])
    pdf = render(public_app, layout="single", size="90x55")
    assert page_size_mm(pdf, tmp_path / "size") == (90.0, 55.0)
    assert [len(codes) for codes in qr_codes_per_page(pdf, tmp_path / "pages", dpi=300)] == [1, 1]
    portrait = render(public_app, layout="single", size="62x100")
    assert page_size_mm(portrait, tmp_path / "size2") == (62.0, 100.0)


@pytest.mark.parametrize("size", ["90", "abc", "10x10", "900x900"])
def test_an_impossible_badge_size_is_refused(public_app, size):
    add_people(public_app, ["Kari Nordmann"])
    with pytest.raises(PrintOptionError, match="size="):
        render(public_app, layout="single", size=size)


LONG_NAME = "Maximiliane Alexandra Wolfeschlegelsteinhausenbergerdorff-Ødegård von Hohenzollern-Sigmaringen"
LONG_ORG = ("Arbeids- og velferdsforvaltningen i Nordre Follo, Vestby, Ås og Frogn interkommunale "
            "samarbeid om kvalifisering og oppfølging av unge voksne")


@pytest.mark.parametrize("layout, options", [("a6", {}), ("a7", {}), ("single", {"size": "90x55"})])
def test_very_long_names_shrink_and_wrap_and_stay_on_their_badge(public_app, tmp_path, layout, options):
    add_people(public_app, [
        {"name": LONG_NAME, "organisation": LONG_ORG, "municipality": "Nordre Follo"},
        {"name": "Ola Nordmann", "organisation": "Moss kommune"},
    ])
    pdf = render(public_app, layout=layout, **options)
    words, (page_width, page_height) = words_with_boxes(pdf, tmp_path)
    columns, rows = {"a6": (2, 2), "a7": (2, 4), "single": (1, 1)}[layout]
    cell_width, cell_height = page_width / columns, page_height / rows
    # The long badge sorts first (Hohenzollern-Sigmaringen < Nordmann): page 1, top-left cell.
    first = [word for word in words if word.page == 1 and word.x1 <= cell_width + 1 and word.y1 <= cell_height + 1]
    text = " ".join(word.text for word in first)
    joined = text.replace("- ", "-").replace(" ", "")
    for expected in (LONG_NAME, LONG_ORG, "Nordre Follo"):
        assert expected.replace(" ", "") in joined, expected
    # No word of any badge crosses its cell or the sheet's edge.
    for word in words:
        column, row = int(word.x0 // cell_width), int(word.y0 // cell_height)
        assert word.x1 <= (column + 1) * cell_width + 0.5 and word.y1 <= (row + 1) * cell_height + 0.5, word
        assert word.x0 >= 0 and word.y0 >= 0


def test_only_confirmed_registrations_get_a_badge(public_app, tmp_path):
    add_people(public_app, ["Kari Bekreftet"])
    add_people(public_app, ["Ola Venteliste"], status="waiting")
    add_people(public_app, ["Per Avmeldt"], status="cancelled")
    text = pdf_text(render(public_app), tmp_path)
    assert "Bekreftet" in text and "Venteliste" not in text and "Avmeldt" not in text


def test_printing_for_nobody_says_so(app, tmp_path):
    result, output = print_cli(app, tmp_path, "badges")
    assert result.exit_code == 1
    assert "Ingen har en bekreftet påmelding" in result.output
    assert not output.exists()


def test_print_a_chosen_few(public_app, tmp_path):
    first, second, third = add_people(public_app, ["Anna Aa", "Bjørn Bø", "Cato Ce"])
    codes = codes_by_id(public_app)
    result, output = print_cli(public_app, tmp_path, "badges", f"people={third},{first}")
    assert result.exit_code == 0, result.output
    [page] = qr_codes_per_page(output.read_bytes(), tmp_path / "pages")
    assert sorted(page) == sorted(f"{PUBLIC_BASE}/c/{codes[i]}" for i in (first, third))
    bad, _ = print_cli(public_app, tmp_path, "badges", "people=99999", name="bad.pdf")
    assert bad.exit_code == 1 and "people='99999' is not offered" in bad.output


def test_not_printed_yet_remembers_what_was_printed(public_app, tmp_path):
    [kari] = add_people(public_app, ["Kari Først"])
    assert "Først" in pdf_text(render(public_app, who="unprinted"), tmp_path)
    with pytest.raises(NothingToPrint, match="allerede skrevet ut"):
        render(public_app, who="unprinted")
    [ola] = add_people(public_app, ["Ola Sen"])
    late = pdf_text(render(public_app, who="unprinted"), tmp_path)
    assert "Sen" in late and "Først" not in late
    # A changed name makes the printed badge out of date: it prints again.
    with public_app.app_context():
        from fagkonferanse.registration.models import Registration

        db.session.get(Registration, kari).name = "Kari Endret"
        db.session.commit()
    changed = pdf_text(render(public_app, who="unprinted"), tmp_path)
    assert "Endret" in changed and "Sen" not in changed
    assert ola


def test_a_preview_marks_nothing_as_printed(public_app, admin_client_public, tmp_path):
    add_people(public_app, [f"Person{number} Testesen" for number in range(6)])
    render(public_app, preview=True)
    response = admin_client_public.get("/admin/print/badges/preview.png?who=unprinted")
    assert response.status_code == 200 and response.mimetype == "image/png"
    page = admin_client_public.get("/admin/print/badges/?who=unprinted&_=1").get_data(as_text=True)
    assert "preview.png" in page
    assert page_count(render(public_app, who="unprinted"), tmp_path) == 2  # all six still unprinted


@pytest.fixture
def admin_client_public(public_app):
    from ..conftest import ORGANISER_EMAIL, ORGANISER_PASSWORD, log_in

    with public_app.app_context():
        from fagkonferanse.accounts.services import create_organiser

        create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Ola Arrangør")
        db.session.commit()
    client = public_app.test_client()
    assert log_in(client).status_code == 302
    return client


def test_the_print_centre_offers_people_as_checkboxes_and_downloads_a_selection(public_app, admin_client_public,
                                                                               tmp_path):
    first, second = add_people(public_app, ["Anna Aa", "Bjørn Bø"])
    page = admin_client_public.get("/admin/print/badges/").get_data(as_text=True)
    assert f'type="checkbox" name="people" value="{first}"' in page and "Bø, Bjørn" in page
    _page, pdf = print_in_the_print_centre(admin_client_public, "badges", people=[str(second)], layout="a6")
    text = pdf_text(pdf, tmp_path)
    assert "Bjørn" in text and "Anna" not in text


def test_a_local_address_is_pointed_out_before_printing_badges(app, tmp_path):
    add_people(app, ["Kari Nordmann"])
    result, output = print_cli(app, tmp_path, "badges")
    assert result.exit_code == 0  # the door's scanner still reads the code at the end of the URL
    assert "Warning: QR-kodene på navneskiltene peker til http://127.0.0.1:5000" in result.stderr


def test_no_badge_warning_with_a_public_address(public_app, tmp_path):
    add_people(public_app, ["Kari Nordmann"])
    result, _ = print_cli(public_app, tmp_path, "badges")
    assert result.exit_code == 0 and "Warning" not in result.stderr


@pytest.mark.parametrize("layout, options", [("a6", {}), ("a7", {}), ("single", {"size": "54x86"})])
def test_every_badge_shows_its_door_code_grouped_as_on_the_ticket(public_app, tmp_path, layout, options):
    from fagkonferanse.registration.models import Registration
    from fagkonferanse.registration.tokens import grouped

    ids = add_people(public_app, ["Kari Nordmann", "Ola Nordmann", "Åse Ås"])
    with public_app.app_context():
        codes = [grouped(db.session.get(Registration, number).door_code) for number in ids]
    text = one_line(pdf_text(render(public_app, layout=layout, **options), tmp_path))
    for code in codes:
        assert code in text
