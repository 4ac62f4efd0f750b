"""The programme PDF and the booklet in English (``-O language=en``, or the print centre's choice):
fixed texts and dates in English, content in English where an organiser gave it, Norwegian
marked ``lang="nb"`` where not; Norwegian by default (issue 13)."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_babel import force_locale

from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.programme.services import programme_items

from ..pdftools import pdf_text
from .conftest import page_texts, print_cli, print_in_the_print_centre

EVENT_EN = "Knowledge of practice development"
FOREWORD_EN = "The Ministry of Justice runs a trial in Østfold.\n\nWe thank the municipalities."
TITLE_EN = "The SE method – theory and practice"
DESCRIPTION_EN = "Introduced by Erna Haug (HiØ)."


@pytest.fixture
def english_content(app):
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        event.title_en, event.foreword_en = EVENT_EN, FOREWORD_EN
        talk = db.session.get(ProgrammeItem, 4)  # SE metodikken – teori og praksis
        talk.title_en, talk.description_en = TITLE_EN, DESCRIPTION_EN
        db.session.commit()


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_programme_pdf_in_english(app, english_content, tmp_path):
    result, output = print_cli(app, tmp_path, "programme", "language=en")
    assert result.exit_code == 0, result.output
    text = words(pdf_text(output.read_bytes(), tmp_path))
    for expected in (
        f"{EVENT_EN} Wednesday 9 November 2016 · Høgskolen i Østfold, H-bygget Programme",
        f"09:35 Moss og Rygge – {TITLE_EN} by Erna Haug and Christian Ebeltoft {DESCRIPTION_EN}",
        "09:55 Fredrikstad – Barnefattigdom by Rebecca Brierley",  # no English version: Norwegian
        "15:00 Vel hjem!",
    ):
        assert expected in text, expected
    assert "SE metodikken" not in text and "kl." not in text and "onsdag" not in text


def test_the_programme_pdf_is_norwegian_by_default(app, english_content, tmp_path):
    result, output = print_cli(app, tmp_path, "programme")
    assert result.exit_code == 0, result.output
    text = words(pdf_text(output.read_bytes(), tmp_path))
    assert "kl. 09.35 Moss og Rygge – SE metodikken – teori og praksis v/ Erna Haug og Christian Ebeltoft" in text
    for english in (EVENT_EN, TITLE_EN, DESCRIPTION_EN, "Programme", "Wednesday"):
        assert english not in text


def test_the_programme_pdf_marks_the_norwegian_it_prints_in_english(app, english_content):
    with app.app_context(), force_locale("en"):
        html = render_template("programme_pdf/programme.html", event=db.session.scalar(db.select(Event)),
                               items=programme_items(db.session.scalar(db.select(Event))))
    assert '<html lang="en">' in html
    assert f"<h1>{EVENT_EN}</h1>" in html
    assert f"– {TITLE_EN}" in html and f'<span class="people">{DESCRIPTION_EN}</span>' in html
    assert '<span class="presenter"><span lang="nb">Fredrikstad</span></span> – <span lang="nb">Barnefattigdom</span>' in html


def test_a_language_not_offered_is_refused(app, tmp_path):
    result, output = print_cli(app, tmp_path, "programme", "language=de")
    assert result.exit_code == 1
    assert "language='de' is not offered; choose one of: nb, en" in result.output
    assert not output.exists()


def test_the_booklet_in_english(app, english_content, tmp_path):
    result, output = print_cli(app, tmp_path, "booklet", "language=en")
    assert result.exit_code == 0, result.output
    pages = [words(page) for page in page_texts(output.read_bytes(), tmp_path / "pages")]
    assert pages[0].startswith(f"PROGRAMME AND PROJECT CATALOGUE {EVENT_EN} Wednesday 9 November 2016")
    assert "Contents Foreword" in pages[1] and "Stand placement in H-bygget" in pages[1]
    foreword = next(page for page in pages if page.startswith("Foreword"))
    assert "The Ministry of Justice runs a trial in Østfold. We thank the municipalities. Hilsen" in foreword
    assert "Justisdepartementet" not in " ".join(pages)
    programme = next(page for page in pages if page.startswith("Programme"))
    assert f"09:35 Moss og Rygge – {TITLE_EN}" in programme and "09:55 Fredrikstad – Barnefattigdom" in programme
    # A project sheet: headings translated, its text as written, in Norwegian.
    sheet = next(page for page in pages if "Jobbsjansen i Moss" in page and "Funding scheme" in page)
    assert "Brief description of the municipality" in sheet
    assert "Arbeidsmarkedet preges av at man er gått fra flere store bedrifter" in sheet


def test_the_print_centre_offers_the_language_and_prints_in_it(admin_client, english_content, tmp_path):
    page = admin_client.get("/admin/print/programme/").get_data(as_text=True)
    assert '<label for="preview-language">Språk</label>' in page
    assert '<option value="nb" selected>Norsk (bokmål)</option><option value="en">English</option>' in page
    preview = admin_client.get("/admin/print/programme/?language=en&_=1").get_data(as_text=True)
    assert '<input type="hidden" name="language" value="en">' in preview
    job_page, pdf = print_in_the_print_centre(admin_client, "programme", language="en")
    assert pdf is not None, job_page
    text = words(pdf_text(pdf, tmp_path))
    assert f"Moss og Rygge – {TITLE_EN}" in text and "Wednesday 9 November 2016" in text
