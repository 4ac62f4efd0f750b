"""Every public page answers with the conference's content, in Norwegian and in English."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from fagkonferanse.programme import views as programme_views

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ["Kunnskap om praksisutvikling innen levekår og mangfold", "onsdag 9. november 2016",
               "Høgskolen i Østfold, H-bygget", "Forord", "Justisdepartementet"]),
        ("/programme", ["kl. 08.30", "Registrering og kaffe/frukt", "kl. 15.00", "Vel hjem!",
                        "Moss og Rygge", "Erna Haug", "Øyvind Grandahl"]),
        ("/speakers", ["Berit Eivi Nilsen", "Synnøve Seljeflot", "Husbanken"]),
        ("/stands", ["Standsplassering i H-bygget", "Husbanken", "H-113", "Gangen utenfor H-113",
                     "Trappegangen i 3. etasje", "<svg",
                     '<title id="etasje-h-bygget-1-title">Plan over 1. etasje, H-bygget</title>', "Skjematisk plan"]),
        ("/stands/moss-kommune", ["Moss kommune", "Trappegangen i 2. etasje", "2. etasje"]),
    ],
)
def test_public_page_shows_its_content(client, path, expected):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="nb">' in page
    for text in expected:
        assert text in page, text


def test_programme_item_page(client):
    page = client.get("/programme").get_data(as_text=True)
    assert 'href="/programme/' in page
    item_page = client.get("/programme/8").get_data(as_text=True)
    assert "Lansering av Veiviseren" in item_page
    assert "kl. 10.55–11.15" in item_page


def test_unknown_pages_get_a_styled_404(client):
    for path in ("/nowhere", "/stands/no-such-stand", "/programme/9999", "/programme/99999999999999999999999"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Fant ikke siden" in response.get_data(as_text=True)
        assert "style.css" in response.get_data(as_text=True)


def test_programme_marks_now_and_next_on_the_day(client, monkeypatch):
    monkeypatch.setattr(programme_views, "local_now", lambda event: dt.datetime(2016, 11, 9, 10, 40))
    page = client.get("/programme").get_data(as_text=True)
    now_at = page.index('aria-current="time"')
    assert page.index("Pause", now_at) < page.index("Lansering av Veiviseren", now_at)
    assert page.count('aria-current="time"') == 1
    assert ">Neste<" in page


def test_programme_has_no_marker_on_other_days(client, monkeypatch):
    monkeypatch.setattr(programme_views, "local_now", lambda event: dt.datetime(2026, 11, 26, 10, 40))
    page = client.get("/programme").get_data(as_text=True)
    assert 'aria-current="time"' not in page
    assert '<span class="badge now">' not in page and '<span class="badge next">' not in page  # all hidden


def test_language_switch_keeps_the_page_and_shows_english(client):
    response = client.get("/language/en?next=/stands")
    assert response.status_code == 302
    assert response.headers["Location"] == "/stands"
    page = client.get("/stands").get_data(as_text=True)
    assert '<html lang="en">' in page
    # The building's name is Norwegian: read with a Norwegian voice inside the English heading.
    assert 'Stand placement in <span lang="nb">H-bygget</span>' in page
    assert "Wednesday 9 November 2016" in page
    assert "Norsk (bokmål)" in page


def test_language_switch_refuses_to_redirect_off_site(client):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get("/language/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_every_block_of_the_stylesheet_is_closed():
    """An unclosed ``@media print {`` once swallowed every rule after it (they applied only on paper)."""
    text = (ROOT / "src" / "fagkonferanse" / "static" / "style.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", lambda comment: "\n" * comment.group().count("\n"), text, flags=re.S)
    depth = 0
    for number, line in enumerate(css.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"line {number}: a closing brace too many"
    assert depth == 0, "a block is left open"


def test_static_stylesheet_is_served_locally(client):
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert b"--accent" in response.data
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.split("<body>")[0] and "https://" not in page.split("<body>")[0]
