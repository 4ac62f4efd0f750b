"""The door with the network really cut: two devices at once, the same person on both, a reload
while offline, walk-ins, logging out with scans that wait, and a login that ended elsewhere.

The network is cut by stopping the live server (a service worker's own fetches ignore
``context.set_offline``) and by setting both browser contexts offline; it comes back by serving
the same instance on the same address again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from fagkonferanse import create_app
from fagkonferanse.accounts.models import OrganiserSession
from fagkonferanse.checkin.models import CheckIn, DoorScan
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import services as registrations
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.tokens import code_from_scan, door_code_from_typing, grouped, looks_like_door_code

from ..liveserver import LiveServer
from .conftest import DESKTOP, PHONE, axe_violations, log_in

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "fagkonferanse" / "static" / "door-rules.js"
SCANNER = "Kode eller lenke fra QR-koden"


class Database:
    """The live server's database, read and written from the test."""

    def __init__(self, server: LiveServer):
        self.app = create_app({}, instance_path=server.instance)

    def register(self, name: str, email: str, organisation: str = "") -> dict:
        with self.app.app_context():
            person = registrations.register(current_event(), {"name": name, "email": email,
                                                              "organisation": organisation}, notify=False).registration
            return {"id": person.id, "door_code": person.door_code, "code": person.checkin_code}

    def query(self, function):
        with self.app.app_context():
            try:
                return function()
            finally:
                db.session.remove()

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def database(live_server):
    handle = Database(live_server)
    yield handle
    handle.close()


def open_door(browser, server: LiveServer, device_name: str, viewport: dict, **options):
    """A logged-in door device whose list and page are kept for offline use, given a name."""
    context = browser.new_context(viewport=viewport, locale="nb-NO", **options)
    page = context.new_page()
    log_in(page, server.url)
    page.goto(server.url + "/admin/checkin")
    page.locator("#door[data-kept=yes]").wait_for(timeout=20_000)
    page.locator("#device-title").click()
    page.get_by_label("Navn på enheten").fill(device_name)
    page.get_by_role("button", name="Lagre navnet").click()
    expect(page.locator("#device-label")).to_have_text(device_name)
    page.locator("#device-title").click()
    return page


def scan(page, text: str, expected: str) -> str:
    """Type or scan ``text`` and Enter; the door's answer, once the field is empty for the next scan."""
    field = page.get_by_label(SCANNER)
    field.fill(text)
    field.press("Enter")
    expect(field).to_have_value("")
    answer = page.locator(f"#door-answer .door-{expected}")
    answer.wait_for()
    return answer.inner_text()


def cut_network(server: LiveServer, *pages) -> None:
    server.stop_serving()
    for page in pages:
        page.context.set_offline(True)


def restore_network(server: LiveServer, *pages) -> None:
    server.serve_again()
    for page in pages:
        page.context.set_offline(False)


def queue_length(page) -> int:
    return page.evaluate("DoorStore.queue().then(function (queue) { return queue.length; })")


