"""No overbooking under concurrency, proved against a real server process.

200 browsers (each with its own cookies and CSRF token, as a real one) fetch the form, wait for
each other, and press "Meld meg på" in the same instant, against a capacity of 50. Exactly 50 get
a seat, 150 are queued, in a strict order, and nobody is lost: every one of them got an answer
pointing to their own ticket, and a mail (sent by the server's job worker).
"""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration.models import CONFIRMED, WAITING, Registration, RegistrationSettings
from fagkonferanse.registration.settings import settings_for

from ..conftest import make_app
from ..liveserver import start_live_server
from .conftest import outbox

PEOPLE = 200
CAPACITY = 50
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # we want to see the 303 itself


class Browser:
    """One visitor: its own cookie jar, hence its own session and CSRF token."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def open_form(self) -> str:
        with self.opener.open(self.base_url + "/register", timeout=60) as response:
            return _CSRF.search(response.read().decode("utf-8")).group(1)

    def submit(self, token: str, number: int) -> tuple[int, str]:
        data = urllib.parse.urlencode({
            "csrf_token": token, "name": f"Deltaker {number:03d}", "email": f"deltaker{number:03d}@example.no",
            "organisation": "Fredrikstad kommune", "consent": "y",
        }).encode()
        request = urllib.request.Request(self.base_url + "/register", data=data, method="POST")
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


@pytest.fixture
def server(tmp_path):
    live = start_live_server(tmp_path / "instance", {"FAGKONFERANSE_RATE_LIMIT_ENABLED": "false"})
    app = make_app(live.instance, BASE_URL=live.url)
    with app.app_context():
        settings_for(current_event()).capacity = CAPACITY
        db.session.commit()
        db.engine.dispose()
    yield live, app
    live.stop()


def test_two_hundred_at_once_against_fifty_seats(server):
    live, app = server
    browsers = [Browser(live.url) for _ in range(PEOPLE)]
    tokens = [browser.open_form() for browser in browsers]
    start = threading.Barrier(PEOPLE)
    answers: list[tuple[int, str] | BaseException] = [None] * PEOPLE  # type: ignore[list-item]

    def press(number: int) -> None:
        try:
            start.wait(timeout=60)
            answers[number] = browsers[number].submit(tokens[number], number)
        except BaseException as error:  # reported below, never swallowed
            answers[number] = error

    threads = [threading.Thread(target=press, args=(number,)) for number in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    # Every browser got "303 See Other" to its own ticket: none lost, none refused.
    assert all(isinstance(answer, tuple) for answer in answers), [a for a in answers if not isinstance(a, tuple)]
    assert {status for status, _location in answers} == {303}
    locations = [location for _status, location in answers]
    assert all("/ticket/" in location for location in locations)
    assert len(set(locations)) == PEOPLE

    with app.app_context():
        rows = db.session.scalars(db.select(Registration).order_by(Registration.queued_at, Registration.id)).all()
        statuses = [row.status for row in rows]
        assert len(rows) == PEOPLE
        assert statuses.count(CONFIRMED) == CAPACITY
        assert statuses.count(WAITING) == PEOPLE - CAPACITY
        assert db.session.scalar(db.select(RegistrationSettings.confirmed_count)) == CAPACITY
        # The seats went to the first 50 through the lock: nobody queued before someone confirmed.
        assert statuses == [CONFIRMED] * CAPACITY + [WAITING] * (PEOPLE - CAPACITY)
        assert len({row.email for row in rows}) == PEOPLE
        db.engine.dispose()

    # The mail is sent by the server's job worker, just after the answers.
    deadline = time.monotonic() + 60
    while len(outbox(app)) < PEOPLE and time.monotonic() < deadline:
        time.sleep(0.1)
    subjects = [message["Subject"] for message in outbox(app)]
    assert len(subjects) == PEOPLE
    assert sum(subject.startswith("Du er påmeldt") for subject in subjects) == CAPACITY
    assert sum(subject.startswith("Du står på venteliste") for subject in subjects) == PEOPLE - CAPACITY
