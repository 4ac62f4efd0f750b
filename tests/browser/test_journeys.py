"""The day in a real browser, end to end, as the people at the conference live it.

An attendee registers on a phone, opens the ticket, is checked in at the door by an organiser
typing what the scanner read, then scans a stand poster and reads a project sheet. An organiser
shifts the programme when a talk runs long. Registration and check-in also by keyboard alone.
"""

from __future__ import annotations

import re

from .conftest import DESKTOP, PHONE, log_in


def _ticket_code(page) -> str:
    """The short door code under the ticket's QR code ("K7QM-4XT2")."""
    return page.locator(".door-code").inner_text()


def test_attendee_registers_is_checked_in_and_visits_a_stand(browser, live_server):
    attendee = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    phone = attendee.new_page()
    phone.goto(live_server.url + "/register")
    phone.get_by_label("Navn").fill("Synnøve Bjørnstad")
    phone.get_by_label("E-post").fill("synnove.journey@example.no")
    phone.get_by_label("Organisasjon / arbeidsgiver").fill("Halden kommune")
    phone.get_by_label("Jeg har lest personvernerklæringen").check()
    phone.get_by_role("button", name="Meld meg på").click()
    phone.wait_for_url("**/ticket/**")
    assert "Synnøve Bjørnstad" in phone.content()
    code = _ticket_code(phone)

    organiser = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    door = organiser.new_page()
    log_in(door, live_server.url)
    door.goto(live_server.url + "/admin/checkin")
    scanner = door.get_by_label("Kode eller lenke fra QR-koden")
    scanner.fill(code)  # read out from the phone and typed, dash and all, then Enter
    scanner.press("Enter")
    result = door.locator(".door-checked_in")
    result.wait_for()
    assert "Synnøve Bjørnstad" in result.inner_text() and "Halden kommune" in result.inner_text()
    scanner.fill(code.replace("-", " ").lower())
    scanner.press("Enter")
    door.locator(".door-already").wait_for()
    assert "allerede" in door.locator(".door-already").inner_text().lower()

    phone.goto(live_server.url + "/stands/moss-kommune?from=poster")
    assert phone.url == live_server.url + "/stands/moss-kommune?fra=plakat"
    assert phone.get_by_text("Du er her:", exact=True).is_visible()
    assert phone.get_by_role("heading", name="Moss kommune", level=1).is_visible()
    phone.get_by_role("link", name="Jobbsjansen i Moss").first.click()
    phone.wait_for_url("**/catalogue/jobbsjansen-i-moss")
    assert phone.get_by_role("heading", name="Kort beskrivelse av prosjektet").is_visible()
    assert "Ungdom 18-30 år med innvandrerbakgrunn" in phone.content()
    attendee.close()
    organiser.close()


def test_organiser_shifts_the_programme_when_a_talk_runs_long(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/programme")
    page.get_by_role("link", name="Rediger «Kommunale utviklingsmidler»").click()
    duration = page.get_by_label("Varighet i minutter")
    assert duration.input_value() == "20"
    duration.fill("30")
    page.get_by_role("button", name="Lagre", exact=True).click()
    shift = page.get_by_role("button", name=re.compile(r"Lagre og flytt \d+ punkter"))
    preview = page.content()
    assert "Pause" in preview and "10.45" in preview
    shift.click()
    page.goto(live_server.url + "/programme")
    items = page.locator(".programme-item").all_inner_texts()
    pause = next(text for text in items if "Pause" in text)
    assert "kl. 10.45" in pause
    closing = next(text for text in items if "Vel hjem!" in text)
    assert "kl. 15.10" in closing
    context.close()


def test_registration_and_check_in_by_keyboard_alone(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = context.new_page()
    page.goto(live_server.url + "/register")
    focused_labels = []
    # Tab from the top of the page to the name field, typing into each field as it gets focus.
    values = {"Navn": "Øyvind Tastatur", "E-post": "oyvind.keys@example.no",
              "Organisasjon / arbeidsgiver": "Fredrikstad kommune"}
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const el = document.activeElement; const l = el.labels && el.labels[0];"
            " return l ? l.textContent.trim() : ''; }")
        focused_labels.append(label)
        for name, value in values.items():
            if label.startswith(name):
                page.keyboard.type(value)
        if label.startswith("Jeg har lest personvernerklæringen"):
            page.keyboard.press("Space")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), f"no visible focus on {label or 'element'}"
        if page.evaluate("document.activeElement.type") == "submit":
            page.keyboard.press("Enter")
            break
    page.wait_for_url("**/ticket/**")
    code = _ticket_code(page)

    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/checkin")
    page.keyboard.press("Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.labels && document.activeElement.labels[0] ? "
                         "document.activeElement.labels[0].textContent.trim() : ''") == "Kode eller lenke fra QR-koden":
            break
        page.keyboard.press("Tab")
    else:
        raise AssertionError("the scanner field cannot be reached with Tab")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.locator(".door-checked_in").wait_for()
    assert "Øyvind Tastatur" in page.locator(".door-checked_in").inner_text()
    context.close()
