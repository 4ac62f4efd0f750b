"""The programme on the day, live, in real browsers against a real server whose clock starts at
10.40 on 9 November 2016 (``FAGKONFERANSE_NOW``).

An organiser on a phone taps "+10 min" on the dashboard and confirms; a programme page open in
another browser shows the banner and the moved times within five seconds, without a reload.
"""

from __future__ import annotations

import time

import pytest

from ..liveserver import start_live_server
from .conftest import DESKTOP, PHONE, log_in

LIVE_WITHIN_SECONDS = 5


@pytest.fixture(scope="module")
def server_at_ten_forty(tmp_path_factory):
    server = start_live_server(tmp_path_factory.mktemp("day") / "instance",
                               {"FAGKONFERANSE_NOW": "2016-11-09T10:40"})
    yield server
    server.stop()


def item_row(page, title: str):
    return page.locator("li.programme-item", has=page.get_by_role("link", name=title, exact=True))


def test_now_and_next_follow_the_clock_without_a_reload(browser, server_at_ten_forty):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server_at_ten_forty.url + "/programme")
    pause = item_row(page, "Pause")
    assert "is-now" in pause.get_attribute("class") and pause.get_attribute("aria-current") == "time"
    assert pause.locator(".badge.now").is_visible()
    assert item_row(page, "Lansering av Veiviseren").locator(".badge.next").is_visible()
    # Move the page's clock past 10.55: the marker moves on by itself.
    page.evaluate("""() => { const real = Date.now; Date.now = () => real() + 16 * 60 * 1000; }""")
    item_row(page, "Lansering av Veiviseren").locator(".badge.now").wait_for(state="visible", timeout=3000)
    assert not pause.locator(".badge.now").is_visible()
    assert item_row(page, "En dør inn").locator(".badge.next").is_visible()
    context.close()


def test_an_organiser_on_a_phone_shifts_the_day_and_open_programmes_follow(browser, server_at_ten_forty):
    attendee = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    programme = attendee.new_page()
    programme.goto(server_at_ten_forty.url + "/programme")
    programme.evaluate("() => { window.notReloaded = true; }")
    assert programme.locator(".delay-banner").count() == 0

    organiser = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    phone = organiser.new_page()
    log_in(phone, server_at_ten_forty.url)
    phone.goto(server_at_ten_forty.url + "/admin/")
    assert phone.get_by_text("Er dere forsinket?").is_visible()
    phone.get_by_role("button", name="+10 min").click()  # first tap: what moves
    phone.get_by_role("button", name="Flytt 10 punkter og si fra til deltakerne").click()  # second tap
    phone.wait_for_url("**/admin/")
    moved_at = time.monotonic()

    banner = programme.locator(".delay-banner")
    banner.wait_for(state="visible", timeout=LIVE_WITHIN_SECONDS * 1000)
    seen_after = time.monotonic() - moved_at
    assert "Programmet er forskjøvet 10 minutter fra kl. 10.35." in banner.inner_text()
    assert "kl. 10.45–11.05" in item_row(programme, "Pause").locator(".time").inner_text()
    assert programme.evaluate("() => window.notReloaded") is True  # swapped in, not reloaded
    assert seen_after < LIVE_WITHIN_SECONDS
    attendee.close()
    organiser.close()


def test_after_the_day_the_programme_is_an_archive(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="nb-NO")
    page = context.new_page()
    page.goto(live_server.url + "/programme")
    assert page.get_by_text("Konferansen ble holdt onsdag 9. november 2016.").is_visible()
    assert page.locator(".badge.now:visible, .badge.next:visible").count() == 0
    page.goto(live_server.url + "/")
    assert page.get_by_text("Konferansen ble holdt onsdag 9. november 2016.", exact=False).is_visible()
    context.close()
