"""The security test list of issue 8: brute force, CSRF, open redirects, IDOR, markup, sizes.

Each test attacks the site the way the named attack works and checks what a person would notice:
a refusal in Norwegian, nothing changed in the database, no one else's data on the page.
"""

from __future__ import annotations

import io
import re
import secrets
from collections import deque
from urllib.parse import urlsplit

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.test import encode_multipart

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.printing import render_document
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.registration.models import Registration
from fagkonferanse.stands.models import Stand

from ..admin.conftest import submit
from ..conftest import ORGANISER_EMAIL, ORGANISER_PASSWORD, csrf_token
from ..pdftools import pdf_text
from ..registration.conftest import PERSON, people, register
from .helpers import changed_tables, database_snapshot

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def login_attempt(client, password: str, email: str = ORGANISER_EMAIL, address: str = "192.0.2.10", **kwargs):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, **kwargs)


# --- Login brute force --------------------------------------------------------------------------


def test_password_guessing_is_stopped_after_ten_failures_even_with_the_right_password(app, organiser):
    guesser = app.test_client()
    for attempt in range(10):
        assert login_attempt(guesser, f"gjetning-{attempt}").status_code == 400
    refused = login_attempt(guesser, ORGANISER_PASSWORD)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "For mange mislykkede innlogginger" in page and "<h1>For mange forespørsler</h1>" in page
    assert int(refused.headers["Retry-After"]) > 0
    assert guesser.get("/admin/").status_code == 302  # still not logged in

    # The organiser at another address is not locked out by the guesser.
    assert login_attempt(app.test_client(), ORGANISER_PASSWORD, address="198.51.100.7").status_code == 302


def test_trying_many_accounts_from_one_address_is_stopped_too(app, organiser):
    app.config["RATE_LIMITS"] = {"login-address": "15/hour"}
    sprayer = app.test_client()
    for number in range(15):
        assert login_attempt(sprayer, "sommer2016", email=f"person{number}@example.no").status_code == 400
    assert login_attempt(sprayer, "sommer2016", email="ny@example.no").status_code == 429
    answer = login_attempt(sprayer, "sommer2016", email="ny2@example.no", headers={"Accept": "application/json"})
    assert answer.status_code == 429 and answer.mimetype == "application/problem+json"
    assert "innlogginger" in answer.get_json()["detail"]


def test_successful_logins_do_not_count_against_the_limit(app, organiser):
    for _ in range(12):
        client = app.test_client()
        assert login_attempt(client, ORGANISER_PASSWORD).status_code == 302


# --- CSRF ---------------------------------------------------------------------------------------


def _placeholder(rule, argument: str) -> object:
    return 1 if isinstance(rule._converters[argument], IntegerConverter) else "x1"


