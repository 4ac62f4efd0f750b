"""Who gets a cached page: every visitor whose page is the same for everyone, and no one else.

The cache decides from cookie names alone (fagkonferanse.cookies): a registered visitor's session
cookie (a CSRF token) is ignored, an organiser's login and a waiting message are not; and only
answers that read no session and set no cookie are stored.
"""

from __future__ import annotations

import re

import pytest
from flask import flash, redirect, render_template_string, session

from fagkonferanse.cookies import NOTICE_COOKIE, ORGANISER_COOKIE

from .conftest import csrf_token, post_form

DELETED = "Opplysningene dine er slettet."


def cache_header(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def registered_visitor(app):
    """A browser that registered and saw its ticket: it holds a session cookie with a CSRF token."""
    visitor = app.test_client()
    response = post_form(visitor, "/register", {"name": "Kari Nordmann", "email": "kari@example.no",
                                                "organisation": "Moss kommune", "consent": "y"})
    assert response.status_code == 303 and "/ticket/" in response.headers["Location"]
    assert "Du er påmeldt!" in visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert visitor.get_cookie("session") is not None and visitor.get_cookie(NOTICE_COOKIE) is None
    return visitor, response.headers["Location"]


def test_a_registered_visitor_gets_the_cached_page(app, client):
    visitor, _ticket = registered_visitor(app)
    first = visitor.get("/programme")
    assert cache_header(first) == "miss"  # rendered for them, and stored: it read no session
    assert "Vary" not in first.headers and "Set-Cookie" not in first.headers
    anonymous = client.get("/programme")
    again = visitor.get("/programme")
    assert cache_header(anonymous) == cache_header(again) == "hit"
    assert anonymous.get_data() == again.get_data() == first.get_data()
    assert "csrf_token" not in again.get_data(as_text=True)


def test_a_waiting_message_is_shown_to_its_visitor_only_even_on_a_cached_page(app, client):
    assert cache_header(client.get("/")) == "miss"
    visitor, ticket = registered_visitor(app)
    deleted = post_form(visitor, ticket + "/delete", {})
    assert deleted.status_code == 303 and deleted.headers["Location"] == "/"
    assert visitor.get_cookie(NOTICE_COOKIE) is not None

    shown = visitor.get("/")
    assert DELETED in shown.get_data(as_text=True)
    assert cache_header(shown) is None  # rendered for this visitor, not stored
    assert visitor.get_cookie(NOTICE_COOKIE) is None  # the marker is removed with the message shown

    for other in (client.get("/"), visitor.get("/")):
        assert cache_header(other) == "hit" and DELETED not in other.get_data(as_text=True)


@pytest.mark.parametrize(("base_url", "secure"), [("http://localhost", False), ("https://localhost", True)])
def test_the_marker_is_a_private_browser_session_cookie(app, base_url, secure):
    @app.get("/melding")
    def flash_and_redirect():
        flash("Lagret", "success")
        return redirect("/", 303)

    marker = app.test_client().get("/melding", base_url=base_url).headers["Set-Cookie"]
    parts = {part.strip() for part in marker.split(";")}
    assert marker.startswith(NOTICE_COOKIE + "=") and {"HttpOnly", "SameSite=Lax"} <= parts
    assert ("Secure" in parts) is secure
    assert not any(part.startswith(("Max-Age", "Expires")) for part in parts)  # gone when the browser closes


def test_a_message_shown_where_it_was_flashed_sets_no_marker(app):
    """Messages flashed and shown in one answer leave nothing waiting."""
    @app.get("/melding-her")
    def flash_and_show():
        flash("Vist med en gang", "success")
        return render_template_string('{% extends "base.html" %}')

    visitor = app.test_client()
    response = visitor.get("/melding-her")
    assert "Vist med en gang" in response.get_data(as_text=True)
    assert visitor.get_cookie(NOTICE_COOKIE) is None and cache_header(response) is None


def test_an_organiser_cookie_is_never_answered_from_the_cache_nor_stored(client):
    client.get("/programme")
    organiser = client.application.test_client()
    organiser.set_cookie(ORGANISER_COOKIE, "any-value-at-all")
    assert cache_header(organiser.get("/programme")) is None
    assert cache_header(organiser.get("/speakers")) is None
    assert cache_header(client.get("/speakers")) == "miss"  # the organiser's render was not kept


def test_a_logged_in_organiser_never_gets_a_cached_page(admin_client, client):
    assert cache_header(client.get("/programme")) == "miss"
    assert cache_header(client.get("/programme")) == "hit"
    assert admin_client.get_cookie(ORGANISER_COOKIE) is not None
    assert cache_header(admin_client.get("/programme")) is None
    post_form(admin_client, "/logout", {}, form_path="/admin/")
    assert admin_client.get_cookie(ORGANISER_COOKIE) is None


@pytest.mark.parametrize("cookie", [ORGANISER_COOKIE, NOTICE_COOKIE])
def test_a_personal_cookie_beside_other_cookies_still_counts(client, cookie):
    client.get("/stands")
    visitor = client.application.test_client()
    visitor.set_cookie("session", "x")
    visitor.set_cookie("lang", "nb")
    visitor.set_cookie(cookie, "1")
    assert cache_header(visitor.get("/stands")) is None


def test_organiser_pages_are_never_stored_or_shared(admin_client, client):
    for _ in range(2):
        page = admin_client.get("/admin/")
        assert page.status_code == 200 and "Innlogget som Ola Arrangør" in page.get_data(as_text=True)
        assert cache_header(page) is None
    anonymous = client.get("/admin/")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_a_page_with_a_csrf_token_is_never_stored_or_shared(app, client):
    @app.get("/skjema")
    def public_form():  # a plugin's public page with a form
        return render_template_string('<form method="post"><input name="csrf_token" value="{{ csrf_token() }}"></form>')

    visitor, _ticket = registered_visitor(app)
    own = csrf_token(visitor, "/skjema")
    again = visitor.get("/skjema")
    assert cache_header(again) is None and "Cookie" in again.headers["Vary"]
    assert own in again.get_data(as_text=True)
    other = client.get("/skjema")
    assert cache_header(other) is None and own not in other.get_data(as_text=True)


def test_an_answer_that_read_the_session_is_not_stored(app, client):
    """Flask says so with ``Vary: Cookie``; such an answer is never kept for someone else."""
    @app.get("/farge")
    def colour():
        return f"<p>{session.get('farge', 'ingen farge')}</p>"

    visitor = app.test_client()
    with visitor.session_transaction() as stored:
        stored["farge"] = "blå"
    mine = visitor.get("/farge")
    assert "blå" in mine.get_data(as_text=True) and "Cookie" in mine.headers["Vary"]
    assert cache_header(mine) is None
    theirs = client.get("/farge")
    assert "blå" not in theirs.get_data(as_text=True) and cache_header(theirs) is None


def test_a_visitor_without_a_message_needs_no_marker(app):
    visitor = app.test_client()
    visitor.set_cookie(NOTICE_COOKIE, "1")  # left over: the messages were shown elsewhere
    response = visitor.get("/stands")
    assert cache_header(response) is None
    assert re.match(NOTICE_COOKIE + r"=;", response.headers["Set-Cookie"])
    assert visitor.get_cookie(NOTICE_COOKIE) is None
    assert cache_header(visitor.get("/stands")) == "miss"


def test_made_up_languages_share_the_default_pages(client):
    """A language the site does not have is shown in Norwegian, from the same cache entry."""
    norwegian = client.get("/stands")
    visitor = client.application.test_client()
    visitor.set_cookie("lang", "tlh")
    page = visitor.get("/stands")
    assert cache_header(page) == "hit" and page.get_data() == norwegian.get_data()
    assert '<html lang="nb">' in page.get_data(as_text=True)
