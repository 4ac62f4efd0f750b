"""The ticket page and its self-service: QR code, edit, cancel, download, delete, stand passport."""

from __future__ import annotations

import json
import re

from fagkonferanse.extensions import db
from fagkonferanse.checkin.models import CheckIn, PassportStamp, StandVisit
from fagkonferanse.registration.models import CANCELLED, CONFIRMED, WAITING, Registration

from ..conftest import csrf_token
from .conftest import configure, outbox, people, register
from .qrdecode import decode_svg, svg_modules


def ticket_path(client, **fields) -> str:
    response = register(client, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def post(client, path: str, data: dict | None = None, token_from: str | None = None):
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **(data or {})})


def test_the_door_qr_code_holds_only_the_checkin_address(app, client):
    path = ticket_path(client)
    page = client.get(path).get_data(as_text=True)
    svg = re.search(r'<svg class="qr".*?</svg>', page, re.S).group(0)
    [person] = people(app)
    assert decode_svg(svg) == f"http://127.0.0.1:5000/c/{person.checkin_code}"
    _size, dark = svg_modules(svg)
    assert min(x for x, _y in dark) == 4 and min(y for _x, y in dark) == 4  # the quiet zone
    assert 'role="img"' in svg and "aria-label=" in svg


def test_the_qr_code_follows_base_url(instance):
    from ..conftest import make_app

    app = make_app(instance, BASE_URL="https://konferanse.example.no/")
    client = app.test_client()
    page = client.get(ticket_path(client)).get_data(as_text=True)
    svg = re.search(r'<svg class="qr".*?</svg>', page, re.S).group(0)
    assert decode_svg(svg).startswith("https://konferanse.example.no/c/")
    assert "https://konferanse.example.no/ticket/" in outbox(app)[0].get_content()
    with app.app_context():
        db.engine.dispose()


def test_ticket_pages_are_private(client):
    response = client.get(ticket_path(client))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "same-origin"  # never to another site
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_unknown_secret_is_a_plain_404(client):
    response = client.get("/ticket/" + "A" * 32)
    assert response.status_code == 404
    assert "Fant ikke siden" in response.get_data(as_text=True)


def test_edit_keeps_every_script_and_checks_the_address(app, client):
    path = ticket_path(client)
    register(client, email="kari@example.no", name="Kari")
    response = post(client, path + "/edit", {"name": "Марія Øyvind 李", "email": "oyvind@moss.kommune.no",
                                             "organisation": "Rygge kommune", "dietary": "Glutenfri\r\nNøtter"})
    assert response.status_code == 303
    person = people(app)[0]
    assert (person.name, person.organisation, person.dietary) == ("Марія Øyvind 李", "Rygge kommune",
                                                                   "Glutenfri\nNøtter")
    taken = post(client, path + "/edit", {"name": "X", "email": "kari@example.no", "organisation": "Y"})
    assert taken.status_code == 400
    assert "Denne e-postadressen er allerede påmeldt." in taken.get_data(as_text=True)


def test_cancel_from_the_ticket_promotes_the_queue(app, client):
    configure(app, capacity=1)
    path = ticket_path(client)
    ticket_path(client, email="kari@example.no", name="Kari Venter")
    confirm_page = client.get(path + "/cancel").get_data(as_text=True)
    assert "Meld deg av?" in confirm_page
    assert post(client, path + "/cancel").status_code == 303
    assert [(p.name, p.status) for p in people(app)] == [("Øyvind Hansen", CANCELLED), ("Kari Venter", CONFIRMED)]
    promoted = [m for m in outbox(app) if m["Subject"].startswith("Du har fått plass")]
    assert [m["To"].addresses[0].addr_spec for m in promoted] == ["kari@example.no"]
    assert "Du er meldt av" in client.get(path).get_data(as_text=True)