def test_every_post_form_refuses_a_request_without_its_csrf_token(app, admin_client):
    register(app.test_client())  # a registration, so attendee and check-in rows exist to be changed
    before = database_snapshot(app)
    adapter = app.url_map.bind("localhost")
    refused = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        path = adapter.build(rule.endpoint, {arg: _placeholder(rule, arg) for arg in rule.arguments},
                             method="POST")
        response = admin_client.post(path, data={"name": "Mallory", "code": "x", "confirm": "yes"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        refused.append(rule.rule)
    assert len(refused) >= 40 and "/logout" in refused and "/admin/programme/new" in refused
    assert changed_tables(before, database_snapshot(app)) == []
    assert admin_client.get("/admin/").status_code == 200  # the tokenless /logout did not log out


# --- Open redirect after login ------------------------------------------------------------------


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example",
    "https:evil.example", "/\t/evil.example", "/\n/evil.example", " //evil.example", "javascript:alert(1)",
    "%2F%2Fevil.example", "http://localhost@evil.example/",
])
def test_login_never_redirects_off_the_site(app, organiser, target):
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", query_string={"next": target},
                           data={"csrf_token": token, "email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    # What a browser would make of it: tabs and newlines dropped, backslashes read as slashes.
    browser_view = re.sub(r"[\t\n\r]", "", location).replace("\\", "/").strip()
    parts = urlsplit(browser_view)
    assert not parts.scheme and not parts.netloc and browser_view.startswith("/"), location
    assert not browser_view.startswith("//"), location


# --- IDOR: tickets and check-in codes -----------------------------------------------------------


def _two_people(app):
    alice, bob = app.test_client(), app.test_client()
    a = register(alice, name="Alice Aasen", email="alice@example.no", dietary="Glutenfri")
    b = register(bob, name="Bob Berg", email="bob@example.no", dietary="Vegetar", address="192.0.2.20")
    assert a.status_code == b.status_code == 303
    rows = {row.email: row for row in people(app)}
    return rows["alice@example.no"], rows["bob@example.no"]


def test_a_ticket_link_shows_its_own_person_and_nobody_else(app, client):
    alice, bob = _two_people(app)
    for path in (f"/ticket/{alice.manage_secret}", f"/ticket/{alice.manage_secret}/edit",
                 f"/ticket/{alice.manage_secret}/data.json"):
        page = client.get(path).get_data(as_text=True)
        assert "Alice Aasen" in page and "Glutenfri" in page
        assert "Bob Berg" not in page and "bob@example.no" not in page and "Vegetar" not in page


def test_guessed_or_borrowed_codes_open_nothing(app, client):
    alice, bob = _two_people(app)
    flipped = alice.manage_secret[:-1] + ("A" if alice.manage_secret[-1] != "A" else "B")
    guesses = [secrets.token_urlsafe(24) for _ in range(5)] + [flipped, alice.checkin_code, bob.checkin_code,
                                                                "1", "../admin", alice.manage_secret.upper()]
    for guess in guesses:
        for path in (f"/ticket/{guess}", f"/ticket/{guess}/edit", f"/ticket/{guess}/data.json"):
            assert client.get(path).status_code == 404, path
    before = database_snapshot(app)
    token = csrf_token(client, "/register")
    for guess in guesses[:6]:
        for action in ("cancel", "delete", "edit", "passport"):
            response = client.post(f"/ticket/{guess}/{action}", data={"csrf_token": token, "action": "on",
                                                                      **PERSON})
            assert response.status_code == 404, (guess, action)
    assert changed_tables(before, database_snapshot(app)) == []


def test_one_ticket_cannot_take_over_another_persons_address(app, client):
    alice, bob = _two_people(app)
    path = f"/ticket/{alice.manage_secret}/edit"
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, **PERSON, "name": "Alice Aasen",
                                       "email": "bob@example.no"})
    assert response.status_code == 400
    after = {row.email: row.name for row in people(app)}
    assert after == {"alice@example.no": "Alice Aasen", "bob@example.no": "Bob Berg"}


def test_a_checkin_code_grants_nothing_to_anonymous_visitors(app, client):
    alice, _bob = _two_people(app)
    real = client.get(f"/c/{alice.checkin_code}")
    made_up = client.get(f"/c/{'a' * 32}")
    assert real.status_code == made_up.status_code == 200
    page = real.get_data(as_text=True)
    # Nothing tells a real code from a made-up one (the page links back to its own address).
    assert made_up.get_data(as_text=True).replace("a" * 32, alice.checkin_code) == page
    assert "Alice" not in page and "alice@" not in page
    scan = client.post("/admin/checkin/scan", data={"code": alice.checkin_code})
    assert scan.status_code == 401
    assert client.get(f"/admin/attendees/{alice.id}").status_code == 302  # to the login form
    with app.app_context():
        assert db.session.get(Registration, alice.id).checkin is None


# --- Markup injection ---------------------------------------------------------------------------


