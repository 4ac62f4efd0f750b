"""In a real browser: registering on a phone, the ticket, the door with and without JavaScript,
and axe-core on every page this issue adds (no serious or critical WCAG 2.1 AA violations)."""

from __future__ import annotations

import re

import pytest

from ..browser.conftest import DESKTOP, PHONE, axe_violations, browser, live_server, log_in  # noqa: F401
from .qrdecode import decode_svg


def register_on(page, base_url: str, email: str) -> str:
    page.goto(base_url + "/register")
    page.get_by_label("Navn").fill("Марія Øyvind")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Organisasjon / arbeidsgiver").fill("Moss kommune")
    page.get_by_label("Jeg har lest personvernerklæringen").check()
    page.get_by_role("button", name="Meld meg på").click()
    page.wait_for_url("**/ticket/**")
    return page.url


def test_registering_on_a_phone_and_the_ticket(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True,
                                  bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(live_server.url + "/register")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Meld meg på").click()
    assert page.locator(".error").count() >= 3
    assert axe_violations(page) == []
    ticket = register_on(page, live_server.url, "maria.phone@example.no")
    assert page.locator("svg.qr").is_visible()
    box = page.locator("svg.qr").bounding_box()
    assert box["width"] >= 150 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert axe_violations(page) == []
    for path in ("/edit", "/cancel", "/delete"):
        page.goto(ticket + path)
        assert axe_violations(page) == [], path
    page.goto(ticket)
    page.get_by_role("button", name="Slå på standpass i denne nettleseren").click()
    page.goto(live_server.url + "/stands/husbanken?from=poster")
    assert "Standen er stemplet i standpasset ditt." in page.content()
    assert axe_violations(page) == []
    page.goto(live_server.url + "/passport")
    assert axe_violations(page) == []
    context.close()


def test_the_door_scans_in_place_with_javascript(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    register_on(page, live_server.url, "door.js@example.no")
    scanned, code = _qr_of_ticket(page), _door_code_of_ticket(page)
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/checkin")
    field = page.get_by_label("Kode eller lenke fra QR-koden")
    field.fill(scanned)
    field.press("Enter")
    page.locator(".door-checked_in").wait_for()
    assert page.url.endswith("/admin/checkin")  # no new page: the next scan can follow at once
    assert field.input_value() == "" and page.evaluate("document.activeElement.id") == "scan-code"
    assert axe_violations(page) == []
    field.fill(code.replace("-", "").lower())  # the short code typed without its dash
    field.press("Enter")
    page.locator(".door-already").wait_for()
    assert "ALLEREDE sjekket inn" in page.locator("#door-answer").inner_text()
    context.close()


def test_the_door_works_without_javascript(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", java_script_enabled=False)
    page = context.new_page()
    register_on(page, live_server.url, "door.nojs@example.no")
    code = _door_code_of_ticket(page)
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/checkin")
    assert not page.locator("#camera").is_visible()
    page.get_by_label("Kode eller lenke fra QR-koden").fill(code)  # with its dash, as printed
    page.get_by_role("button", name="Sjekk inn", exact=True).click()
    assert "Sjekket inn" in page.locator(".door-checked_in").inner_text()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_organiser_pages_of_this_issue_have_no_serious_violations(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    register_on(page, live_server.url, f"axe.{viewport['width']}@example.no")
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/attendees/")
    person = page.locator("table.reg-people a").first.get_attribute("href")
    problems = {}
    for path in (person, "/admin/attendees/new", "/admin/attendees/import", "/admin/attendees/lunch",
                 "/admin/registration/", "/admin/checkin?q=Марія", "/admin/stats"):
        page.goto(live_server.url + path)
        found = axe_violations(page)
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


def _qr_of_ticket(page) -> str:
    """What the ticket's QR code says, read with a real decoder (as a scanner would)."""
    return decode_svg(page.locator(".reg-ticket svg").evaluate("svg => svg.outerHTML"))


def _door_code_of_ticket(page) -> str:
    """The short code printed under the QR code ("K7QM-4XT2")."""
    code = page.locator(".door-code").inner_text()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code), code
    return code


def y4m_of_qr(data: str, path, size: int = 480, frames: int = 5) -> None:
    """A tiny video (YUV4MPEG2) showing a QR code: Chromium's fake camera plays it in a loop."""
    import qrcode

    image = qrcode.make(data, border=4).convert("L").resize((size, size))
    luma = image.tobytes()
    chroma = bytes([128]) * (size // 2) * (size // 2)
    with open(path, "wb") as stream:
        stream.write(f"YUV4MPEG2 W{size} H{size} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            stream.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_phone_camera_scans_a_ticket(browser, live_server, tmp_path):
    """Chromium's fake camera shows a ticket's QR code; the page decodes it (BarcodeDetector where
    the browser has one, the vendored jsQR otherwise) and checks the person in."""
    from ..browser.conftest import CHROMIUM, CHROMIUM_ARGS

    page = browser.new_page()
    register_on(page, live_server.url, "camera@example.no")
    scanned = _qr_of_ticket(page)
    assert scanned.startswith(f"{live_server.url}/c/")
    page.close()
    video = tmp_path / "ticket.y4m"
    y4m_of_qr(scanned, video)
    with_camera = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = with_camera.new_context(viewport=PHONE, locale="nb-NO", permissions=["camera"])
        page = context.new_page()
        log_in(page, live_server.url)
        page.goto(live_server.url + "/admin/checkin")
        page.get_by_role("button", name="Skann med kameraet").click()
        page.locator(".door-checked_in").wait_for(timeout=20_000)
        assert "Марія Øyvind" in page.locator("#door-answer").inner_text()
    finally:
        with_camera.close()
