"""The public floor plan as attendees get it: every floor with its places, the stands as links,
stairs between floors, a legend and a list; a stand's floor with the stand pointed out, and
"Du er her" after a poster's code — a page the cache may keep, as it holds nothing personal."""

from __future__ import annotations

import re

from fagkonferanse.resources import PACKAGE_DIR
from fagkonferanse.venue.plan import SMALLEST_TEXT

from ..admin.conftest import text


def floor_section(page: str, number: int) -> str:
    return page.split(f'<section class="fp-floor" id="etasje-h-bygget-{number}"', 1)[1].split("</section>", 1)[0]


def test_each_floor_is_drawn_with_its_places_and_stands(client):
    page = client.get("/stands").get_data(as_text=True)
    first = floor_section(page, 1)
    for name in ("H-113", "Gangen utenfor H-113", "Gangen ved kaffebaren", "Kaffebaren", "Inngangen", "Trappen"):
        assert f">{name}</tspan>" in first, name
    assert re.findall(r'<a class="fp-stand[^"]*" href="(/stands/[a-z-]+)"', first) == [
        "/stands/sarpsborg-kommune", "/stands/halden-kommune", "/stands/husbanken"]
    assert re.search(r'<text class="fp-stand-name" [^>]*font-size="20" font-weight="bold" fill="#1d2330">Husbanken</text>',
                     first)
    assert '<title id="etasje-h-bygget-1-title">Plan over 1. etasje, H-bygget</title>' in first
    assert 'role="group" aria-labelledby="etasje-h-bygget-1-title"' in first


def test_the_plan_says_it_is_schematic_and_what_it_assumes(client):
    page = client.get("/stands").get_data(as_text=True)
    assert "Planen er skjematisk: den viser hvor standene er i forhold til hverandre, ikke byggets virkelige form." in page
    assert page.count('<p class="fp-schematic">Skjematisk plan</p>') == 3
    assert "Heftet sier ikke hvilken etasje kaffebaren er i" in floor_section(page, 1)
    assert "heftet nevner bare trappegangen i denne etasjen" in floor_section(page, 2)


def test_the_stairs_lead_to_the_floors_above_and_below(client):
    page = client.get("/stands").get_data(as_text=True)
    assert re.findall(r'class="fp-stairs-link" href="([^"]+)" aria-label="([^"]+)"', page) == [
        ("#etasje-h-bygget-2", "Trapp opp til 2. etasje"),
        ("#etasje-h-bygget-3", "Trapp opp til 3. etasje"), ("#etasje-h-bygget-1", "Trapp ned til 1. etasje"),
        ("#etasje-h-bygget-2", "Trapp ned til 2. etasje")]
    assert re.findall(r'<a href="(#etasje-[^"]+)">', page) == [
        "#etasje-h-bygget-1", "#etasje-h-bygget-2", "#etasje-h-bygget-3"]  # the floor tabs


def test_a_legend_and_the_list_say_the_same_in_words(client):
    page = text(client.get("/stands"))
    assert "Stand, med nummeret i listen Rom Gang Trappegang Inngang Kaffebar" in page
    assert ("Standene som liste Nr. Virksomhet Standplass Etasje 1 Sarpsborg kommune Gangen utenfor H-113 1 "
            "2 Halden kommune Gangen ved kaffebaren 1 3 Husbanken H-113 1 4 Moss kommune Trappegangen i 2. etasje 2 "
            "5 Fredrikstad kommune Trappegangen i 3. etasje 3") in page


def test_no_text_on_the_plan_is_drawn_under_12_css_px(client):
    """Every text is SMALLEST_TEXT plan units or more, and the page never shows a plan unit
    smaller than 12/SMALLEST_TEXT px (its min-width; the browser test measures it on screen)."""
    page = client.get("/stands").get_data(as_text=True)
    plans = re.findall(r'<svg [^>]*class="fp-svg".*?</svg>', page, re.S)
    assert len(plans) == 3
    sizes = [float(size) for plan in plans for size in re.findall(r'font-size="([\d.]+)"', plan)]
    assert min(sizes) == SMALLEST_TEXT == 16
    css = (PACKAGE_DIR / "static" / "plan.css").read_text(encoding="utf-8")
    assert "min-width: calc(var(--fp-width) * 0.75px)" in css  # 16 × 0.75 = 12
    widths = re.findall(r'style="--fp-width: ([\d.]+)"', page)
    minimums = re.findall(r'data-min-width="(\d+)"', page)
    assert [round(float(width) * 0.75) for width in widths] == [int(value) for value in minimums]


def test_a_stands_page_shows_its_floor_with_the_stand_pointed_out(client):
    page = client.get("/stands/moss-kommune").get_data(as_text=True)
    assert page.count('<section class="fp-floor"') == 1 and "Her står standen: 2. etasje" in page
    assert '<a class="fp-stand fp-pointed" href="/stands/moss-kommune"' in page
    assert 'href="/stands#etasje-h-bygget-3"' in page and 'href="/stands#etasje-h-bygget-1"' in page
    assert "Du er her" not in page


def test_from_the_poster_the_page_says_du_er_her_at_the_stand(client):
    page = client.get("/stands/moss-kommune?fra=plakat").get_data(as_text=True)
    assert "<strong>Du er her:</strong> ved standen til Moss kommune (nr. 4 på planen)." in page
    here = re.search(r'<g class="fp-here">.*?</g>', page).group(0)
    assert ">Du er her</text>" in here
    marker = re.search(r'<a class="fp-stand fp-pointed" href="/stands/moss-kommune" transform="translate\(([\d.]+) ([\d.]+)\)"', page)
    tip = re.search(r'<path d="M[\d.]+ [\d.]+L([\d.]+) ([\d.]+)L', here)
    distance = abs(float(tip.group(1)) - float(marker.group(1))) + abs(float(tip.group(2)) - float(marker.group(2)))
    assert distance <= 21  # the tag's point touches the stand's marker
    assert page.index('<section class="fp-floor"') < page.index("Prosjekter på standen")  # the plan comes first


def test_the_poster_page_is_cached_like_any_page_and_apart_from_the_plain_one(client):
    assert client.get("/stands/husbanken?fra=plakat").headers["X-Page-Cache"] == "miss"
    again = client.get("/stands/husbanken?fra=plakat")
    assert again.headers["X-Page-Cache"] == "hit" and "Du er her:" in again.get_data(as_text=True)
    plain = client.get("/stands/husbanken")
    assert "Du er her" not in plain.get_data(as_text=True)
    assert "Du er her" not in client.get("/stands/husbanken?fra=noe-annet").get_data(as_text=True)


def test_in_english_the_plan_is_english_and_marks_norwegian_names(client):
    client.set_cookie("lang", "en")
    page = client.get("/stands/husbanken?fra=plakat").get_data(as_text=True)
    assert ">You are here</text>" in page and "Plan of floor 1, H-bygget" in page
    assert '<text class="fp-place-name" text-anchor="middle" font-size="20" font-weight="bold" fill="#1d2330" lang="nb">' in page
    assert 'fill="#1d2330" lang="nb">Husbanken</text>' in page