SKIP_LINKS = ("/static/", "/logout", "/language", "/api", "/admin/print", "/admin/backup")
SKIP_ENDINGS = (".pdf", ".ics", ".json", ".xml", ".csv", ".svg", ".png", ".css", ".js")  # files, not pages (a plugin's own stylesheet too)


def _crawl(client, starts: list[str], limit: int = 300) -> dict[str, str]:
    """Every same-site page reachable from ``starts`` (GET only), as path → HTML."""
    pages: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(pages) < limit:
        path = queue.popleft()
        if path in pages:
            continue
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        pages[path] = html
        for link in re.findall(r'href="(/[^"#]*)"', html):
            link = link.replace("&amp;", "&")
            if link.startswith("//") or link.startswith(SKIP_LINKS) or link.split("?")[0].endswith(SKIP_ENDINGS):
                continue
            if link not in pages:
                queue.append(link)
    return pages


def test_markup_typed_into_any_field_is_shown_as_text_everywhere(app, admin_client, lookup):
    ok = (302, 303)
    assert submit(admin_client, f"/admin/programme/{lookup.item_id('Barnefattigdom')}/edit", {
        "title": f"Foredrag {SCRIPT}", "description": f"{IMAGE} og {SCRIPT}"}).status_code in ok
    assert submit(admin_client, "/admin/speakers/new", {
        "name": f"Kari {SCRIPT}", "affiliation": IMAGE, "role": SCRIPT, "bio": IMAGE}).status_code in ok
    assert submit(admin_client, "/admin/locations/new", {
        "name": f"Rom {SCRIPT}", "building": IMAGE, "floor": "2", "description": SCRIPT}).status_code in ok
    assert submit(admin_client, "/admin/stands/new", {
        "organisation": "", "new_organisation": f"Kommune {IMAGE}", "short_text": SCRIPT}).status_code in ok
    assert submit(admin_client, "/admin/catalogue/halden-en-dor-inn", {
        "project_name": f"En dør inn {IMAGE}", "section_kommune": f"- {SCRIPT}"}).status_code in ok
    assert submit(admin_client, "/admin/registration/", {"privacy_notice": f"Personvern {SCRIPT}"}).status_code in ok
    visitor = app.test_client()
    ticket = register(visitor, name=f"Eve {SCRIPT}", organisation=IMAGE, municipality=SCRIPT, job_title=IMAGE,
                      dietary=SCRIPT, accessibility=IMAGE)
    assert ticket.status_code == 303
    [person] = people(app)

    pages = _crawl(admin_client, ["/", "/programme", "/speakers", "/stands", "/catalogue", "/register",
                                  "/admin/", "/admin/attendees/", f"/admin/attendees/{person.id}",
                                  "/admin/checkin?q=Eve", f"/c/{person.checkin_code}", "/admin/stats",
                                  "/admin/audit"])
    pages.update(_crawl(visitor, [ticket.headers["Location"], ticket.headers["Location"] + "/edit"], limit=5))
    assert len(pages) > 40
    for path, html in pages.items():
        assert SCRIPT not in html and "<img src=x" not in html, path
    shown = {path for path, html in pages.items() if ESCAPED_SCRIPT in html}
    for path in ("/programme", "/speakers", "/register", "/admin/attendees/", ticket.headers["Location"]):
        assert path in shown, f"{path} does not show the text at all"
    with app.app_context():
        stand = db.session.scalar(db.select(Stand).order_by(Stand.id.desc()))
        assert f"/stands/{stand.slug}" in shown


def test_markup_in_a_title_is_printed_as_text_in_the_programme_pdf(app, admin_client, lookup, tmp_path):
    item = lookup.item_id("Barnefattigdom")
    assert submit(admin_client, f"/admin/programme/{item}/edit", {"title": f"Barnefattigdom {SCRIPT}"}
                  ).status_code in (302, 303)
    with app.app_context(), app.test_request_context("/"):
        assert db.session.get(ProgrammeItem, item).title.endswith(SCRIPT)
        pdf = render_document("programme", current_event(), {})
    assert "Barnefattigdom <script>alert(1)</script>" in " ".join(pdf_text(pdf, tmp_path).split())


