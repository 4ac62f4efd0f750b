"""axe-core on every page, at phone and desktop widths: no serious or critical violations."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE, axe_violations, log_in

PUBLIC_PAGES = ["/", "/programme", "/programme/mine", "/programme/4", "/speakers", "/stands", "/stands/husbanken",
                "/login", "/ticket/lost", "/does-not-exist", "/screen", "/screen/h-113"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_public_pages_have_no_serious_violations(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    problems = {}
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "nb"
        found = axe_violations(page)
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


def test_english_pages_mark_their_norwegian_content_and_have_no_serious_violations(browser, live_server):
    """In English the content without an English version is Norwegian inside lang="nb" (issue 13)."""
    context = browser.new_context(viewport=PHONE, locale="en-GB", bypass_csp=True)  # axe is injected
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server.url}])
    page = context.new_page()
    problems = {}
    for path in ["/", "/programme/5", "/speakers", "/stands", "/stands/husbanken", "/catalogue"]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("main [lang='nb']").count() > 0, path
        found = axe_violations(page)
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_mitt_program_and_the_parallel_grid_have_no_serious_violations(browser, two_rooms_server, live_server,
                                                                        viewport):
    """The two-room programme with overlapping items starred (warnings shown), "Mitt program"
    with them, and a ticket page with its "Mitt program" section and calendar link (on the 2016
    demo, where registration is open)."""
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(two_rooms_server.url + "/programme")
    for title in ("Tidlig innsats for barn", "Verksted: Samordnede tilskudd"):
        page.get_by_role("button", name=f"Stjernemerk «{title}»").click()
    page.get_by_text("Overlapper med «Tidlig innsats for barn»").wait_for()
    problems = {"/programme": axe_violations(page)}
    page.goto(two_rooms_server.url + "/programme/mine")
    page.get_by_text("Overlapper med «Verksted: Samordnede tilskudd»").wait_for()
    problems["/programme/mine"] = axe_violations(page)
    page.goto(live_server.url + "/programme")
    page.get_by_role("button", name="Stjernemerk «Jobbsjansen»").click()
    page.goto(live_server.url + "/register")
    page.get_by_label("Navn").fill("Aksel Tilgjengelig")
    page.get_by_label("E-post").fill(f"aksel.{viewport['width']}@example.no")
    page.get_by_label("Organisasjon / arbeidsgiver").fill("Moss kommune")
    page.get_by_label("Jeg har lest personvernerklæringen").check()
    page.get_by_role("button", name="Meld meg på").click()
    page.wait_for_url("**/ticket/**")
    page.get_by_role("button", name="Lag kalenderlenke").click()
    page.get_by_text("Stjernene i denne nettleseren og på billetten er de samme.").wait_for()
    problems["ticket"] = axe_violations(page)
    context.close()
    assert {path: found for path, found in problems.items() if found} == {}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_organiser_pages_have_no_serious_violations(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    log_in(page, live_server.url)
    links = page.eval_on_selector_all("nav a[href^='/admin']", "links => links.map(a => a.getAttribute('href'))")
    assert len(links) >= 3
    problems = {}
    for path in dict.fromkeys(links):
        page.goto(live_server.url + path)
        found = axe_violations(page)
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


def test_skip_link_and_visible_focus(desktop, live_server):
    desktop.goto(live_server.url + "/programme")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til innholdet"
    outline = desktop.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("location.hash") == "#main"


def test_floor_plan_has_a_text_alternative(desktop, live_server):
    """Each floor's picture is a named group whose stands are links with their names, and the
    same stands are a table under it (issue 15)."""
    desktop.goto(live_server.url + "/stands")
    svg = desktop.locator("#etasje-h-bygget-3 svg.fp-svg")
    assert svg.get_attribute("role") == "group"
    assert desktop.locator("#" + svg.get_attribute("aria-labelledby")).text_content() == "Plan over 3. etasje, H-bygget"
    assert desktop.locator("#etasje-h-bygget-3").get_by_role("link", name="5 Fredrikstad kommune").count() == 1
    table = desktop.get_by_role("table", name="Standene som liste")
    assert table.get_by_role("row").count() == 6 and "Husbanken" in table.text_content()
