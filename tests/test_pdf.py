"""The shared PDF and QR helpers: real text, exact QR codes, and no fetching outside the assets."""

from __future__ import annotations

import io
import logging

import zxingcpp
from PIL import Image

from fagkonferanse.pdf import html_to_pdf
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
