"""The site looks designed at a phone's width and a laptop's: every main page is photographed
whole, and each photo is checked for what a visitor would notice first.

At 390 × 844 (a phone) and 1366 × 900 (a laptop): nothing scrolls sideways; at 390 px no text
is smaller than 12 CSS pixels (SVG text measured as drawn, after the viewBox's scaling); axe-core
finds no serious or critical WCAG 2.1 AA problem. The ticket's details keep each word, and the
e-mail address each part of it, on one line. The screenshots are written to a temporary folder,
or to ``$FAGKONFERANSE_SCREENSHOTS`` when it is set (to look at them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import axe_violations, log_in

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "laptop": LAPTOP}
PUBLIC = {
    "home": "/",
    "programme": "/programme",
    "stands": "/stands",
    "stand-from-poster": "/stands/husbanken?fra=plakat",
    "catalogue": "/catalogue",
    "register": "/register",
}
LONG_ADDRESS = "kari.nordmann.halvorsen@fredrikstad.kommune.no"

# Every visible text node whose drawn size is under 12 px ([text, size, in SVG]).
SMALL_TEXT = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!element || !node.textContent.trim()) continue;
    if (element.closest('.visually-hidden, .reg-hidden, [hidden], title, desc, script, style')) continue;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width === 0 || box.height === 0) continue;
    let size = parseFloat(style.fontSize);
    const inSvg = element instanceof SVGElement;
    if (inSvg && element.getScreenCTM()) {
      const matrix = element.getScreenCTM();
      size *= Math.hypot(matrix.a, matrix.b);
    }
    if (size < 11.99) found.push([node.textContent.trim().slice(0, 40), Math.round(size * 10) / 10, inSvg]);
  }
  return found;
}"""

# Words (and e-mail address parts between <wbr>s) that a line break cuts in two; a break after a
# word's own hyphen ("e-|posten") is a Norwegian line break, not a cut.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const match of node.textContent.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("FAGKONFERANSE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


def look_at(page, name: str, size: str, shots: Path) -> dict:
    """Photograph the page whole and report what a visitor would notice."""
    page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=True)
    small = page.evaluate(SMALL_TEXT) if size == "phone" else []
    return {
        "sideways": page.evaluate(SCROLLS_SIDEWAYS),
        "small html text": [text for text in small if not text[2]],
        "small svg text": [text for text in small if text[2]],
        "axe": axe_violations(page),
    }


@pytest.mark.parametrize("size", SIZES)
def test_public_pages_at_phone_and_laptop_width(browser, live_server, shots, size):
    context = browser.new_context(viewport=SIZES[size], locale="nb-NO", bypass_csp=True,
                                  is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    problems = {}
    for name, path in PUBLIC.items():
        page.goto(live_server.url + path)
        found = look_at(page, name, size, shots)
        problems[name] = {key: value for key, value in found.items() if value}
    context.close()
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize("size", SIZES)
def test_the_ticket_keeps_its_words_whole(browser, live_server, shots, size):
    context = browser.new_context(viewport=SIZES[size], locale="nb-NO", bypass_csp=True,
                                  is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.goto(live_server.url + "/register")
    page.get_by_label("Navn").fill("Kari Nordmann-Halvorsen")
    page.get_by_label("E-post").fill(size + "." + LONG_ADDRESS)
    page.get_by_label("Organisasjon / arbeidsgiver").fill("Fredrikstad kommune, enhet for bosetting og integrering")
    consent = page.get_by_label("Jeg har lest personvernerklæringen")
    box = consent.locator("xpath=ancestor::div[contains(@class, 'check')]").bounding_box()
    assert box["height"] >= 44  # the checkbox's whole line is the target
    consent.check()
    page.get_by_role("button", name="Meld meg på").click()
    page.wait_for_url("**/ticket/**")
    found = look_at(page, "ticket", size, shots)
    address = page.locator(".reg-data dd", has_text="@").first
    assert address.inner_text().replace("\n", "") == size + "." + LONG_ADDRESS
    assert page.evaluate(BROKEN_WORDS, ".reg-data dd, .notice p") == []
    context.close()
    assert {key: value for key, value in found.items() if value} == {}


def test_a_checkbox_sits_beside_its_label(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/register")
    box = page.locator("#lunch").bounding_box()
    label = page.locator("label[for=lunch]").bounding_box()
    context.close()
    assert label["x"] > box["x"] + box["width"]  # beside, not under
    assert abs((label["y"] + label["height"] / 2) - (box["y"] + box["height"] / 2)) < 2  # centred on its line
    assert label["height"] >= 44


@pytest.mark.parametrize("size", SIZES)
def test_organisers_dashboard_at_phone_and_laptop_width(browser, live_server, shots, size):
    context = browser.new_context(viewport=SIZES[size], locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/")
    found = look_at(page, "dashboard", size, shots)
    menu = page.get_by_role("navigation", name="Arrangørmeny")
    if size == "phone":  # folded into one button; opened, it shows every group
        assert not menu.is_visible()
        page.get_by_text("Arrangørmeny", exact=True).click()
        page.screenshot(path=str(shots / "dashboard-menu-phone.png"), full_page=True)
    assert menu.get_by_role("link", name="Innsjekking").is_visible()
    assert [group.inner_text() for group in menu.locator(".nav-group-title").all()] == [
        "PROGRAM", "PERSONER", "STANDS OG KATALOG", "UTSKRIFT", "DØRA", "INNSTILLINGER"]
    context.close()
    assert {key: value for key, value in found.items() if value} == {}
