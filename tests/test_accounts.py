"""Organiser accounts: login, logout, password change, and the guard on every /admin route."""

from __future__ import annotations

import re

import pytest

from fagkonferanse.accounts.models import Organiser
from fagkonferanse.extensions import db

from .conftest import ORGANISER_EMAIL, ORGANISER_PASSWORD, csrf_token, log_in, post_form


def test_login_leads_to_the_dashboard(app, organiser):
    client = app.test_client()
    response = log_in(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    page = client.get("/admin/").get_data(as_text=True)
    assert "Oversikt" in page and "Ola Arrangør" in page
    assert "16" in page  # programme items of the 2016 conference


def test_the_form_session_cookie_is_httponly_and_samesite(app, organiser):
    """Flask's session cookie carries the login form's CSRF token (the login has a cookie of its own)."""
    client = app.test_client()
    response = client.get("/login")
    cookie = next(value for name, value in response.headers.items()
                  if name == "Set-Cookie" and value.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(("email", "password"), [
    (ORGANISER_EMAIL, "feil-passord-her"),
    ("ukjent@example.no", ORGANISER_PASSWORD),
    ("", ""),
])
def test_wrong_credentials_are_refused_with_one_message(app, organiser, email, password):
    client = app.test_client()
    response = log_in(client, email, password)
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302
    if email:
        assert "Feil e-post eller passord." in response.get_data(as_text=True)


def test_login_follows_next_only_within_the_site(app, organiser):
    client = app.test_client()
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
    assert client.post("/login?next=/admin/audit", data=data).headers["Location"] == "/admin/audit"
    for evil in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        client = app.test_client()
        data["csrf_token"] = csrf_token(client, "/login")
        assert client.post("/login", query_string={"next": evil}, data=data).headers["Location"] == "/admin/"


def test_login_without_csrf_token_is_refused(app, organiser):
    client = app.test_client()
    response = client.post("/login", data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_logout_ends_the_session(admin_client):
    response = post_form(admin_client, "/logout", {}, form_path="/admin/")
    assert response.status_code == 302
    assert admin_client.get("/admin/").status_code == 302


def test_change_password(admin_client, app):
    wrong = post_form(admin_client, "/admin/password", {
        "current_password": "ikke-dette", "new_password": "et-nytt-langt-passord", "confirm": "et-nytt-langt-passord"})
    assert "Passordet stemmer ikke." in wrong.get_data(as_text=True)
    short = post_form(admin_client, "/admin/password", {
        "current_password": ORGANISER_PASSWORD, "new_password": "kort", "confirm": "kort"})
    assert short.status_code == 400
    ok = post_form(admin_client, "/admin/password", {
        "current_password": ORGANISER_PASSWORD, "new_password": "et-nytt-langt-passord",
        "confirm": "et-nytt-langt-passord"})
    assert ok.status_code == 302
    fresh = app.test_client()
    assert log_in(fresh).status_code == 400
    assert log_in(fresh, password="et-nytt-langt-passord").status_code == 302


def test_every_admin_endpoint_turns_away_anonymous_requests(app):
    """Walk the URL map: pages redirect to login, posts and JSON get 401."""
    client = app.test_client()
    admin_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")]
    assert len(admin_rules) >= 3
    for rule in admin_rules:
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(path, method=method)
            if method == "GET":
                assert response.status_code == 302, (method, path)
                assert response.headers["Location"].startswith("/login?next="), path
                json_response = client.get(path, headers={"Accept": "application/json"})
                assert json_response.status_code == 401, path
            else:
                assert response.status_code in (401, 403), (method, path)


def test_create_organiser_command_from_environment(app, monkeypatch):
    monkeypatch.setenv("FAGKONFERANSE_ORGANISER_PASSWORD", "skript-passord-123")
    result = app.test_cli_runner().invoke(args=["create-organiser", "Kari@Example.no", "--name", "Kari"])
    assert result.exit_code == 0, result.output
    assert log_in(app.test_client(), "kari@example.no", "skript-passord-123").status_code == 302
    again = app.test_cli_runner().invoke(args=["create-organiser", "kari@example.no"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_create_organiser_command_prompts_and_checks_length(app, monkeypatch):
    monkeypatch.delenv("FAGKONFERANSE_ORGANISER_PASSWORD", raising=False)
    short = app.test_cli_runner().invoke(args=["create-organiser", "per@example.no"], input="kort\nkort\n")
    assert short.exit_code == 1 and "at least 10" in short.output
    ok = app.test_cli_runner().invoke(args=["create-organiser", "per@example.no"],
                                      input="langt-nok-passord\nlangt-nok-passord\n")
    assert ok.exit_code == 0, ok.output
    with app.app_context():
        stored = db.session.scalar(db.select(Organiser).where(Organiser.email == "per@example.no"))
        assert stored.password_hash != "langt-nok-passord" and stored.password_hash.startswith("scrypt:")


def test_setup_creates_a_first_organiser_with_a_random_password_once(tmp_path):
    from .conftest import make_app

    app = make_app(tmp_path / "instance")
    first = app.test_cli_runner().invoke(args=["setup"])
    match = re.search(r"as (\S+) with password (\S+)", first.output)
    assert match, first.output
    email, password = match.groups()
    assert log_in(app.test_client(), email, password).status_code == 302
    second = app.test_cli_runner().invoke(args=["setup"])
    assert "password" not in second.output
    other = make_app(tmp_path / "other")
    other_password = re.search(r"with password (\S+)", other.test_cli_runner().invoke(args=["setup"]).output)[1]
    assert other_password != password
    for application in (app, other):
        with application.app_context():
            db.engine.dispose()
