"""The rules behind the site's look (issue 15): Norwegian order in every list, the audit log on
the conference's clock, the organisers' menu in groups, the conference's name in every title,
one frame on the login and error pages, the icon, and e-mail addresses that wrap where a reader
expects. (The pictures themselves: tests/browser/test_design.py.)"""

from __future__ import annotations

import datetime as dt
import re

from fagkonferanse.accounts.services import create_organiser
from fagkonferanse.audit.models import AuditEntry
from fagkonferanse.collation import collation_key, norwegian_sorted, people_sorted, sort_key
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.navigation import GROUP_LABELS, current_link, group_links
from fagkonferanse.plugin_types import DOOR, PEOPLE, PROGRAMME, SETTINGS, NavLink
from fagkonferanse.programme.models import Speaker
from fagkonferanse.text import email_breaks
from fagkonferanse.venue.models import Location

from .registration.conftest import register

EVENT_TITLE = "Kunnskap om praksisutvikling innen levekår og mangfold"
# Surnames that code-point order gets wrong: Æ, Ø and Å come after Z in Norwegian.
NEWCOMERS = ["Åse Åsen", "Per Zahl", "Anne Ødegård", "Ola Ærø", "Bente Berg"]
SURNAME_ORDER = ["Bente Berg", "Per Zahl", "Ola Ærø", "Anne Ødegård", "Åse Åsen"]


