"""The programme PDF: one A4 page with the booklet's times, titles, speakers and municipalities."""

from __future__ import annotations

from ..pdftools import page_count, pdf_text


def test_programme_is_one_a4_page_with_the_booklets_content(app, tmp_path):
    output = tmp_path / "programme.pdf"
    result = app.test_cli_runner().invoke(args=["print", "programme", "-o", str(output)])
    assert result.exit_code == 0, result.output
    pdf = output.read_bytes()
    assert page_count(pdf, tmp_path) == 1
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for expected in (
        "Kunnskap om praksisutvikling innen levekår og mangfold",
        "onsdag 9. november 2016 · Høgskolen i Østfold, H-bygget",
        "kl. 08.30 Registrering og kaffe/frukt",
        "kl. 09.35 Moss og Rygge – SE metodikken – teori og praksis",
        "Synnøve Seljeflot og Bente Klingenberg",
        "kl. 11.15 Halden – En dør inn",
        "kl. 15.00 Vel hjem!",
    ):
        assert expected in text, expected


def test_programme_is_listed_as_a_builtin_plugin(app):
    result = app.test_cli_runner().invoke(args=["plugins"])
    assert "programme_pdf  [built-in]\n    printable_documents, template_folders\n" in result.output
