"""Badges printed on arrival through the door device's browser, in a real Chromium on the real door
page: a scan there is announced as ``fk:door-checked-in`` by the door's own script, the badges
plugin's script asks the server and prints the PDF (the test also announces check-ins itself).

Headless Chromium would crash printing a PDF, so an init script stands in for ``window.print`` in
every frame and notes which document it was called for.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from fagkonferanse.checkin.models import DoorScan
from fagkonferanse.extensions import db
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.tokens import grouped

from ..pdftools import page_count, pdf_text
from ..printing.conftest import page_size_mm
from .conftest import DESKTOP, PHONE, axe_violations, log_in
from .test_door_offline import database, scan  # noqa: F401  (database: the live server's, a fixture)

PRINT_STAND_IN = """
window.print = function () {
  var top = window.top;
  (top.__prints = top.__prints || []).push(String(window.location.href));
};
"""
NO_PDF_VIEWER = "Object.defineProperty(Navigator.prototype, 'pdfViewerEnabled', {get: function () { return false; }});"


@pytest.fixture
def door_desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    context.add_init_script(PRINT_STAND_IN)
    yield context.new_page()
    context.close()


@pytest.fixture
def door_phone(browser):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    context.add_init_script(PRINT_STAND_IN + NO_PDF_VIEWER)
    yield context.new_page()
    context.close()


def wait_until(page, expression: str, timeout: float = 30) -> None:
    """Poll ``expression`` in the page until it is true (the site's CSP forbids the string
    predicates of ``wait_for_function``, which Playwright evaluates as code)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)


def switch_on(page, base_url: str, size: str = "90x55") -> None:
    page.goto(base_url + "/admin/badges/settings")
    page.get_by_label("Én gang, hvis navneskiltet ikke er skrevet ut (eller er endret siden)").check()
    page.get_by_label("Størrelse på etiketten (mm)").fill(size)
    page.get_by_label("Skriver på serveren (CUPS)").fill("")
    page.get_by_role("button", name="Lagre innstillingene").click()
    expect(page.get_by_text("Innstillingene er lagret.")).to_be_visible()


def add_attendee(page, base_url: str, name: str, role: str = "Automatisk") -> int:
    """An organiser adds someone with a role on the attendee page; their registration number."""
    page.goto(base_url + "/admin/attendees/new")
    page.get_by_label("Navn", exact=True).fill(name)
    page.get_by_label("Rolle på navneskiltet").select_option(label=role)
    page.get_by_role("button", name="Lagre").click()
    number = int(re.search(r"/admin/attendees/(\d+)$", page.url).group(1))
    return number


def announce_check_in(page, registration_id: int, scan_id: str) -> None:
    page.evaluate("""([id, scan]) => {
        window.__badge = new Promise((resolve) => document.addEventListener("fk:badge-print",
            (event) => resolve(event.detail), {once: true}));
        document.dispatchEvent(new CustomEvent("fk:door-checked-in",
            {detail: {registration_id: id, scan_id: scan}}));
    }""", [registration_id, scan_id])


