"""The public pages in English: English content where an organiser gave it, Norwegian marked
``lang="nb"`` where not, and never the English text on a Norwegian page (issue 13).
"""

from __future__ import annotations

import re

import pytest

from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem, Speaker
from fagkonferanse.stands.models import Stand
from fagkonferanse.venue.models import Location

EVENT_TITLE_EN = "Knowledge of practice development in living conditions and diversity"
FOREWORD_EN = "The Ministry of Justice runs a trial in Østfold.\n\nWe thank the municipalities."
ITEM_TITLE_EN = "The SE method – theory and practice"
ITEM_DESCRIPTION_EN = "Introduced by Erna Haug (HiØ)."
ROLE_EN = "Associate professor"
STAND_TEXT_EN = "Meet the Veiviser guide to housing."
CORRIDOR_EN = "Corridor outside H-113"
ENGLISH_TEXTS = (EVENT_TITLE_EN, "The Ministry of Justice", ITEM_TITLE_EN, ITEM_DESCRIPTION_EN, ROLE_EN,
                 STAND_TEXT_EN, CORRIDOR_EN)


@pytest.fixture
def english_content(app):
    """Some content with an English version, some without, as an organiser would leave it."""
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        event.title_en, event.foreword_en = EVENT_TITLE_EN, FOREWORD_EN
        talk = db.session.get(ProgrammeItem, 4)  # "SE metodikken – teori og praksis"
        talk.title_en, talk.description_en = ITEM_TITLE_EN, ITEM_DESCRIPTION_EN
        erna = db.session.scalar(db.select(Speaker).where(Speaker.name == "Erna Haug"))
        erna.role, erna.role_en = "Førsteamanuensis", ROLE_EN
        christian = db.session.scalar(db.select(Speaker).where(Speaker.name == "Christian Ebeltoft"))
        christian.role = "Rådgiver"
        husbanken = db.session.scalar(db.select(Stand).where(Stand.slug == "husbanken"))
        husbanken.short_text, husbanken.short_text_en = "Møt Veiviseren.", STAND_TEXT_EN
        sarpsborg = db.session.scalar(db.select(Stand).where(Stand.slug == "sarpsborg-kommune"))
        sarpsborg.short_text = "Kom og snakk med oss."
        corridor = db.session.scalar(db.select(Location).where(Location.name == "Gangen utenfor H-113"))
        corridor.name_en = CORRIDOR_EN
        db.session.commit()


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_front_page_in_english(english_content, english):
    html = page(english, "/")
    assert f"<title>{EVENT_TITLE_EN}</title>" in html
    assert re.search(rf'<a class="site-title" href="/"><img [^>]*alt=""[^>]*><span>{EVENT_TITLE_EN}</span></a>', html)
    assert f"<h1>{EVENT_TITLE_EN}</h1>" in html
    assert "<p>The Ministry of Justice runs a trial in Østfold.</p>" in html
    assert "<p>We thank the municipalities.</p>" in html
    assert "Justisdepartementet" not in html
    # The signature exists only in Norwegian.
    assert '<p class="signature" lang="nb">Hilsen Fylkesmannen i Østfold' in html


def test_the_front_page_without_english_versions_marks_the_norwegian(english):
    html = page(english, "/")
    assert "<title>Kunnskap om praksisutvikling innen levekår og mangfold</title>" in html
    assert ('<h1><span lang="nb">Kunnskap om praksisutvikling innen levekår og mangfold</span></h1>'
            in html)
    assert '<p lang="nb">Justisdepartementet (JD) har i samarbeid med' in html


def test_an_item_page_in_english(english_content, english):
    html = page(english, "/programme/4")
    assert f"<title>{ITEM_TITLE_EN} – {EVENT_TITLE_EN}</title>" in html
    assert f'<h1><span lang="nb">Moss og Rygge</span> – {ITEM_TITLE_EN}</h1>' in html
    assert f"<p>{ITEM_DESCRIPTION_EN}</p>" in html
    assert "SE metodikken" not in html and "Introduseres av" not in html


def test_an_item_without_english_shows_the_norwegian_marked(english_content, english):
    html = page(english, "/programme/5")
    assert '<h1><span lang="nb">Fredrikstad</span> – <span lang="nb">Barnefattigdom</span></h1>' in html
    assert "<title>Barnefattigdom – " in html


def test_speakers_in_english(english_content, english):
    html = page(english, "/speakers")
    assert f'<p>{ROLE_EN}, <span lang="nb">Høgskolen i Østfold</span></p>' in html
    assert '<p><span lang="nb">Rådgiver</span>, <span lang="nb">Høgskolen i Østfold</span></p>' in html
    assert f"09.35 {ITEM_TITLE_EN}</a>" not in html  # the English clock
    assert f"09:35 {ITEM_TITLE_EN}</a>" in html
    assert '09:55 <span lang="nb">Barnefattigdom</span></a>' in html


def test_stands_in_english(english_content, english):
    html = page(english, "/stands")
    assert f"<td>{CORRIDOR_EN}</td>" in html
    assert '<td><span lang="nb">Gangen ved kaffebaren</span></td>' in html
    assert '<a href="/stands/husbanken"><span lang="nb">Husbanken</span></a>' in html
    # The floor plan's labels say which language they are in, too.
    assert re.search(rf'<text class="fp-place-name"[^>]*fill="#1d2330"><tspan[^>]*>{CORRIDOR_EN}</tspan></text>', html)
    assert re.search(r'<text class="fp-place-name"[^>]* lang="nb"><tspan[^>]*>Gangen ved kaffebaren</tspan></text>', html)

    assert f"<p>{STAND_TEXT_EN}</p>" in page(english, "/stands/husbanken")
    sarpsborg = page(english, "/stands/sarpsborg-kommune")
    assert '<p lang="nb">Kom og snakk med oss.</p>' in sarpsborg
    assert (f'<p class="lead">Stand location: {CORRIDOR_EN}, floor 1, <span lang="nb">H-bygget</span></p>'
            in sarpsborg)


def test_the_catalogue_marks_its_norwegian_content(english):
    html = page(english, "/stands/husbanken")
    assert '<h1><span lang="nb">Husbanken</span></h1>' in html
    assert '<h2><span lang="nb">Veiviser Bolig for velferd</span></h2>' in html  # a catalogue page's title
    assert '<h3 lang="nb">Alt på ett sted</h3>' in html
    sheet = page(english, "/catalogue")
    assert '<p class="sheet-summary" lang="nb">' in sheet
    first = re.search(r'href="(/catalogue/[a-z0-9-]+)"><span lang="nb">', sheet)
    assert first, "a project's name is marked Norwegian"
    one = page(english, first.group(1))
    assert re.search(r'<h2 id="[a-z]+-heading">[A-Z][a-z]', one)  # headings are translated …
    assert re.search(r'</h2>\s*<p lang="nb">', one)  # … the text under them is Norwegian


@pytest.mark.parametrize("path", ["/", "/programme/4", "/programme/5", "/speakers", "/stands",
                                  "/stands/husbanken", "/stands/sarpsborg-kommune", "/catalogue"])
def test_a_norwegian_page_never_shows_english_content(english_content, client, path):
    html = page(client, path)
    assert '<html lang="nb">' in html
    for text in ENGLISH_TEXTS:
        assert text not in html, f"{text!r} on {path}"
    assert 'lang="nb"' not in html.split("\n", 2)[2], "nothing is foreign on a Norwegian page"