# --- Oversized inputs and uploads ---------------------------------------------------------------


def test_an_overlong_field_is_a_form_error_and_saves_nothing(app, client):
    token = csrf_token(client, "/register")
    response = client.post("/register", data={"csrf_token": token, **PERSON, "name": "x" * 2_000_000})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.get_data(as_text=True)
    assert people(app) == []


def test_a_form_part_larger_than_a_form_may_hold_is_refused_with_a_friendly_page(app, client):
    token = csrf_token(client, "/register")
    response = _post_multipart(client, "/register", {"csrf_token": token, **PERSON, "name": "x" * 600_000})
    assert response.status_code == 413
    assert "<h1>For stor forespørsel</h1>" in response.get_data(as_text=True)
    assert people(app) == []


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(app, client):
    token = csrf_token(client, "/register")
    response = _post_multipart(client, "/register", {"csrf_token": token, **PERSON,
                                                     "vedlegg": (_file(7 * 1024 * 1024), "stor.bin")})
    assert response.status_code == 413 and "Ingenting ble lagret" in response.get_data(as_text=True)
    assert people(app) == []


def test_attendee_uploads_over_the_limits_import_nobody(app, admin_client):
    token = csrf_token(admin_client, "/admin/attendees/import")
    header = b"navn;e-post\n"
    huge = _post_multipart(admin_client, "/admin/attendees/import", {
        "csrf_token": token, "file": (_file(7 * 1024 * 1024, header), "deltakere.csv")})
    assert huge.status_code == 413 and "høyst 6 MB" in huge.get_data(as_text=True)
    large = _post_multipart(admin_client, "/admin/attendees/import", {
        "csrf_token": token, "file": (_file(5 * 1024 * 1024 + 1000, header), "deltakere.csv")})
    assert large.status_code == 400 and "Filen er for stor" in large.get_data(as_text=True)
    assert people(app) == []


def test_json_clients_get_json_when_refused_for_size(admin_client):
    response = admin_client.post("/admin/checkin/scan", data={"code": "x" * 7_000_000},
                                 headers={"Accept": "application/json"})
    assert response.status_code == 413 and response.mimetype == "application/problem+json"


def _post_multipart(client, path: str, fields: dict):
    """A multipart post whose body is built in memory (the test client would spool a big one to a
    temporary file that nobody closes when the server refuses it unread)."""
    values = {name: FileStorage(value[0], filename=value[1]) if isinstance(value, tuple) else value
              for name, value in fields.items()}
    boundary, body = encode_multipart(MultiDict(values))
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _file(size: int, start: bytes = b""):
    line = "Ola Nordmann;ola@example.no\n".encode()
    body = start + line * ((size - len(start)) // len(line) + 1)
    return io.BytesIO(body[:size])


# --- Rate limits in general ---------------------------------------------------------------------


def test_a_flood_of_checkin_code_lookups_is_refused_in_norwegian(app, client, admin_client):
    app.config["RATE_LIMITS"] = {"checkin-link": "5/minute"}
    code = "b" * 32
    for _ in range(5):
        assert client.get(f"/c/{code}").status_code == 200
    refused = client.get(f"/c/{code}")
    assert refused.status_code == 429 and "Vent et minutt" in refused.get_data(as_text=True)
    for _ in range(6):  # organisers at the door are never held up
        assert admin_client.get(f"/c/{code}").status_code == 200


def test_limits_can_be_switched_off(instance):
    from ..conftest import make_app

    app = make_app(instance, RATE_LIMIT_ENABLED=False, RATE_LIMITS={"register": "1/minute"})
    assert app.config["RATELIMIT_ENABLED"] is False  # the old key still works
    client = app.test_client()
    for number in range(3):
        assert register(client, email=f"p{number}@example.no").status_code == 303