def test_download_my_data_is_everything_stored_about_me(app, client):
    path = ticket_path(client, dietary="Laktosefri", accessibility="Rullestol")
    response = client.get(path + "/data.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["name"] == "Øyvind Hansen" and data["email"] == "oyvind@moss.kommune.no"
    assert data["dietary"] == "Laktosefri" and data["accessibility"] == "Rullestol"
    assert data["status"] == CONFIRMED and data["consent_at"] and data["checked_in_at"] is None
    assert "manage_secret" not in data and "checkin_code" not in data


def test_delete_removes_the_person_everywhere(app, client, admin_client):
    configure(app, capacity=1)
    path = ticket_path(client)
    ticket_path(client, email="kari@example.no", name="Kari Venter")
    person = people(app)[0]
    # Checked in, with a stand passport and a stamp.
    post(admin_client, "/admin/checkin/scan", {"code": person.checkin_code}, token_from="/admin/checkin")
    post(client, path + "/passport", {"action": "on"}, token_from=path)
    assert client.get("/stands/husbanken?from=poster").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1
        assert db.session.scalar(db.select(db.func.count(PassportStamp.id))) == 1
    assert "Slette opplysningene dine?" in client.get(path + "/delete").get_data(as_text=True)
    response = post(client, path + "/delete")
    assert response.status_code == 303
    assert "fk_standpass=;" in response.headers.get("Set-Cookie", "")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0
        assert db.session.scalar(db.select(db.func.count(PassportStamp.id))) == 0
        assert db.session.scalar(db.select(db.func.count(StandVisit.id))) == 1  # anonymous: stays
        names = db.session.scalars(db.select(Registration.name)).all()
        assert names == ["Kari Venter"]
        assert db.session.scalar(db.select(Registration.status)) == CONFIRMED  # the seat went on
    everything = "".join(message.as_string() for message in outbox(app))
    assert "oyvind@moss.kommune.no" not in everything  # unsent mail to them is gone too
    gone = client.get(path)
    assert gone.status_code == 410 and "Påmeldingen er slettet" in gone.get_data(as_text=True)
    audit = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "Øyvind" not in audit


def test_waiting_ticket_shows_the_place_in_the_queue(app, client):
    configure(app, capacity=0)
    page = client.get(ticket_path(client)).get_data(as_text=True)
    assert "Du står på ventelisten" in page and "nummer 1 i køen" in page and '<svg class="qr"' not in page
    assert people(app)[0].status == WAITING
    waiting_mail = outbox(app)[0]
    assert waiting_mail["Subject"].startswith("Du står på venteliste")
    assert "nummer 1" in waiting_mail.get_content()


def referer_a_browser_sends(policy: str, page_url: str) -> str | None:
    """The Referer a browser puts on a same-site form post from ``page_url`` under ``policy``."""
    return None if policy == "no-referrer" else page_url


def test_the_ticket_forms_work_over_https(instance):
    """Over HTTPS the CSRF protection requires a same-site Referer on every post; the ticket page's
    Referrer-Policy must let its own forms send one (with "no-referrer" every form there failed)."""
    from ..conftest import make_app

    app = make_app(instance, BASE_URL="https://konferanse.example.no")
    client = app.test_client()
    https = "https://konferanse.example.no"
    page = client.get("/register", base_url=https).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    registered = client.post("/register", base_url=https, headers={"Referer": https + "/register"},
                             data={"csrf_token": token, "name": "Kari", "email": "kari@example.no",
                                   "organisation": "Moss kommune", "consent": "y"})
    ticket = registered.headers["Location"]
    shown = client.get(ticket + "/cancel", base_url=https)
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.get_data(as_text=True)).group(1)
    referer = referer_a_browser_sends(shown.headers["Referrer-Policy"], https + ticket + "/cancel")
    cancelled = client.post(ticket + "/cancel", base_url=https, data={"csrf_token": token},
                            headers={"Referer": referer} if referer else {})
    assert cancelled.status_code == 303
    with app.app_context():
        db.engine.dispose()
