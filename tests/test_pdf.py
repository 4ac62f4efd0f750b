"""The shared PDF and QR helpers: real text, exact QR codes, and no fetching outside the assets."""

from __future__ import annotations

import io
import logging

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from fagkonferanse.pdf import STATIC_DIR, html_to_pdf
from fagkonferanse.qr import qr_png, qr_svg

from .pdftools import decode_qr_codes, page_count, pdf_pages, pdf_text

URL = "https://konferanse.example.no/stands/moss-kommune?from=poster"
FONTS = '<style>@font-face { font-family: P; src: url("fonts/DejaVuSans.ttf"); } body { font-family: P; }</style>'


def test_png_code_is_one_pixel_per_module_with_a_quiet_zone_and_decodes():
    image = Image.open(io.BytesIO(qr_png(URL)))
    assert image.mode == "1" or image.mode == "L"
    pixels = image.convert("L")
    width, _ = pixels.size
    assert all(pixels.getpixel((x, y)) == 255 for x in range(width) for y in range(4))  # quiet zone
    big = pixels.resize((width * 8, width * 8), Image.NEAREST)
    assert decode_qr_codes(big) == [URL]


def test_svg_code_is_labelled_and_carries_the_data(app):
    svg = str(qr_svg(URL, label="QR-kode til standen"))
    assert 'aria-label="QR-kode til standen"' in svg and 'shape-rendering="crispEdges"' in svg
    assert URL not in svg  # the data is in the modules only


def test_pdf_text_is_real_text_with_norwegian_letters(tmp_path, app):
    pdf = html_to_pdf(f"{FONTS}<p>Øyvind, Synnøve og Bjørn på Høgskolen i Østfold – Марія 李</p>")
    text = pdf_text(pdf, tmp_path)
    assert "Øyvind, Synnøve og Bjørn på Høgskolen i Østfold" in text
    assert "Марія" in text


def test_printed_qr_code_decodes_from_the_rasterised_page(tmp_path, app):
    from fagkonferanse.qr import qr_png_data_uri

    html = f'<img class="qr" style="width:40mm;image-rendering:pixelated" src="{qr_png_data_uri(URL)}">'
    pdf = html_to_pdf(html)
    assert page_count(pdf, tmp_path) == 1
    assert decode_qr_codes(pdf_pages(pdf, tmp_path)[0]) == [URL]


def test_network_and_foreign_files_are_never_fetched(tmp_path, app, caplog, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        html_to_pdf(
            f'<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
            f'<link rel="stylesheet" href="file://{secret}">'
            f'<img src="file:///etc/passwd"><p>ok</p>'
        )
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "network" in messages and "not one of the project's assets" in messages


def attachments(pdf: bytes) -> list[tuple[str, bytes]]:
    """The files embedded in a PDF (what a reader's attachment pane shows)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [(document.get_attachment(i).get_name(), bytes(document.get_attachment(i).get_data()))
                for i in range(document.count_attachments())]
    finally:
        document.close()


def test_a_fragment_cannot_smuggle_a_system_file_past_the_asset_check(app, caplog):
    """``#`` kept the static folder in the checked path while urllib opened /etc/passwd."""
    evil = f"file:///etc/passwd#/../..{STATIC_DIR}/style.css"
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = html_to_pdf(f'<link rel="attachment" href="{evil}"><link rel="stylesheet" href="{evil}">'
                          f'<img src="{evil}"><p>ok</p>')
    assert attachments(pdf) == []
    assert b"root:x:0:0" not in pdf
    assert "a file URL with a host, query or fragment is not an asset" in caplog.text


@pytest.mark.parametrize("url", [
    f"file:///etc/passwd?/../..{STATIC_DIR}/style.css",
    f"file://localhost{STATIC_DIR}/style.css",
    f"file://fileserver{STATIC_DIR}/style.css",
    f"{STATIC_DIR.as_uri()}/../../../../../../etc/passwd",
    "file:///etc/passwd",
])
def test_file_urls_with_a_host_query_or_outside_path_are_not_attached(app, url):
    assert attachments(html_to_pdf(f'<link rel="attachment" href="{url}"><p>ok</p>')) == []


def test_a_real_asset_is_still_attached_and_read_in_full(app):
    """The control for the tests above: the check refuses what it should, not everything."""
    style = STATIC_DIR / "style.css"
    pdf = html_to_pdf(f'<link rel="attachment" href="{style.as_uri()}"><p>ok</p>')
    assert attachments(pdf) == [("style.css", style.read_bytes())]


def test_a_symlink_inside_an_asset_folder_leading_outside_is_refused(tmp_path, caplog):
    root, outside = tmp_path / "assets", tmp_path / "private"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("hemmelig")
    (root / "own.txt").write_text("eget")
    (root / "link.txt").symlink_to(outside / "secret.txt")
    html = (f'<link rel="attachment" href="{(root / "link.txt").as_uri()}">'
            f'<link rel="attachment" href="{(root / "own.txt").as_uri()}"><p>ok</p>')
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = html_to_pdf(html, roots=[root])
    assert attachments(pdf) == [("own.txt", b"eget")]
    assert f"refused to read {outside / 'secret.txt'}: not one of the project's assets" in caplog.text
