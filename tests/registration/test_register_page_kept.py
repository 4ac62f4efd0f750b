"""The empty /register page is kept per process (form_cache.blank_page), never stale and never shared
with its token: each visitor gets a token of their own, and every change shows on the next visit."""

from __future__ import annotations

import datetime as dt
import re

from fagkonferanse import clock
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration.capacity import seat_count
from fagkonferanse.registration.form_cache import TOKEN_SLOT
from fagkonferanse.registration.models import RegistrationQuestion

from .conftest import PERSON, configure, people

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CLOSED = "Påmeldingen er stengt."
NOT_OPEN = "Påmeldingen åpner"
FULL = "Beklager, det er fullt."


def page(client, path: str = "/register") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def token_of(html: str) -> str:
    [token] = TOKEN.findall(html)
    return token


def test_every_visitor_gets_a_token_of_their_own_that_works_only_for_them(app):
    first, second, third = app.test_client(), app.test_client(), app.test_client()
    pages = [page(first), page(second), page(third)]  # the second and third are the kept page
    tokens = [token_of(html) for html in pages]
    assert len(set(tokens)) == 3
    assert all(TOKEN_SLOT not in html for html in pages)
    assert TOKEN.sub("", pages[0]) == TOKEN.sub("", pages[1]) == TOKEN.sub("", pages[2])
    stolen = first.post("/register", data={"csrf_token": tokens[1], **PERSON})
    assert stolen.status_code == 400
    own = second.post("/register", data={"csrf_token": tokens[1], **PERSON})
    assert own.status_code == 303 and own.headers["Location"].startswith("/ticket/")
    assert [person.email for person in people(app)] == [PERSON["email"]]


def test_a_visitor_without_a_session_gets_the_session_cookie_with_the_kept_page(app):
    app.test_client().get("/register")  # fills the kept page
    response = app.test_client().get("/register")
    assert response.status_code == 200
    assert "session=" in response.headers["Set-Cookie"]
    assert "Cookie" in response.headers["Vary"]  # never shared by a cache in between


def test_closing_and_opening_registration_shows_at_once(app, client):
    assert 'method="post"' in page(client)
    configure(app, closes_at=dt.datetime(2000, 1, 1))
    html = page(client)
    assert CLOSED in html and 'method="post"' not in html
    configure(app, closes_at=None, opens_at=dt.datetime(2100, 1, 1, 7, 0))
    html = page(client)
    assert NOT_OPEN in html and 'method="post"' not in html
    configure(app, opens_at=None)
    assert 'method="post"' in page(client)


def test_a_deadline_passing_on_the_clock_closes_the_kept_page_without_any_edit(app, client):
    offset = app.extensions[clock.OFFSET_KEY]
    deadline = dt.datetime.now(dt.UTC).replace(tzinfo=None) + offset + dt.timedelta(hours=1)
    configure(app, closes_at=deadline)
    assert 'method="post"' in page(client)
    app.extensions[clock.OFFSET_KEY] = offset + dt.timedelta(hours=2)
    html = page(client)
    assert CLOSED in html and 'method="post"' not in html


def test_the_last_seat_taken_shows_full_at_once(app, client):
    """The seat counter does not raise the content version: the kept page asks it every time."""
    with app.app_context():
        confirmed, _capacity = seat_count(current_event().id)
    configure(app, capacity=confirmed + 1, waiting_list=False)
    assert FULL not in page(client)
    other = app.test_client()
    response = other.post("/register", data={"csrf_token": token_of(page(other)), **PERSON})
    assert response.status_code == 303
    html = page(app.test_client())
    assert FULL in html and 'method="post"' not in html
    configure(app, capacity=confirmed + 2)
    assert 'method="post"' in page(app.test_client())


def test_a_new_question_and_a_new_privacy_notice_show_at_once(app, client):
    page(client)
    with app.app_context():
        db.session.add(RegistrationQuestion(event_id=current_event().id, label="Hvilket verksted?", kind="text"))
        db.session.commit()
    assert "Hvilket verksted?" in page(app.test_client())
    configure(app, privacy_notice="Vi sletter alt etter konferansen.")
    assert "Vi sletter alt etter konferansen." in page(app.test_client())


def test_the_language_chosen_gets_its_own_page(app):
    page(app.test_client())
    english = app.test_client()
    english.set_cookie("lang", "en")
    html = page(english)
    assert "Organisation / employer" in html and "Organisasjon / arbeidsgiver" not in html


def test_a_message_waiting_is_shown_on_the_form_not_hidden_by_the_kept_page(app, client):
    page(app.test_client())
    response = client.post("/register", data={"csrf_token": token_of(page(client)), **PERSON})
    assert response.status_code == 303  # "Du er påmeldt!" waits for the next page
    assert "Du er påmeldt!" in page(client)
    assert "Du er påmeldt!" not in page(client)  # shown once


def test_a_sent_form_is_checked_against_the_definition_of_this_moment(app):
    """The form's class is kept per content version too: a question made required counts at once."""
    first = app.test_client()
    assert first.post("/register", data={"csrf_token": token_of(page(first)), **PERSON}).status_code == 303
    with app.app_context():
        db.session.add(RegistrationQuestion(event_id=current_event().id, label="Hvilket verksted?", kind="text",
                                            required=True))
        db.session.commit()
    second = app.test_client()
    refused = second.post("/register", data={"csrf_token": token_of(page(second)), **PERSON,
                                              "email": "annen@example.no"})
    assert refused.status_code == 400 and "Hvilket verksted?" in refused.get_data(as_text=True)
    configure(app, field_modes={"organisation": "hidden"})
    third = app.test_client()
    html = page(third)
    assert "Organisasjon / arbeidsgiver" not in html
