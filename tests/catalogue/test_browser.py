"""The catalogue in a real browser: axe-core finds no serious problems, on a phone or a desktop.

``bypass_csp`` lets the test inject axe-core; the pages themselves need no inline script.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..browser.conftest import DESKTOP, PHONE, axe_violations, browser, live_server, log_in  # noqa: F401

PUBLIC = ["/catalogue", "/catalogue?q=bolig&scheme=jobbsjansen", "/catalogue/moss-housing-first",
          "/catalogue/sarpsborg-jobbsjansen", "/catalogue/oppskrift/oppskrift-halden-en-dor-inn",
          "/catalogue/side/veiviser-bolig-for-velferd", "/catalogue/funding", "/catalogue/funding/jobbsjansen",
          "/stands/moss-kommune"]
SLUG = "halden-en-dor-inn"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_public_catalogue_pages_have_no_serious_violations(browser, live_server, viewport):  # noqa: F811
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    problems = {}
    for path in PUBLIC:
        page.goto(live_server.url + path)
        if found := axe_violations(page):
            problems[path] = found
    context.close()
    assert problems == {}


def test_organiser_and_exhibitor_pages_have_no_serious_violations(browser, live_server):  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url)
    problems = {}
    for path in (f"/admin/catalogue/{SLUG}", f"/admin/catalogue/{SLUG}/links"):
        page.goto(live_server.url + path)
        if found := axe_violations(page):
            problems[path] = found
    page.get_by_label("Gyldig i antall dager").fill("7")
    page.get_by_role("button", name="Lag lenke").click()
    if found := axe_violations(page):
        problems["link created"] = found
    link = page.locator("#exhibitor-link").input_value()
    exhibitor_context = browser.new_context(viewport=PHONE, locale="nb-NO", bypass_csp=True)
    exhibitor = exhibitor_context.new_page()
    assert link.startswith(live_server.url + "/catalogue/edit/")
    exhibitor.goto(link)
    if found := axe_violations(exhibitor):
        problems["exhibitor form"] = found
    exhibitor.get_by_label("Prosjektnavn").fill("En dør inn – bolig først")
    exhibitor.get_by_label("Ditt navn").fill("Kristian Marhaug")
    exhibitor.get_by_role("button", name="Send forslaget").click()
    expect(exhibitor.get_by_role("heading", name="Takk for forslaget")).to_be_visible()
    exhibitor_context.close()
    page.goto(live_server.url + "/admin/catalogue")
    page.get_by_role("link", name="«En dør inn» fra Kristian Marhaug").click()
    if found := axe_violations(page):
        problems["review"] = found
    page.get_by_role("button", name="Godkjenn forslaget").click()
    page.goto(live_server.url + f"/catalogue/{SLUG}")
    assert page.get_by_role("heading", level=1).inner_text() == "En dør inn – bolig først"
    context.close()
    assert problems == {}