def order_in(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


# --- Norwegian order ----------------------------------------------------------------------------


def test_norwegian_letters_sort_after_z_and_people_by_surname():
    assert norwegian_sorted(["Østfold", "Oslo", "Zeta", "Åsen", "Ærø", "Aremark"]) == [
        "Aremark", "Oslo", "Zeta", "Ærø", "Østfold", "Åsen"]
    assert people_sorted(NEWCOMERS) == SURNAME_ORDER
    assert collation_key("Haaland") == collation_key("Håland")  # the old spelling of å
    assert norwegian_sorted(["moss", "Moss"]) == ["Moss", "moss"]  # ties in one stable order
    assert sort_key(None) == sort_key("")


def test_the_speakers_are_listed_by_surname_in_norwegian_order(app, client, admin_client):
    with app.app_context():
        event = current_event()
        db.session.add_all(Speaker(event_id=event.id, name=name) for name in NEWCOMERS)
        db.session.commit()
    assert order_in(client.get("/speakers").get_data(as_text=True), NEWCOMERS) == SURNAME_ORDER
    assert order_in(admin_client.get("/admin/speakers").get_data(as_text=True), NEWCOMERS) == SURNAME_ORDER
    # Without a programme item each is also named on the dashboard, in the same order.
    dashboard = admin_client.get("/admin/").get_data(as_text=True)
    assert order_in(dashboard, NEWCOMERS) == SURNAME_ORDER


def test_attendees_and_their_filters_are_in_norwegian_order(app, admin_client):
    places = ["Østre Toten", "Zeta kommune", "Åmot", "Ørland", "Askim"]
    for number, (name, place) in enumerate(zip(NEWCOMERS, places, strict=True)):
        assert register(app.test_client(), name=name, email=f"person{number}@example.no",
                        organisation=place, municipality=place).status_code == 303
    page = admin_client.get("/admin/attendees/").get_data(as_text=True)
    table = page.split('<table class="admin-table reg-people">', 1)[1]
    assert order_in(table, NEWCOMERS) == SURNAME_ORDER
    menu = re.search(r'<select id="f-org" name="organisation">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r"<option>([^<]+)</option>", menu) == ["Askim", "Zeta kommune", "Ørland", "Østre Toten", "Åmot"]


def test_places_and_organiser_accounts_are_in_norwegian_order(app, admin_client):
    names = ["Åpent rom", "Zeta-salen", "Ørneredet", "Ærfuglen", "Auditoriet"]
    with app.app_context():
        event = current_event()
        db.session.add_all(Location(event_id=event.id, building="H-bygget", floor=9, name=name, kind="room")
                           for name in names)
        for number, name in enumerate(NEWCOMERS):
            create_organiser(f"org{number}@example.no", "et-langt-passord", name)
        db.session.commit()
    places = admin_client.get("/admin/locations").get_data(as_text=True)
    assert order_in(places, names) == ["Auditoriet", "Zeta-salen", "Ærfuglen", "Ørneredet", "Åpent rom"]
    accounts = admin_client.get("/admin/organisers").get_data(as_text=True)
    assert order_in(accounts, NEWCOMERS) == ["Bente Berg", "Per Zahl", "Ola Ærø", "Anne Ødegård", "Åse Åsen"]


# --- The audit log's clock --------------------------------------------------------------------------


def test_the_audit_log_shows_the_conference_clock_in_norwegian(app, admin_client):
    """Stored in UTC; read in Oslo, winter time (+1) and summer time (+2)."""
    with app.app_context():
        event = current_event()
        db.session.add_all([
            AuditEntry(at=dt.datetime(2016, 11, 9, 9, 40, 5), event_id=event.id, action="update",
                       entity="programme_item", summary="Vinterendring"),
            AuditEntry(at=dt.datetime(2016, 6, 1, 12, 0, 0), event_id=event.id, action="update",
                       entity="programme_item", summary="Sommerendring"),
        ])
        db.session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert '<time datetime="2016-11-09T09:40:05Z">9. november 2016 kl. 10.40.05</time>' in page
    assert '<time datetime="2016-06-01T12:00:00Z">1. juni 2016 kl. 14.00.00</time>' in page
    assert "Europe/Oslo" in page and "UTC" not in page.split("<main", 1)[1]
    english = admin_client.get("/language/en?next=/admin/audit", follow_redirects=True).get_data(as_text=True)
    assert "9 November 2016 10:40:05" in english


# --- The organisers' menu ---------------------------------------------------------------------------


def test_menu_groups_come_in_the_core_order_and_plugins_may_add_their_own():
    links = [
        NavLink("Innsjekking", "/admin/checkin", order=21, group=DOOR),
        NavLink("Oversikt", "/admin/", order=0),
        NavLink("Mine rapporter", "/admin/reports", order=5, group="Rapporter"),
        NavLink("Deltakere", "/admin/attendees/", order=20, group=PEOPLE),
        NavLink("Program", "/admin/programme", order=10, group=PROGRAMME),
        NavLink("Foredragsholdere", "/admin/speakers", order=20, group=PROGRAMME),
        NavLink("Konferansen", "/admin/conference", order=5, group=SETTINGS),
    ]
    groups = group_links(sorted(links, key=lambda link: link.order))
    assert [(group.key, [link.label for link in group.links]) for group in groups] == [
        (None, ["Oversikt"]),
        (PROGRAMME, ["Program", "Foredragsholdere"]),
        (PEOPLE, ["Deltakere"]),
        (DOOR, ["Innsjekking"]),
        (SETTINGS, ["Konferansen"]),
        ("Rapporter", ["Mine rapporter"]),
    ]
    assert groups[-1].label == "Rapporter"  # a plugin's own group is labelled as it says


def test_the_current_page_marks_its_menu_link_and_section():
    links = [NavLink("Oversikt", "/admin/"), NavLink("Program", "/admin/programme"),
             NavLink("Utskrift", "/admin/print/")]
    assert current_link(links, "/admin/programme").label == "Program"
    assert current_link(links, "/admin/programme/5/edit").label == "Program"
    assert current_link(links, "/admin/print/jobs/abc").label == "Utskrift"
    assert current_link(links, "/admin/unknown") is None  # the dashboard owns only itself


def test_every_organiser_link_is_in_a_group(app, admin_client):
    page = admin_client.get("/admin/programme/5/edit").get_data(as_text=True)
    menu = page.split('<aside class="admin-side">', 1)[1].split("</aside>", 1)[0]
    titles = re.findall(r'<p class="nav-group-title" id="[^"]+">([^<]+)</p>', menu)
    with app.test_request_context():
        assert titles == [str(label) for label in GROUP_LABELS.values()]
    assert titles == ["Program", "Personer", "Stands og katalog", "Utskrift", "Døra", "Innstillinger"]
    top = menu.split('<p class="nav-group-title"', 1)[0]
    assert re.findall(r">([^<>]+)</a>", top) == ["Oversikt"]  # nothing else outside a group
    assert '<a href="/admin/programme" class="is-section">Program</a>' in menu  # its editor is open
    assert menu.count("<a ") == 21  # 18, "Meldinger", "Rapport" and "Tilbakemelding"
    stands_group = menu.split(">Stands og katalog</p>", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", stands_group) == ["Stands", "Steder", "Plantegninger", "Prosjektkatalog"]
    assert '<details class="admin-menu-toggle">' in page  # the same menu, folded, for a phone


# --- The frame: titles, header, icon ----------------------------------------------------------------


def test_every_page_title_names_the_conference(client, admin_client):
    pages = {
        client: ["/", "/programme", "/programme/5", "/speakers", "/stands", "/stands/husbanken", "/catalogue",
                 "/register", "/ticket/lost", "/programme/mine", "/login", "/does-not-exist"],
        admin_client: ["/admin/", "/admin/programme", "/admin/attendees/", "/admin/print/", "/admin/audit",
                       "/admin/badges", "/admin/catalogue"],
    }
    for visitor, paths in pages.items():
        for path in paths:
            title = re.search(r"<title>([^<]*)</title>", visitor.get(path).get_data(as_text=True)).group(1)
            assert title == EVENT_TITLE or title.endswith(" – " + EVENT_TITLE), (path, title)
    assert re.search(r"<title>([^<]*)</title>", client.get("/").get_data(as_text=True)).group(1) == EVENT_TITLE


def test_login_and_error_pages_have_the_sites_header(client):
    header = re.compile(rf'<header class="site-header">.*?<span>{EVENT_TITLE}</span></a>.*?'
                        r'<a href="/programme"[^>]*>Program</a>', re.S)
    answers = {
        "/login": client.get("/login"),
        "404": client.get("/does-not-exist"),
        "405": client.put("/programme"),
        "400": client.post("/register", data={"name": "Uten skjema"}),  # no CSRF token
    }
    assert {name: response.status_code for name, response in answers.items()} == {
        "/login": 200, "404": 404, "405": 405, "400": 400}
    for name, response in answers.items():
        assert header.search(response.get_data(as_text=True)), name
    assert "Skjemaet kan ha vært åpent for lenge" in answers["400"].get_data(as_text=True)
    assert client.put("/api/programme", headers={"Accept": "application/json"}).mimetype == "application/problem+json"


def test_every_public_page_links_to_the_organisers_login_and_the_icons(client):
    page = client.get("/programme").get_data(as_text=True)
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert '<a href="/login">For arrangører: logg inn</a>' in footer
    assert re.search(r'<link rel="icon" href="/static/icons/favicon\.svg\?v=\w+" type="image/svg\+xml">', page)
    assert re.search(r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon\.png\?v=\w+">', page)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_an_email_address_wraps_after_its_at_sign_only():
    assert str(email_breaks("kari.nordmann@moss.kommune.no")) == "kari.nordmann@<wbr>moss.kommune.no"
    assert str(email_breaks('<b>"x"@y.no')) == "&lt;b&gt;&#34;x&#34;@<wbr>y.no"
