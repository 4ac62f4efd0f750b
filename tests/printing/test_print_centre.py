"""The print centre: organisers choose a document, preview page 1 and download the PDF (made in the
background: tests/printing/test_print_jobs.py)."""

from __future__ import annotations

import io

from PIL import Image

from ..conftest import make_app
from ..pdftools import pdf_text
from .conftest import print_in_the_print_centre


def test_print_centre_lists_the_documents(admin_client):
    page = admin_client.get("/admin/print/").get_data(as_text=True)
    assert "Program (A4)" in page
    assert 'href="/admin/print/programme/"' in page


def test_preview_shows_page_one_as_an_image(admin_client):
    page = admin_client.get("/admin/print/programme/?_=1").get_data(as_text=True)
    assert 'src="/admin/print/programme/preview.png"' in page
    response = admin_client.get("/admin/print/programme/preview.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    width, height = image.size
    assert width == 800 and abs(height / width - 297 / 210) < 0.01  # an A4 page


def test_download_needs_the_csrf_token_and_gives_the_pdf(admin_client, tmp_path):
    assert admin_client.post("/admin/print/programme/download").status_code == 400
    page, pdf = print_in_the_print_centre(admin_client, "programme")
    assert "PDF-en er klar." in page
    assert "Vel hjem!" in pdf_text(pdf, tmp_path)


def test_unknown_document_is_a_404(admin_client):
    assert admin_client.get("/admin/print/nothing/").status_code == 404


def test_options_are_checked(tmp_path, instance):
    from pathlib import Path

    local_plugins = Path(__file__).resolve().parents[1] / "local_plugins"
    app = make_app(instance, PLUGIN_FOLDERS=[str(local_plugins)])
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["print", "programme", "-O", "layout=a7", "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 1 and "has no option 'layout'" in bad.output
    malformed = runner.invoke(args=["print", "programme", "-O", "layout", "-o", str(tmp_path / "x.pdf")])
    assert malformed.exit_code == 2 and "KEY=VALUE" in malformed.output
    assert not (tmp_path / "x.pdf").exists()