def test_a_scan_at_the_door_prints_the_badge_in_a_print_dialog_on_the_door_device(door_desktop, live_server,
                                                                                  database, tmp_path):
    kari = database.register("Kari Nordmann", "kari.badge@example.no", "Halden kommune")

    def make_her_an_organiser():
        db.session.get(Registration, kari["id"]).role = "arrangor"
        db.session.commit()

    database.query(make_her_an_organiser)
    page = door_desktop
    log_in(page, live_server.url)
    switch_on(page, live_server.url)
    page.goto(live_server.url + "/admin/checkin")
    assert page.locator('script[src*="/admin/badges/static/door.js"]').count() == 1
    page.locator("#door[data-kept=yes]").wait_for(timeout=20_000)

    # The door's own script announces the check-in; the badges script asks and prints.
    with page.expect_request("**/admin/badges/arrival") as asked, page.expect_response("**/print.pdf") as answer:
        scan(page, grouped(kari["door_code"]), "checked_in")
    assert asked.value.method == "POST" and f'name="registration_id"\r\n\r\n{kari["id"]}' in asked.value.post_data
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    pdf = page.request.get(response.url).body()  # the frame's own copy went to the PDF viewer
    assert page_count(pdf, tmp_path) == 1 and page_size_mm(pdf, tmp_path / "size") == (90.0, 55.0)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Kari Nordmann" in text and "Arrangør" in text and grouped(kari["door_code"]) in text

    wait_until(page, "window.__prints && window.__prints.length === 1")
    url = page.locator("#badge-print-frame").get_attribute("src")
    assert page.evaluate("window.__prints")[0].endswith(url) and url.endswith("/print.pdf")
    assert page.get_by_role("status").filter(has_text="Navneskiltet til Kari Nordmann er klart til utskrift.").count() == 1
    wait_until(page, "document.activeElement && document.activeElement.id === 'scan-code'")
    scan_id = database.query(lambda: db.session.scalar(db.select(DoorScan.scan_id).where(
        DoorScan.registration_id == kari["id"])))

    # The same check-in announced again prints nothing more.
    with page.expect_response("**/admin/badges/arrival") as again:
        announce_check_in(page, kari["id"], scan_id)
    assert again.value.json() == {"print": False, "reason": "same_scan", "message": ""}
    page.wait_for_timeout(300)
    assert len(page.evaluate("window.__prints")) == 1
    # Another check-in later: "once" knows the badge is printed.
    with page.expect_response("**/admin/badges/arrival") as later:
        announce_check_in(page, kari["id"], "door-2:0007")
    assert later.value.json()["reason"] == "printed"
    expect(page.get_by_text("Navneskiltet til Kari Nordmann er skrevet ut fra før.")).to_be_visible()


def test_a_phone_without_a_pdf_viewer_gets_a_button_that_opens_the_badge(door_phone, live_server):
    page = door_phone
    log_in(page, live_server.url)
    switch_on(page, live_server.url)
    person = add_attendee(page, live_server.url, "Ola Telefon")
    page.goto(live_server.url + "/admin/checkin")
    announce_check_in(page, person, "phone-1:0001")
    detail = page.evaluate("window.__badge")
    assert detail["via"] == "link"
    link = page.get_by_role("link", name="Skriv ut navneskiltet til Ola Telefon")
    assert link.get_attribute("href") == detail["url"] and link.get_attribute("target") == "_blank"
    assert page.locator("#badge-print-frame").count() == 0
    assert not page.evaluate("window.__prints")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_badge_settings_pass_axe(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    try:
        log_in(page, live_server.url)
        for path in ("/admin/badges/settings", "/admin/badges"):
            page.goto(live_server.url + path)
            assert axe_violations(page) == [], path
    finally:
        context.close()


def test_a_door_started_offline_prints_the_badges_of_its_queued_scans_once_they_are_sent(
        browser, live_server, database):
    """The door page kept for offline use keeps the badges script too: a scan queued while the
    network was cut prints its badge when the scan reaches the server."""
    from .test_door_offline import cut_network, restore_network

    lars = database.register("Lars Offline", "lars.badge@example.no")
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    context.add_init_script(PRINT_STAND_IN)
    page = context.new_page()
    try:
        log_in(page, live_server.url)
        switch_on(page, live_server.url)
        page.goto(live_server.url + "/admin/checkin")
        page.locator("#door[data-kept=yes]").wait_for(timeout=20_000)
        cut_network(live_server, page)
        page.reload()  # started again without a network: the kept page and its scripts
        assert page.locator('script[src*="/admin/badges/static/door.js"]').count() == 1
        scan(page, lars["door_code"], "checked_in")
        page.wait_for_timeout(500)
        assert not page.evaluate("window.__prints")
        restore_network(live_server, page)
        wait_until(page, "window.__prints && window.__prints.length === 1")
        expect(page.get_by_text("Navneskiltet til Lars Offline er klart til utskrift.")).to_be_visible()
    finally:
        context.close()
