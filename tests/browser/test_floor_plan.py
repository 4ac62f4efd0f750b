"""The floor plan in a real browser: readable on a 390 px phone (no text under 12 CSS px, nothing
scrolls sideways but the plan's own box), "Du er her" in view after a poster's code, a stand
placed on the plan by the keyboard alone, and axe-core finding nothing serious."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, axe_violations, log_in

# Measured on screen: the rendered size of every text of the page, SVG text scaled by its
# viewBox and transforms (the computed font-size of SVG text is in its own units).
SMALLEST_TEXT = """() => {
  const sizes = [];
  for (const t of document.querySelectorAll('svg.fp-svg text')) {
    const scale = t.getScreenCTM().a;
    sizes.push([parseFloat(getComputedStyle(t).fontSize) * scale, t.textContent.trim()]);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!node.textContent.trim() || element.closest('svg') || element.closest('[hidden]')) continue;
    if (element.closest('.visually-hidden, .skip-link')) continue;
    if (!element.getClientRects().length) continue;
    sizes.push([parseFloat(getComputedStyle(element).fontSize), node.textContent.trim().slice(0, 30)]);
  }
  sizes.sort((a, b) => a[0] - b[0]);
  return sizes[0];
}"""


def shoot(page, name: str, tmp_path: Path) -> None:
    """A full-page screenshot, kept where FAGKONFERANSE_SHOTS says (else with the test's files)."""
    folder = Path(os.environ.get("FAGKONFERANSE_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path", ["/stands", "/stands/husbanken?fra=plakat", "/stands/moss-kommune?fra=plakat"])
def test_on_a_phone_no_text_is_under_12_px_and_only_the_plan_scrolls_sideways(browser, live_server, path, tmp_path):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    size, words = page.evaluate(SMALLEST_TEXT)
    assert size >= 12 - 0.01, (size, words)
    canvas = page.locator(".fp-canvas").first
    assert canvas.evaluate("c => getComputedStyle(c).overflowX") == "auto"  # a wide plan pans in its box
    assert canvas.get_attribute("tabindex") == "0"  # and the keyboard can scroll it
    if path == "/stands":  # the first floor is wider than a phone at 12 px text: it does pan, and says so
        assert canvas.evaluate("c => c.scrollWidth > c.clientWidth")
        assert page.locator("#etasje-h-bygget-1 .fp-scroll-hint").is_visible()
    shoot(page, "plan-phone-" + re.sub(r"\W+", "-", path.strip("/")), tmp_path)
    context.close()


def test_from_a_poster_the_stand_and_du_er_her_are_in_view_on_a_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/stands/husbanken?from=poster")
    assert page.url.endswith("/stands/husbanken?fra=plakat")
    assert page.get_by_text("Du er her:", exact=True).is_visible()
    canvas = page.locator(".fp-canvas").bounding_box()
    for selector in (".fp-here", ".fp-pointed circle"):
        box = page.locator(selector).bounding_box()
        assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"], selector
    context.close()


def test_the_zoom_buttons_zoom_and_come_back(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + "/stands")
    svg = page.locator("#etasje-h-bygget-1 svg.fp-svg")
    before = svg.bounding_box()["width"]
    page.locator("#etasje-h-bygget-1").get_by_role("button", name="Zoom inn").click()
    assert svg.bounding_box()["width"] == pytest.approx(before * 1.4, abs=2)
    page.locator("#etasje-h-bygget-1").get_by_role("button", name="Zoom ut").click()
    page.locator("#etasje-h-bygget-1").get_by_role("button", name="Zoom ut").click()
    assert svg.bounding_box()["width"] < before  # the whole floor at once, if the reader asks for it
    page.locator("#etasje-h-bygget-1").get_by_role("button", name="Vanlig størrelse").click()
    assert svg.bounding_box()["width"] == pytest.approx(before, abs=1)
    context.close()


def test_a_stand_is_placed_on_the_plan_by_the_keyboard_alone(browser, live_server, tmp_path):
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/plans")
    page.get_by_role("link", name="Rediger planen 1. etasje").click()
    marker = page.get_by_role("button", name="3 Husbanken", exact=True)
    stand_id = marker.get_attribute("data-stand-id")
    x, y = float(marker.get_attribute("data-x")), float(marker.get_attribute("data-y"))
    for _ in range(120):  # Tab from the top of the page until the stand has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('data-stand-id')") == stand_id:
            break
    else:
        pytest.fail("Tab never reached the stand on the plan")
    for key in ["ArrowRight"] * 4 + ["ArrowDown"] * 2 + ["Shift+ArrowRight"]:
        page.keyboard.press(key)
    shoot(page, "plan-editor-moving", tmp_path)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expected = (x + 4 * 5 + 25, y + 2 * 5)
    assert page.url.endswith(f"#stand-marker-{stand_id}")
    expect(page.get_by_text(f"Standen til Husbanken er flyttet til {expected[0]:g}, {expected[1]:g} (H-113).")).to_be_visible()
    assert page.evaluate("document.activeElement.getAttribute('data-stand-id')") == stand_id  # focus kept
    saved = page.get_by_role("button", name="3 Husbanken", exact=True)
    assert (float(saved.get_attribute("data-x")), float(saved.get_attribute("data-y"))) == expected
    assert (page.locator(f"#stand-{stand_id}-x").input_value(), page.locator(f"#stand-{stand_id}-y").input_value()) == (
        f"{expected[0]:g}", f"{expected[1]:g}")
    # Escape undoes a move that was not saved.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    assert float(saved.get_attribute("data-x")) == expected[0]
    shoot(page, "plan-editor-desktop", tmp_path)
    # The attendees' plan has the stand where it was put.
    page.goto(live_server.url + "/stands")
    moved = page.locator("a.fp-stand[href='/stands/husbanken']").get_attribute("transform")
    assert moved == f"translate({expected[0]:g} {expected[1]:g})"
    context.close()


def test_a_stand_is_placed_by_dragging_too(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/plans")
    page.get_by_role("link", name="Rediger planen 1. etasje").click()
    marker = page.get_by_role("button", name="2 Halden kommune", exact=True)
    page.locator(".fp-canvas").scroll_into_view_if_needed()
    box = marker.locator("circle").bounding_box()
    target = page.locator('.fp-place:has(tspan:text-is("Kaffebaren")) polygon').first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=8)
    with page.expect_navigation():
        page.mouse.up()
    assert page.get_by_text("Standen til Halden kommune er flyttet til").is_visible()
    assert "(Kaffebaren)." in page.locator(".flash").first.text_content()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_plan_pages_have_no_serious_violations(browser, live_server, viewport, tmp_path):
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    problems = {}
    for path in ["/stands", "/stands/husbanken?fra=plakat", "/stands/moss-kommune"]:
        page.goto(live_server.url + path)
        problems[path] = axe_violations(page)
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/plans")
    problems["/admin/plans"] = axe_violations(page)
    page.get_by_role("link", name="Rediger planen 1. etasje").click()
    problems["editor"] = axe_violations(page)
    page.get_by_role("button", name="Tegn rektangel").click()
    problems["editor, drawing"] = axe_violations(page)
    shoot(page, f"plan-editor-{viewport['width']}", tmp_path)
    context.close()
    assert {where: found for where, found in problems.items() if found} == {}
