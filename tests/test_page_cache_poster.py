"""Poster scans under ``serve --production``: the 303 of an anonymous scan is kept by the page cache
with its counting (pagecache.replay_with), so a kept answer still counts every scan, a passport is
still stamped, the rate limit still holds, and a stand that is gone is not sent on to."""

from __future__ import annotations

import re

import pytest

from fagkonferanse.checkin.models import StandVisit
from fagkonferanse.checkin.visit_buffer import BUFFER_KEY
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.stands.services import stand_by_slug

from .conftest import make_app

SCAN = "/stands/moss-kommune?from=poster"
BROWSER = {"Accept": "text/html"}


@pytest.fixture
def batching_app(instance):
    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=3600, RATELIMIT_ENABLED=False)
    yield app
    app.extensions[BUFFER_KEY].hand_off()


def pending(app) -> int:
    buffer = app.extensions.get(BUFFER_KEY)
    return 0 if buffer is None else len(buffer.pending)


def written(app) -> int:
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count(StandVisit.id)))
        db.session.remove()
    return count


def scan(client):
    response = client.get(SCAN, headers=BROWSER)
    assert response.status_code == 303 and response.headers["Location"] == "/stands/moss-kommune?fra=plakat"
    return response


def test_a_kept_scan_answers_as_the_view_did_and_still_counts_every_visit(batching_app):
    client = batching_app.test_client(use_cookies=False)
    first = scan(client)
    again = [scan(client) for _ in range(4)]
    assert first.headers["X-Page-Cache"] == "miss"
    assert {response.headers["X-Page-Cache"] for response in again} == {"hit"}
    assert all(response.get_data() == first.get_data() for response in again)
    assert [(k, v) for k, v in again[0].headers if k != "X-Page-Cache"] == \
        [(k, v) for k, v in first.headers if k != "X-Page-Cache"]
    assert pending(batching_app) == 5
    assert batching_app.extensions[BUFFER_KEY].hand_off() == 5 and written(batching_app) == 5


def test_a_passport_is_stamped_even_when_the_scan_is_kept(batching_app):
    from .registration.conftest import register

    scan(batching_app.test_client(use_cookies=False))  # keeps the anonymous answer
    client = batching_app.test_client()
    ticket = register(client).headers["Location"]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(ticket).get_data(as_text=True)).group(1)
    client.post(ticket + "/passport", data={"csrf_token": token, "action": "on"})
    client.get(ticket)  # shows "Standpasset er slått på": no message waits, so the cache may answer
    assert client.get_cookie("fk_notice") is None and client.get_cookie("fk_standpass") is not None
    response = scan(client)
    assert "X-Page-Cache" not in response.headers
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Standen er stemplet i standpasset ditt." in page
    assert written(batching_app) == 1 and pending(batching_app) == 1  # the stamped visit at once


def test_the_rate_limit_still_holds_for_kept_scans(instance):
    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=3600, RATELIMIT_ENABLED=True,
                   RATE_LIMITS={"visit": "3/minute"})
    client = app.test_client(use_cookies=False)
    for _ in range(6):
        scan(client)  # the stand page always opens
    assert pending(app) == 3
    other = app.test_client(use_cookies=False)
    other.get(SCAN, headers=BROWSER, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert pending(app) == 4  # another address counts on its own
    app.extensions[BUFFER_KEY].hand_off()


def test_a_stand_that_is_gone_is_not_sent_on_to(batching_app):
    client = batching_app.test_client(use_cookies=False)
    scan(client)
    with batching_app.app_context():
        db.session.delete(stand_by_slug(current_event(), "moss-kommune"))
        db.session.commit()
    assert client.get(SCAN, headers=BROWSER).status_code == 404
    assert pending(batching_app) == 1


def test_without_the_batch_writer_nothing_is_kept(app):
    client = app.test_client(use_cookies=False)
    for _ in range(3):
        assert "X-Page-Cache" not in scan(client).headers
    assert written(app) == 3


def test_behind_a_proxy_kept_scans_are_limited_per_visitor_address(instance):
    app = make_app(instance, STAND_VISIT_BATCH_SECONDS=3600, RATELIMIT_ENABLED=True, BEHIND_PROXY=True,
                   RATE_LIMITS={"visit": "2/minute"})
    client = app.test_client(use_cookies=False)
    for visitor in ("198.51.100.7", "198.51.100.7", "198.51.100.7", "198.51.100.8"):
        client.get(SCAN, headers={**BROWSER, "X-Forwarded-For": f"10.0.0.1, {visitor}"})
    assert pending(app) == 3  # two of the first visitor's three, and the other's one
    app.extensions[BUFFER_KEY].hand_off()
