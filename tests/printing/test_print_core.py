"""The print core as documents use it: names and options, warnings, atomic output, rendering in
worker processes, and the text-fitting and sorting helpers the badges rely on."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from fagkonferanse.printing import (PrintOptionError, find_document, printable_documents, resolve_options,
                                    write_atomically)
from fagkonferanse.printing import parallel
from fagkonferanse.printing.fit import fit_text, lines_needed, pieces
from fagkonferanse.plugin_types import PrintableDocument, PrintOption

from ..pdftools import decode_qr_codes, pdf_pages, pdf_text
from .conftest import add_people, print_cli


def test_unknown_document_names_list_the_available_ones(app, tmp_path):
    result, output = print_cli(app, tmp_path, "badgse")
    assert result.exit_code == 1
    assert "no printable document called 'badgse'; available: badges, booklet, posters, programme" in result.output
    assert not output.exists()


def test_every_document_is_in_the_print_centre(admin_client):
    page = admin_client.get("/admin/print/").get_data(as_text=True)
    for name, title in (("badges", "Navneskilt"), ("posters", "Standplakater"),
                        ("booklet", "Programhefte og prosjektkatalog"), ("programme", "Program (A4)")):
        assert f'href="/admin/print/{name}/"' in page and title in page


def test_multiple_choice_options_check_every_value(app):
    document = PrintableDocument("x", "X", lambda event, options: b"", options=(
        PrintOption("people", "People", (("1", "One"), ("2", "Two")), multiple=True),
        PrintOption("size", "Size", (("a3", "A3"), ("a4", "A4")), default="a4"),
    ))
    assert resolve_options(document, {"people": " 2, 1,"}) == {"people": "2,1", "size": "a4"}
    assert resolve_options(document, {}) == {"people": "", "size": "a4"}
    with pytest.raises(PrintOptionError, match="people='3' is not offered; choose one of: 1, 2"):
        resolve_options(document, {"people": "1,3"})
    with pytest.raises(PrintOptionError, match="size=''"):
        resolve_options(document, {"size": ""})


def test_long_lists_of_choices_are_cut_short_in_messages(app):
    choices = tuple((str(number), f"Person {number}") for number in range(100))
    document = PrintableDocument("x", "X", lambda event, options: b"",
                                 options=(PrintOption("people", "People", choices, multiple=True),))
    with pytest.raises(PrintOptionError, match=r"18, 19 … \(80 more\)"):
        resolve_options(document, {"people": "100"})


def test_a_failed_render_leaves_the_output_file_untouched(app, tmp_path, monkeypatch):
    add_people(app, ["Kari Nordmann"])
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "navneskilt.pdf"
    output.write_bytes(b"yesterday's badges")

    def broken(chunk, roots):
        raise RuntimeError("the printer caught fire")

    monkeypatch.setattr(parallel, "render_chunk", broken)
    result = app.test_cli_runner().invoke(args=["print", "badges", "-o", str(output)])
    assert isinstance(result.exception, RuntimeError)
    assert output.read_bytes() == b"yesterday's badges"
    assert [path.name for path in folder.iterdir()] == ["navneskilt.pdf"]


def test_a_failed_write_leaves_no_half_written_file(tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def fail(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"old" and [path.name for path in tmp_path.iterdir()] == ["out.pdf"]


def chunk(number: int) -> parallel.Chunk:
    html = (f'<html><body><p>Chunk {number}</p><img class="qr" style="width:40mm" src="qr:0">'
            f'<p style="break-before: page">Chunk {number} page two</p></body></html>')
    return parallel.Chunk(html, (f"https://konferanse.example.no/c/chunk{number}",))


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_chunks_laid_out_in_worker_processes_come_back_in_order(app, tmp_path, monkeypatch, method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context(method))
    pdf = parallel.render_chunks((chunk(number) for number in range(5)), count=5, workers=2)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert text == " ".join(f"Chunk {n} Chunk {n} page two" for n in range(5))
    codes = [decode_qr_codes(image) for image in pdf_pages(pdf, tmp_path, dpi=100)]
    assert codes == [item for n in range(5) for item in ([f"https://konferanse.example.no/c/chunk{n}"], [])]


def test_a_threaded_process_does_not_fork_workers(monkeypatch):
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 3)
    assert parallel._context().get_start_method() in ("forkserver", "spawn")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    assert parallel._context().get_start_method() == "fork"


def test_text_fits_by_shrinking_before_breaking_words():
    fitted = fit_text("Øyvind Hansen", 89, 36, 30, 7, weight="bold")
    assert fitted.size == 30 and not fitted.breaks_words
    long_word = fit_text("Wolfeschlegelsteinhausenbergerdorff", 50, 20, 30, 6, weight="bold")
    assert long_word.size < 12 and not long_word.breaks_words  # smaller, but whole
    broken = fit_text("x" * 200, 40, 15, 20, 5, weight="bold")
    assert broken.breaks_words and broken.height_mm() <= 15
    hopeless = fit_text("x" * 200, 40, 15, 20, 8, weight="bold")  # the box grows rather than cutting text
    assert hopeless.size == 8 and hopeless.height_mm() > 15
    assert pieces("Anne Aas-Berg 1-2") == [("Anne", True), ("Aas-", True), ("Berg", False), ("1-2", True)]
    assert lines_needed([("Kort", "bold")], 100, 12) == 1
    assert lines_needed([("ord " * 60, "regular")], 50, 12) > 5


def test_norwegian_alphabetical_order(app):
    from fagkonferanse.collation import collation_key, split_name, surname_key

    names = ["Øyvind Østby", "Åse Ås", "Zara Zeta", "Ærlig Æbeltoft", "Émile Eide", "Anne Aaberg", "Olga Ödegaard",
             "Марія Шевченко", "Bjørn Berg"]
    ordered = [name.split()[-1] for name in sorted(names, key=surname_key)]
    assert ordered == ["Berg", "Eide", "Zeta", "Æbeltoft", "Ödegaard", "Østby", "Aaberg", "Ås", "Шевченко"]
    assert collation_key("Hansen") == collation_key("hansen")
    assert split_name("van der Berg, Anna") == ("van der Berg", "Anna")
    assert split_name("  Kari   Nordmann ") == ("Nordmann", "Kari")
    assert split_name("李小龙") == ("李小龙", "")


def test_cut_marks_sit_on_the_cut_lines(app):
    from urllib.parse import unquote

    from fagkonferanse_plugins.badges.layouts import layout

    a6 = unquote(layout("a6").cut_marks_uri())
    assert "M105 0v8" in a6 and "M0 148.5h8" in a6 and "M102 148.5h6" in a6
    a7 = layout("a7")
    assert a7.cut_lines() == ([105.0], [74.25, 148.5, 222.75])
    assert layout("single", "90x55").cut_marks is False


def test_documents_are_listed_once_each(app):
    with app.app_context():
        names = list(printable_documents())
    assert sorted(names) == ["badges", "booklet", "posters", "programme", "report"]


def test_the_booklet_answers_to_its_earlier_name(app, admin_client, runner):
    """The booklet was "catalogue" on the command line: scripts and bookmarks keep working."""
    with app.app_context():
        assert find_document("catalogue").name == "booklet"
    response = admin_client.get("/admin/print/catalogue/?language=en")
    assert response.status_code == 308
    assert response.headers["Location"] == "/admin/print/booklet/?language=en"


def test_print_help_lists_every_document(runner):
    result = runner.invoke(args=["print", "--help"])
    assert result.exit_code == 0
    listed = result.output.split("Documents:", 1)[1]
    assert "booklet (or catalogue)" in listed and "Programme booklet and project catalogue" in listed
    for name in ("badges", "posters", "programme"):
        assert f"  {name} " in listed
    assert "-O layout=a6|a7|single" in listed


def test_print_qr_codes_have_exactly_the_qrcode_packages_modules():
    import random
    import string

    from qrcode import QRCode
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.util import MODE_8BIT_BYTE, QRData

    from fagkonferanse.printing import fastqr

    def reference(text: str, mask: int) -> list[list[bool]]:
        payload = text.encode()
        code = QRCode(version=fastqr.version_for(len(payload)), error_correction=ERROR_CORRECT_M,
                      mask_pattern=mask, border=4)
        code.add_data(QRData(payload, mode=MODE_8BIT_BYTE))
        code.make(fit=False)
        return code.get_matrix()

    rng = random.Random(2016)
    alphabet = string.ascii_letters + string.digits + "æøåÆØÅ/:?=&-_.Марія李"
    for length in [*range(0, 120), 150, 300, 700, 1500]:
        text = "".join(rng.choice(alphabet) for _ in range(length))
        for mask in (0, fastqr.MASK, 7):
            assert fastqr.qr_matrix(text, mask) == reference(text, mask), (length, mask)
    with pytest.raises(fastqr.DataTooLong):
        fastqr.version_for(3000)


def test_print_qr_code_pngs_decode(tmp_path):
    import io

    from PIL import Image

    from fagkonferanse.printing import fastqr

    url = "https://konferanse.example.no/c/abcdefghijklmnopqrstuvwxyz234567"
    image = Image.open(io.BytesIO(fastqr.png_1bit(fastqr.qr_matrix(url))))
    assert image.mode == "1" and image.size == (45, 45)  # version 5 plus the 4-module quiet zone
    assert decode_qr_codes(image.convert("L").resize((450, 450), Image.NEAREST)) == [url]