def test_two_devices_offline_then_every_check_in_once_the_duplicate_flagged_nothing_lost(
        browser, live_server, database):
    kari = database.register("Kari Nordmann", "kari.offline@example.no", "Moss kommune")
    per = database.register("Per Persen", "per.offline@example.no", "IMDi")
    maria = database.register("Марія Коваленко", "maria.offline@example.no", "Sarpsborg kommune")
    oyvind = database.register("Øyvind Hansen", "oyvind.offline@example.no")
    door_a = open_door(browser, live_server, "Dør A", PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    door_b = open_door(browser, live_server, "Dør B", DESKTOP)
    expect(door_a.locator("#door-link")).to_have_text("Tilkoblet")

    cut_network(live_server, door_a, door_b)
    # Door A: the short code as printed (with its dash), then typed without it in lower case.
    answer = scan(door_a, grouped(kari["door_code"]), "checked_in")
    assert "Kari Nordmann" in answer and "Uten nett: innsjekkingen sendes" in answer
    assert "Per Persen" in scan(door_a, per["door_code"].lower(), "checked_in")
    expect(door_a.locator("#door-link")).to_have_text("Frakoblet")
    expect(door_a.locator("#door-queue")).to_have_text("2 skanninger venter på å bli sendt")
    assert axe_violations(door_a) == []
    # Door B, at the same time: Kari again (her QR code's address), and Марія by name.
    assert "Kari Nordmann" in scan(door_b, f"{live_server.url}/c/{kari['code']}", "checked_in")
    door_b.get_by_label("Søk på navn eller organisasjon").fill("марія")
    door_b.get_by_role("button", name="Søk", exact=True).click()
    door_b.get_by_role("button", name="Sjekk inn Марія Коваленко").click()
    expect(door_b.locator("#door-answer .door-checked_in")).to_contain_text("Марія Коваленко")

    # Door A registers two walk-ins: a new person, and one whose address is registered already.
    for name, email in (("Nina Ny", "nina.offline@example.no"), ("Øyvind H.", "oyvind.offline@example.no")):
        door_a.locator("#walkin-title").click()
        door_a.locator("#walkin-name").fill(name)
        door_a.locator("#walkin-email").fill(email)
        door_a.locator("#walkin-consent").check()
        door_a.get_by_role("button", name="Registrer og sjekk inn").click()
        expect(door_a.locator("#door-answer .door-checked_in")).to_contain_text(name)
    expect(door_a.locator("#door-queue")).to_have_text("4 skanninger venter på å bli sendt")

    # A reload with the network still cut: the kept page starts, the queue and the list are there.
    door_a.reload()
    expect(door_a.locator("#door-queue")).to_have_text("4 skanninger venter på å bli sendt")
    assert "av Dora Dørvakt" in scan(door_a, kari["door_code"], "already")  # the list knows its own scan
    assert "Nina Ny" in _search(door_a, "nina")
    expect(door_a.locator("#door-queue")).to_have_text("5 skanninger venter på å bli sendt")

    restore_network(live_server, door_a, door_b)
    for page in (door_a, door_b):
        expect(page.locator("#door-queue")).to_have_text("Alle skanninger er sendt", timeout=20_000)
        expect(page.locator("#door-link")).to_have_text("Tilkoblet")
        assert queue_length(page) == 0

    def recorded():
        checked_in = dict(db.session.execute(db.select(Registration.name, CheckIn.id).join(CheckIn)).all())
        scans = db.session.execute(db.select(DoorScan.device_name, DoorScan.action, DoorScan.outcome, DoorScan.flag)
                                   .order_by(DoorScan.id)).all()
        return set(checked_in), [tuple(scan) for scan in scans]

    checked_in, scans = database.query(recorded)
    assert checked_in == {"Kari Nordmann", "Per Persen", "Марія Коваленко", "Nina Ny", "Øyvind Hansen"}
    assert sorted(scans) == sorted([
        ("Dør A", "checkin", "checked_in", ""),      # Kari, first
        ("Dør A", "checkin", "checked_in", ""),      # Per
        ("Dør A", "walk-in", "checked_in", ""),      # Nina
        ("Dør A", "walk-in", "checked_in", "merged"),  # Øyvind's address
        ("Dør A", "checkin", "already", ""),         # Kari again after the reload: the door said so
        ("Dør B", "checkin", "duplicate", "duplicate"),  # Kari on the other door
        ("Dør B", "checkin", "checked_in", ""),      # Марія
    ])  # seven scans made, seven recorded: none lost
    assert database.query(lambda: db.session.scalar(db.select(db.func.count(Registration.id))
                                                    .where(Registration.email == "oyvind.offline@example.no"))) == 1

    # Both devices learn of each other's check-ins; the organisers see the duplicate, with both devices.
    assert "Nina Ny" in _search(door_b, "nina")
    dashboard = door_b.context.new_page()
    dashboard.goto(live_server.url + "/admin/")
    flags = dashboard.locator(".door-flags").inner_text()
    assert "Kari Nordmann: Sluppet inn uten nett, men personen var allerede sjekket inn." in flags
    assert "på Dør B (Dora Dørvakt)" in flags and "Innsjekkingen som gjelder:" in flags and "på Dør A" in flags
    assert "Øyvind Hansen: Registrert i døra uten nett, men adressen var påmeldt fra før." in flags
    door_a.context.close()
    door_b.context.close()
    assert oyvind["id"] and maria["id"]


def _search(page, query: str) -> str:
    page.get_by_label("Søk på navn eller organisasjon").fill(query)
    page.get_by_role("button", name="Søk", exact=True).click()
    expect(page.locator("#door-found caption, #door-found p")).to_contain_text(f"«{query}»")
    return page.locator("#door-found").inner_text()


def test_logout_sends_waiting_scans_first_and_removes_the_list_from_the_device(browser, live_server, database):
    lise = database.register("Lise Logout", "lise.offline@example.no")
    door = open_door(browser, live_server, "Dør C", PHONE, is_mobile=True, has_touch=True)
    cut_network(live_server, door)
    scan(door, lise["door_code"], "checked_in")
    door.get_by_text("Meny").click()
    door.get_by_role("button", name="Logg ut").click()
    problem = door.locator(".logout-problem")
    expect(problem).to_have_text("1 skanning er ikke sendt ennå, og enheten får ikke kontakt med serveren. "
                                 "Du blir ikke logget ut før den er sendt.")
    assert door.url.endswith("/admin/checkin") and queue_length(door) == 1  # refused, and the scan kept

    # The door's tab is closed; the organiser logs out later from the dashboard in another tab.
    context = door.context
    door.close()
    restore_network(live_server)
    context.set_offline(False)
    dashboard = context.new_page()
    dashboard.goto(live_server.url + "/admin/")
    dashboard.get_by_role("button", name="Logg ut").click()
    dashboard.wait_for_url(live_server.url + "/")
    assert "Du er logget ut." in dashboard.content()
    assert database.query(lambda: db.session.scalar(  # sent by the logout: no door page was open
        db.select(CheckIn.at).where(CheckIn.registration_id == lise["id"]))) is not None
    left = dashboard.evaluate("""async () => ({
        databases: (await indexedDB.databases()).map((d) => d.name),
        caches: await caches.keys(),
        workers: (await navigator.serviceWorker.getRegistrations()).length,
        flag: localStorage.getItem("fagkonferanse-door")})""")
    assert left == {"databases": [], "caches": [], "workers": 0, "flag": None}
    cut_network(live_server, dashboard)
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        dashboard.goto(live_server.url + "/admin/checkin")  # nothing kept: no door page offline
    restore_network(live_server, dashboard)
    context.close()


def test_a_login_ended_elsewhere_wipes_the_list_and_keeps_the_queue_for_the_next_login(
        browser, live_server, database):
    mons = database.register("Mons Monsen", "mons.offline@example.no")
    door = open_door(browser, live_server, "Dør D", DESKTOP)
    cut_network(live_server, door)
    scan(door, mons["door_code"], "checked_in")

    def end_every_login():  # "Logg ut overalt" on another computer while this one was offline
        db.session.execute(db.delete(OrganiserSession))
        db.session.commit()

    database.query(end_every_login)
    restore_network(live_server, door)
    answer = door.locator("#door-answer .door-logged-out")
    answer.wait_for(timeout=20_000)
    assert "deltakerlisten er fjernet fra enheten" in answer.inner_text()
    assert "Skanninger som venter, blir sendt når du har logget inn igjen: 1." in answer.inner_text()
    kept = door.evaluate("""async () => ({people: (await DoorStore.people()).length,
        queue: (await DoorStore.queue()).length, caches: await caches.keys()})""")
    assert kept == {"people": 0, "queue": 1, "caches": []}
    door.get_by_role("link", name="Logg inn").click()
    log_in(door, live_server.url)
    door.goto(live_server.url + "/admin/checkin")
    expect(door.locator("#door-queue")).to_have_text("Alle skanninger er sendt", timeout=20_000)
    assert database.query(lambda: db.session.scalar(
        db.select(db.func.count(CheckIn.id)).where(CheckIn.registration_id == mons["id"]))) == 1
    door.context.close()


def test_the_door_fits_a_phone_and_its_answer_reads_at_arms_length(browser, live_server, database):
    rita = database.register("Rita Rask", "rita.offline@example.no", "Fredrikstad kommune")
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/checkin")
    for name, locator in (("scan field", page.get_by_label(SCANNER)),
                          ("camera button", page.get_by_role("button", name="Skann med kameraet")),
                          ("name search", page.get_by_label("Søk på navn eller organisasjon"))):
        box = locator.bounding_box()
        assert box and box["y"] + box["height"] <= PHONE["height"], (name, box)
    assert page.locator("#camera-video").bounding_box() is None  # hidden means no room taken
    assert not page.locator(".site-header nav").is_visible()  # the menu gives way: one line
    scan(page, rita["door_code"], "checked_in")
    sizes = page.evaluate("""() => ['.door-headline', '.door-name'].map(
        (selector) => parseFloat(getComputedStyle(document.querySelector('#door-answer ' + selector)).fontSize))""")
    assert sizes[0] >= 32 and sizes[1] >= 26, sizes
    headline = page.locator("#door-answer .door-headline")
    assert headline.inner_text().startswith("✔") and headline.bounding_box()["y"] < PHONE["height"] / 2
    context.close()


# --- The device reads codes and names as the server does ----------------------------------------


def test_the_device_reads_every_code_exactly_as_the_server_does(browser):
    samples = ["K7QM-4XT2", "k7qm4xt2", "K7QM 4XT2", "K7QM–4XT2", "K7QM_4XT2", "K7OM-4XT2", "K7QM-4XT", "hei",
               "", "   ", "<img src=x>", "a" * 32, "A" * 32, "https://konferanse.example.no/c/" + "b" * 32,
               "HTTPS:;;KONFERANSE.EXAMPLE.NO;C;" + "C" * 32, "x" + "d" * 32, "abcd efgh ijkl mnop qrst uvwx yz23 4567",
               "https://x.no/c/" + "e" * 32 + "/", "ø" + "f" * 32, "1" * 8, "IIIIIIII", "2" * 8, "22222223"]
    page = browser.new_page()
    page.add_script_tag(path=str(RULES))
    device = page.evaluate("""(samples) => samples.map((text) => [DoorRules.codeFromScan(text),
        DoorRules.doorCode(text), DoorRules.looksLikeDoorCode(text)])""", samples)
    server = [[code_from_scan(text), door_code_from_typing(text), looks_like_door_code(text)] for text in samples]
    assert device == server
    names = ["Øyvind Grandahl", "Bjørn Ødegård", "Åse Ærø", "Марія Коваленко", "李小龙", "Strauß", "José Núñez"]
    from fagkonferanse.checkin.services import search_key

    assert page.evaluate("(names) => names.map(DoorRules.searchKey)", names) == [search_key(name) for name in names]
    page.close()


def test_plugins_hear_of_each_check_in_the_server_recorded_once(browser, live_server, database):
    """The ``fk:door-checked-in`` event: online at once, a queued scan when it is sent, never twice."""
    anna = database.register("Anna Arrival", "anna.offline@example.no")
    bo = database.register("Bo Badge", "bo.offline@example.no")
    door = open_door(browser, live_server, "Dør E", DESKTOP)
    door.evaluate("""() => { window.heard = [];
        document.addEventListener('fk:door-checked-in', (e) => window.heard.push(e.detail)); }""")
    scan(door, anna["door_code"], "checked_in")
    door.wait_for_function("window.heard.length === 1")
    cut_network(live_server, door)
    scan(door, bo["door_code"], "checked_in")
    scan(door, anna["door_code"], "already")
    assert door.evaluate("window.heard.length") == 1  # nothing recorded yet
    restore_network(live_server, door)
    expect(door.locator("#door-queue")).to_have_text("Alle skanninger er sendt", timeout=20_000)
    heard = door.evaluate("window.heard")
    assert [item["registration_id"] for item in heard] == [anna["id"], bo["id"]]
    assert all(len(item["scan_id"]) >= 8 for item in heard)
    door.context.close()
