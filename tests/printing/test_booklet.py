"""The booklet (document "booklet", called "catalogue" before): every part regenerated from the
database, a table of contents whose page numbers are where each sheet starts, a new page for
every sheet, running headers and page numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.printing import render_document

from ..conftest import make_app
from ..databases import drop_database, new_database
from .conftest import page_texts, print_cli


@dataclass(frozen=True)
class Booklet:
    pdf: bytes
    pages: list[str]

    def __getitem__(self, index):
        return self.pages[index]


@pytest.fixture(scope="module")
def printed(tmp_path_factory, loaded_database) -> Booklet:
    """The built-in conference's booklet, printed once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("booklet")
    instance = folder / "instance"
    new_database(instance, template=loaded_database)
    app = make_app(instance)
    try:
        result, output = print_cli(app, folder, "booklet")
        assert result.exit_code == 0, result.output
        pdf = output.read_bytes()
        yield Booklet(pdf, page_texts(pdf, folder / "text"))
    finally:
        with app.app_context():
            db.engine.dispose()
        drop_database(instance)


@pytest.fixture
def booklet(printed) -> Booklet:
    return printed


def one_line(text: str) -> str:
    return " ".join(text.split())


def sheets_and_recipes(app) -> tuple[list[tuple[str, str]], list[str]]:
    with app.app_context():
        from fagkonferanse_plugins.catalogue import services

        event = current_event()
        return ([(sheet.owner_name, sheet.project_name) for sheet in services.sheets(event)],
                [recipe.title for recipe in services.recipes(event)])


def toc_number(toc: str, title: str) -> int:
    """The page number the table of contents gives for ``title`` (after its dot leader)."""
    match = re.search(re.escape(one_line(title)) + r"[\s.]*?(\d+)(?:\s|$)", toc)
    assert match, f"{title!r} is not in the table of contents"
    return int(match.group(1))


def body_lines(page: str) -> list[str]:
    """A page's lines without the running header (the first line) and the footer (the last: the
    booklet's title and the page number)."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return lines[1:-1]


def test_the_contents_page_numbers_are_where_each_sheet_starts_on_a_new_page(app, booklet):
    sheets, recipes = sheets_and_recipes(app)
    assert len(sheets) == 19 and len(recipes) == 3
    toc = one_line(booklet[1])
    assert toc.startswith("Innhold")
    numbers = []
    for owner, project in sheets:
        number = toc_number(toc, f"{owner}: {project}")
        numbers.append(number)
        start = " ".join(body_lines(booklet[number - 1])[:4])
        # The sheet starts at the top of that page: its owner, then its name.
        assert one_line(start).startswith(f"{owner.upper()} {one_line(project)}"[:60]), (project, start)
        # ... and the page before it belongs to something else (each sheet on a new page).
        assert not one_line(booklet[number - 2]).endswith(one_line(project))
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for title in recipes:
        number = toc_number(toc, title)
        assert "OPPSKRIFT" in body_lines(booklet[number - 1])[0]


def test_every_part_is_there_in_order(app, booklet):
    text = one_line(" ".join(booklet))
    parts = ["PROGRAM OG PROSJEKTKATALOG", "Innhold", "Forord", "Program", "Standsplassering i H-bygget",
             "Veiviser Bolig for velferd", "Jobbsjansen i Moss"]
    positions = [text.index(part) for part in parts]
    assert positions == sorted(positions)
    for expected in ("onsdag 9. november 2016", "Justisdepartementet (JD) har i samarbeid med Fylkesmannen",
                     "kl. 08.30 Registrering og kaffe/frukt", "kl. 15.00 Vel hjem!",
                     "Moss kommune Trappegangen i 2. etasje 2", "www.veiviseren.no",
                     "Kort beskrivelse av kommunen", "Ønskede mål og resultater", "Kontaktinformasjon",
                     "Vurdering av overførbarhet"):
        assert expected in text, expected


def test_pages_are_numbered_and_carry_running_headers(app, booklet):
    sheets, recipes = sheets_and_recipes(app)
    assert "Innhold" not in booklet[0] and not re.search(r"\n\s*1\s*$", booklet[0])  # the cover: no header, no number
    for number, page in enumerate(booklet[1:], start=2):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        footer = one_line(lines[-1])
        assert footer == f"Kunnskap om praksisutvikling innen levekår og mangfold {number}", footer
    toc = one_line(booklet[1])
    assert one_line(booklet[toc_number(toc, "Program") - 1]).startswith("Program Program")
    owner, project = sheets[1]
    header = booklet[toc_number(toc, f"{owner}: {project}")].splitlines()[0].strip()  # the sheet's second page
    assert header == f"{owner} · {project}"
    longest = max(recipes, key=len)
    long_header = booklet[toc_number(toc, longest) - 1].splitlines()[0].strip()
    assert long_header.startswith("Oppskrift · Oppskrift om") and long_header.endswith(" …")  # cut to one line


def test_edits_in_the_database_show_in_the_next_booklet(app, tmp_path):
    with app.app_context():
        from fagkonferanse_plugins.catalogue.models import ProjectSheet

        sheet = db.session.scalar(db.select(ProjectSheet).where(ProjectSheet.project_name == "Housing First"))
        sheet.project_name = "Housing First – Østfold-modellen"
        hidden = db.session.scalar(db.select(ProjectSheet).where(ProjectSheet.project_name == "Ung i arbeid"))
        hidden.status = "hidden"
        db.session.commit()
    result, output = print_cli(app, tmp_path, "catalogue")  # its earlier name still prints it
    pages = page_texts(output.read_bytes(), tmp_path / "text")
    toc = one_line(pages[1])
    assert "Housing First – Østfold-modellen" in toc and "Ung i arbeid" not in toc
    assert "HOUSING FIRST – ØSTFOLD-MODELLEN" not in toc  # (the owner line is upper case, the name is not)
    number = toc_number(toc, "Moss kommune: Housing First – Østfold-modellen")
    assert "Housing First – Østfold-modellen" in pages[number - 1]


def test_the_preview_lays_out_only_the_cover(app, tmp_path):
    from ..pdftools import page_count

    with app.app_context():
        pdf = render_document("booklet", current_event(), {}, preview=True)
    assert page_count(pdf, tmp_path) == 1
    assert "PROGRAM OG PROSJEKTKATALOG" in page_texts(pdf, tmp_path)[0]


def test_the_floor_plan_is_drawn_not_a_black_box(booklet, tmp_path):
    from ..pdftools import pdf_pages

    number = next(index for index, page in enumerate(booklet.pages, start=1)
                  if "Standsplassering i H-bygget" in page and "Virksomhet" in page)
    [image] = pdf_pages(booklet.pdf, tmp_path, dpi=40, first=number, last=number)
    dark = sum(image.histogram()[:60]) / (image.width * image.height)
    assert dark < 0.08  # an unstyled SVG fills the plan black (about a fifth of the page)


def test_the_stands_page_draws_each_floor_from_the_same_plan_as_the_web(booklet):
    number = next(index for index, page in enumerate(booklet.pages)
                  if "Standsplassering i H-bygget" in page and "Virksomhet" in page)
    text = " ".join(" ".join(booklet.pages[number:number + 2]).split())
    assert "Nr. Virksomhet Standplass Etasje 1 Sarpsborg kommune Gangen utenfor H-113 1" in text
    assert "Planen er skjematisk" in text
    for words in ("1. etasje", "Kaffebaren", "Inngangen", "Trappen", "2. etasje", "3. etasje", "Fredrikstad kommune"):
        assert words in text, words
    assert "Du er her" not in text  # the booklet is not at any stand
