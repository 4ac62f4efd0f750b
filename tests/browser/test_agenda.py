""""Mitt program" and parallel sessions in a real browser (issue 13).

An attendee stars talks on a phone and keeps "Mitt program" open while an organiser shifts the
day; the page follows with the banner and the new times and still lists only the starred items.
The stars go onto the ticket and follow the attendee to a laptop and back. On a two-room
conference the programme is a grid by place on a desktop and grouped by time on a phone, and
starring two overlapping talks warns about it.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, log_in

LIVE_WAIT_MS = 15000  # live.js polls every 3–4 s


def star(page, title: str):
    button = page.get_by_role("button", name=f"Stjernemerk «{title}»")
    button.click()
    return button


def item(page, title: str):
    """The programme item whose title is ``title`` (not one that merely mentions it)."""
    return page.locator(".programme-item").filter(has=page.get_by_role("link", name=title, exact=True))


def visible_titles(page) -> list[str]:
    return page.locator(".programme-item:visible .item-title a").all_inner_texts()


def test_starring_on_a_phone_and_reading_mitt_program_after_a_shift(browser, day_server):
    attendee = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    phone = attendee.new_page()
    phone.goto(day_server.url + "/programme")
    jobbsjansen = star(phone, "Jobbsjansen")
    expect(jobbsjansen).to_have_attribute("aria-pressed", "true")
    star(phone, "En dør inn")
    expect(phone.get_by_role("button", name="Stjernemerk «Pause»")).to_have_count(0)  # breaks have no star
    phone.get_by_role("link", name="Mitt program").click()
    phone.wait_for_url("**/programme/mine")
    assert visible_titles(phone) == ["En dør inn", "Jobbsjansen"]
    assert "kl. 11.35–11.55" in phone.locator("#programme-items .programme-item:visible").nth(1).inner_text()
    feed = phone.get_by_role("link", name="Last ned Mitt program som kalenderfil (.ics)")
    assert re.fullmatch(r"/programme/selection\.ics\?items=\d+,\d+", feed.get_attribute("href"))

    organiser = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    dashboard = organiser.new_page()
    log_in(dashboard, day_server.url)
    dashboard.goto(day_server.url + "/admin/")
    dashboard.get_by_role("button", name="+10 min").click()  # POST /admin/today/late: the preview
    dashboard.get_by_role("button", name=re.compile(r"Flytt \d+ punkter og si fra til deltakerne")).click()
    expect(dashboard.get_by_text("deltakerne ser at programmet er forskjøvet")).to_be_visible()

    # The open page follows without a reload: banner, new times, still only the starred items.
    banner = phone.locator(".delay-banner")
    expect(banner).to_contain_text("Programmet er forskjøvet 10 minutter fra kl. 10.35.", timeout=LIVE_WAIT_MS)
    expect(phone.locator("#programme-items .programme-item:visible").nth(1)).to_contain_text("kl. 11.45–12.05")
    assert visible_titles(phone) == ["En dør inn", "Jobbsjansen"]
    expect(phone.get_by_role("button", name="Stjernemerk «Jobbsjansen»")).to_have_attribute("aria-pressed", "true")
    # The calendar of the starred items has the new time too.
    calendar = phone.request.get(day_server.url + feed.get_attribute("href")).text()
    assert "DTSTART;TZID=Europe/Oslo:20161109T114500" in calendar and "Jobbsjansen" in calendar
    assert "Lansering av Veiviseren" not in calendar
    attendee.close()
    organiser.close()


def test_an_empty_mitt_program_says_how_to_fill_it(phone, day_server):
    phone.goto(day_server.url + "/programme/mine")
    expect(phone.get_by_text("Du har ikke stjernemerket noe ennå.")).to_be_visible()
    assert visible_titles(phone) == []
    expect(phone.get_by_text("Mitt program husker stjernene i nettleseren din")).to_be_hidden()


def test_the_ticket_keeps_the_stars_and_brings_them_to_another_device(browser, day_server):
    attendee = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    phone = attendee.new_page()
    phone.goto(day_server.url + "/programme")
    star(phone, "Jobbsjansen")  # before registering: in this browser only
    phone.goto(day_server.url + "/register")
    phone.get_by_label("Navn").fill("Astrid Lund")
    phone.get_by_label("E-post").fill("astrid.agenda@example.no")
    phone.get_by_label("Organisasjon / arbeidsgiver").fill("Halden kommune")
    phone.get_by_label("Jeg har lest personvernerklæringen").check()
    phone.get_by_role("button", name="Meld meg på").click()
    phone.wait_for_url("**/ticket/**")
    ticket = phone.url
    section = phone.locator("#mitt-program")
    expect(section.get_by_text("Stjernene i denne nettleseren og på billetten er de samme.")).to_be_visible()
    expect(section.get_by_role("link", name="Jobbsjansen")).to_be_visible()
    stored = phone.evaluate("localStorage.getItem('fagkonferanse.agenda')")
    assert ticket.rsplit("/", 1)[1] not in stored  # the browser keeps a key, never the ticket's secret

    laptop_context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    laptop = laptop_context.new_page()
    laptop.goto(ticket)  # the ticket link, opened on another device
    expect(laptop.get_by_text("Stjernene i denne nettleseren og på billetten er de samme.")).to_be_visible()
    expect(laptop.locator("#mitt-program").get_by_role("link", name="Jobbsjansen")).to_be_visible()
    laptop.goto(day_server.url + "/programme/mine")
    assert visible_titles(laptop) == ["Jobbsjansen"]
    expect(laptop.get_by_text("Stjernene lagres på billetten din")).to_be_visible()
    laptop.goto(day_server.url + "/programme")
    with laptop.expect_response("**/agenda/sync"):
        star(laptop, "En dør inn")  # reaches the ticket from the programme page
    expect(laptop.get_by_role("button", name="Stjernemerk «En dør inn»")).to_have_attribute("aria-pressed", "true")

    phone.goto(day_server.url + "/programme/mine")  # asks the ticket for stars made elsewhere
    expect(item(phone, "En dør inn")).to_be_visible()
    assert visible_titles(phone) == ["En dør inn", "Jobbsjansen"]
    with phone.expect_response("**/agenda/sync"):
        star(phone, "Jobbsjansen")  # un-starred on the phone …
    expect(item(phone, "Jobbsjansen")).to_be_visible()  # stays until the page changes, so a slip can be undone
    expect(phone.get_by_text("Stjernene lagres på billetten din")).to_be_visible()
    laptop.goto(day_server.url + "/programme/mine")  # … is gone on the laptop too
    expect(item(laptop, "Jobbsjansen")).to_be_hidden()
    assert visible_titles(laptop) == ["En dør inn"]
    attendee.close()
    laptop_context.close()


def test_parallel_sessions_are_a_grid_on_a_desktop_and_starring_two_at_once_warns(browser, two_rooms_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.goto(two_rooms_server.url + "/programme")
    headings = page.locator(".place-headings .place-heading")
    assert headings.all_inner_texts()[1:] == ["Sal A", "Sal B"]
    sal_a = item(page, "Bostøtte som virker").bounding_box()
    sal_b = item(page, "Språkpraksis på arbeidsplassen").bounding_box()
    heading_a, heading_b = headings.nth(1).bounding_box(), headings.nth(2).bounding_box()
    assert abs(sal_a["y"] - sal_b["y"]) < 2 and sal_b["x"] > sal_a["x"] + sal_a["width"] - 1  # side by side
    assert abs(sal_a["x"] - heading_a["x"]) < 12 and abs(sal_b["x"] - heading_b["x"]) < 12  # under their place
    # The workshop in Sal B runs beside both of Sal A's talks; the second sits under the first.
    workshop = item(page, "Verksted: Samordnede tilskudd").bounding_box()
    early = item(page, "Tidlig innsats for barn").bounding_box()
    later = item(page, "Frivillighet og inkludering").bounding_box()
    assert abs(workshop["y"] - early["y"]) < 2 and later["y"] >= early["y"] + early["height"] - 1
    assert abs(later["x"] - early["x"]) < 2

    star(page, "Bostøtte som virker")
    star(page, "Språkpraksis på arbeidsplassen")
    first = item(page, "Bostøtte som virker").get_by_role("status")
    second = item(page, "Språkpraksis på arbeidsplassen").get_by_role("status")
    expect(first).to_have_text("Overlapper med «Språkpraksis på arbeidsplassen», som du også har stjernemerket.")
    expect(second).to_have_text("Overlapper med «Bostøtte som virker», som du også har stjernemerket.")
    star(page, "Oppsummering")  # no overlap, no warning
    expect(item(page, "Oppsummering").get_by_role("status")).to_have_text("")
    star(page, "Språkpraksis på arbeidsplassen")  # un-starred: the warning goes
    expect(first).to_have_text("")
    context.close()


def test_parallel_sessions_are_grouped_by_time_on_a_phone(phone, two_rooms_server):
    phone.goto(two_rooms_server.url + "/programme")
    expect(phone.locator(".place-headings")).to_be_hidden()
    slot = phone.locator(".programme-slot").nth(1)
    expect(slot.locator(".slot-time")).to_have_text("kl. 10.30–11.30 Parallelle punkter")
    boxes = [item.bounding_box() for item in slot.locator(".programme-item").all()]
    assert [box["y"] < later["y"] for box, later in zip(boxes, boxes[1:])] == [True, True]  # one under the other
    assert len({round(box["x"]) for box in boxes}) == 1
    assert slot.locator(".programme-item .where").all_inner_texts() == ["Sted: Sal A", "Sted: Sal B", "Sted: Sal A"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
