"""Stand posters: /stands/<slug>?from=poster counts an anonymous visit and stamps an opted-in passport;
organisers see visits per stand and hour, and registrations and check-ins over time."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

from fagkonferanse.checkin.models import CheckIn, PassportStamp, StandVisit
from fagkonferanse.checkin.visits import poster_url
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.stands.services import stand_by_slug

from ..conftest import csrf_token
from .conftest import people, register


def visits(app) -> list[tuple[str, dt.datetime]]:
    with app.app_context():
        rows = db.session.scalars(db.select(StandVisit).order_by(StandVisit.id)).all()
        return [(row.stand.slug, row.at) for row in rows]


def passport_on(client) -> str:
    path = register(client).headers["Location"]
    token = csrf_token(client, path)
    client.post(path + "/passport", data={"csrf_token": token, "action": "on"})
    return path


def test_poster_address_is_the_stand_page_with_a_marker(app):
    with app.app_context(), app.test_request_context():
        stand = stand_by_slug(current_event(), "husbanken")
        assert poster_url(stand) == "http://127.0.0.1:5000/stands/husbanken?from=poster"


def test_a_poster_scan_records_an_anonymous_visit_and_shows_the_plain_page(app, client):
    response = client.get("/stands/husbanken?from=poster")
    assert response.status_code == 303 and response.headers["Location"] == "/stands/husbanken?fra=plakat"
    assert client.get("/stands/husbanken").status_code == 200  # the plain page counts nothing
    [(slug, at)] = visits(app)
    assert slug == "husbanken" and abs(dt.datetime.now(dt.UTC).replace(tzinfo=None) - at) < dt.timedelta(minutes=1)
    with app.app_context():
        columns = set(StandVisit.__table__.columns.keys())
    # nothing that could say who: visit_key is random for each scan (a batch written twice counts once)
    assert columns == {"id", "event_id", "stand_id", "at", "visit_key"}


def test_unknown_stand_and_other_markers_count_nothing(app, client):
    assert client.get("/stands/finnes-ikke?from=poster").status_code == 404
    assert client.get("/stands/husbanken?from=elsewhere").status_code == 200
    assert visits(app) == []


def test_passport_is_opt_in_and_stamps_each_stand_once(app, client):
    client.get("/stands/husbanken?from=poster")
    path = register(client).headers["Location"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PassportStamp.id))) == 0  # not before opting in
    token = csrf_token(client, path)
    client.post(path + "/passport", data={"csrf_token": token, "action": "on"})
    cookie = client.get_cookie("fk_standpass")
    assert cookie.http_only and cookie.same_site == "Lax"
    person = people(app)[0]
    payload = cookie.value.split(".")[0]
    content = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert content == person.passport_token  # a random token of its own: no id, no name, no secret
    followed = client.get("/stands/husbanken?from=poster", follow_redirects=True).get_data(as_text=True)
    assert "Standen er stemplet i standpasset ditt." in followed
    assert "Denne standen er stemplet i standpasset ditt." in followed
    client.get("/stands/husbanken?from=poster")
    client.get("/stands/moss-kommune?from=poster")
    ticket = client.get(path).get_data(as_text=True)
    assert "Husbanken" in ticket and "Moss kommune" in ticket
    passport = client.get("/passport").get_data(as_text=True)
    assert "Du har besøkt 2 av" in passport
    assert len(visits(app)) == 4  # every scan counts as a visit; the passport stamps each stand once


def test_switching_the_passport_off_deletes_it_and_old_cookies(app, client):
    path = passport_on(client)
    client.get("/stands/husbanken?from=poster")
    old_cookie = client.get_cookie("fk_standpass").value
    token = csrf_token(client, "/passport")
    client.post("/passport", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PassportStamp.id))) == 0
    client.set_cookie("fk_standpass", old_cookie)
    client.get("/stands/moss-kommune?from=poster")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PassportStamp.id))) == 0
    assert "Slå på standpass" in client.get(path).get_data(as_text=True)


def test_a_forged_passport_cookie_is_ignored(app, client):
    client.set_cookie("fk_standpass", "eyJ0b2tlbiI6Im5laSJ9.forged")
    assert client.get("/stands/husbanken?from=poster").status_code == 303
    assert client.get("/passport").status_code == 200
    assert len(visits(app)) == 1


def test_statistics_show_charts_with_tables(app, admin_client, client):
    register(client)
    with app.app_context():
        person_id = people(app)[0].id
        event_id = current_event().id
        stand = stand_by_slug(current_event(), "husbanken")
        # 11.05 and 11.40 and 12.10 Oslo time on the day (UTC+1 in November).
        for hour, minute in ((10, 5), (10, 40), (11, 10)):
            db.session.add(StandVisit(event_id=event_id, stand_id=stand.id, at=dt.datetime(2016, 11, 9, hour, minute)))
        db.session.add(CheckIn(event_id=event_id, registration_id=person_id, at=dt.datetime(2016, 11, 9, 7, 40)))
        db.session.commit()
    page = admin_client.get("/admin/stats").get_data(as_text=True)
    assert '<table class="chart" id="chart-registrations">' in page
    assert '<table class="chart" id="chart-checkins">' in page and "kl. 08.30" in page
    grid = re.search(r'<table class="chart heat" id="chart-visits">.*?</table>', page, re.S).group(0)
    assert "kl. 11–12" in grid and "kl. 12–13" in grid
    row = re.search(r"<th scope=\"row\">Husbanken</th>(.*?)</tr>", grid, re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["2", "1", "3"]  # 11-12: 2, 12-13: 1, total 3
    assert "--share: 1.000" in page
