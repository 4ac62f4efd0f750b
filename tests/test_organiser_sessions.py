"""Organiser logins the server can end (accounts/sessions.py), and the organisers' own page.

Each replay test copies a logged-in browser's cookies into a second client with the same address
and User-Agent — what someone who copied the cookie would send — after the login should have ended.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fagkonferanse.accounts.models import Organiser, OrganiserSession
from fagkonferanse.extensions import db

from .conftest import ORGANISER_EMAIL, ORGANISER_PASSWORD, csrf_token, log_in, make_app, post_form

AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
ENVIRON = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": AGENT}
COLLEAGUE, COLLEAGUE_PASSWORD = "kari@example.no", "kari-sitt-passord"


def browser(app):
    client = app.test_client()
    client.environ_base.update(ENVIRON)
    return client


def logged_in(app, email=ORGANISER_EMAIL, password=ORGANISER_PASSWORD):
    client = browser(app)
    assert log_in(client, email, password).status_code == 302
    assert client.get("/admin/").status_code == 200
    return client


def copy_of(client, app):
    """Another client holding exactly the cookies ``client`` holds now."""
    thief = browser(app)
    for name in ("session", "fk_organiser"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


@pytest.fixture
def colleague(app, organiser):
    from fagkonferanse.accounts.services import create_organiser

    with app.app_context():
        create_organiser(COLLEAGUE, COLLEAGUE_PASSWORD, "Kari")
        db.session.commit()
    return COLLEAGUE


def test_the_login_is_a_cookie_of_its_own_naming_a_server_side_session(app, organiser):
    client = browser(app)
    response = log_in(client)
    cookie = next(value for name, value in response.headers.items()
                  if name == "Set-Cookie" and value.startswith("fk_organiser="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    token = client.get_cookie("fk_organiser").value
    with app.app_context():
        [login] = db.session.scalars(db.select(OrganiserSession)).all()
        assert login.token_hash != token and len(login.token_hash) == 64  # only a hash is stored
        assert login.user_agent == AGENT


def test_the_cookie_is_secure_when_the_site_is_https(instance, organiser_on_https):
    response = log_in(browser(organiser_on_https))
    cookie = next(value for name, value in response.headers.items()
                  if name == "Set-Cookie" and value.startswith("fk_organiser="))
    assert "Secure" in cookie


@pytest.fixture
def organiser_on_https(instance):
    from fagkonferanse.accounts.services import create_organiser

    app = make_app(instance, BASE_URL="https://konferanse.example.no")
    with app.app_context():
        create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_copied_cookie_stops_working_at_logout(app, organiser):
    client = logged_in(app)
    thief = copy_of(client, app)
    assert thief.get("/admin/").status_code == 200
    post_form(client, "/logout", {}, form_path="/admin/")
    assert thief.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_a_password_change_ends_every_other_login(app, organiser):
    phone, laptop = logged_in(app), logged_in(app)
    thief = copy_of(laptop, app)
    response = post_form(phone, "/admin/password", {"current_password": ORGANISER_PASSWORD,
                                                    "new_password": "et-helt-nytt-passord",
                                                    "confirm": "et-helt-nytt-passord"})
    assert response.status_code == 302
    assert "logget ut i alle andre nettlesere" in phone.get("/admin/").get_data(as_text=True)
    assert phone.get("/admin/").status_code == 200
    assert laptop.get("/admin/").status_code == 302
    assert thief.get("/admin/").status_code == 302


def test_log_out_everywhere_ends_this_login_too(app, organiser):
    phone, laptop = logged_in(app), logged_in(app)
    thief = copy_of(phone, app)
    page = phone.get("/admin/password").get_data(as_text=True)
    assert page.count("Firefox, Linux") == 2 and "(denne)" in page
    response = post_form(phone, "/admin/password/logout-everywhere", {}, form_path="/admin/password")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert [c.get("/admin/").status_code for c in (phone, laptop, thief)] == [302, 302, 302]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OrganiserSession.id))) == 0


def test_a_deactivated_organiser_is_out_at_once_and_cannot_log_in(app, colleague):
    kari = logged_in(app, COLLEAGUE, COLLEAGUE_PASSWORD)
    thief = copy_of(kari, app)
    ola = logged_in(app)
    kari_id = _id_of(app, COLLEAGUE)
    response = post_form(ola, f"/admin/organisers/{kari_id}/deactivate", {}, form_path="/admin/organisers")
    assert response.status_code == 303
    assert "kari@example.no er deaktivert" in ola.get("/admin/organisers").get_data(as_text=True)
    assert kari.get("/admin/").status_code == 302 and thief.get("/admin/").status_code == 302
    assert log_in(browser(app), COLLEAGUE, COLLEAGUE_PASSWORD).status_code == 400
    post_form(ola, f"/admin/organisers/{kari_id}/activate", {}, form_path="/admin/organisers")
    assert log_in(browser(app), COLLEAGUE, COLLEAGUE_PASSWORD).status_code == 302


def test_a_removed_organiser_is_out_at_once_and_the_audit_log_keeps_who(app, colleague):
    kari = logged_in(app, COLLEAGUE, COLLEAGUE_PASSWORD)
    thief = copy_of(kari, app)
    ola = logged_in(app)
    kari_id = _id_of(app, COLLEAGUE)
    assert "Fjerne kontoen til kari@example.no?" in ola.get(f"/admin/organisers/{kari_id}/remove").get_data(
        as_text=True)
    response = post_form(ola, f"/admin/organisers/{kari_id}/remove", {})
    assert response.status_code == 303
    assert thief.get("/admin/").status_code == 302 and kari.get("/admin/").status_code == 302
    with app.app_context():
        assert db.session.get(Organiser, kari_id) is None
    assert "Arrangør kari@example.no fjernet" in ola.get("/admin/audit").get_data(as_text=True)


def test_nobody_locks_themselves_or_the_site_out(app, organiser):
    ola = logged_in(app)
    ola_id = _id_of(app, ORGANISER_EMAIL)
    response = post_form(ola, f"/admin/organisers/{ola_id}/deactivate", {}, form_path="/admin/organisers")
    assert response.status_code == 303
    assert "Du kan ikke deaktivere eller fjerne din egen konto." in ola.get("/admin/organisers").get_data(
        as_text=True)
    assert ola.get("/admin/").status_code == 200
    result = app.test_cli_runner().invoke(args=["organisers", "deactivate", ORGANISER_EMAIL])
    assert result.exit_code == 1 and "last active organiser" in result.output


def test_an_organiser_added_on_the_page_must_choose_a_password_at_first_login(app, organiser):
    ola = logged_in(app)
    response = post_form(ola, "/admin/organisers/new", {"email": "Per@Example.no", "name": "Per"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    temporary = re.search(r"<code>([^<]+)</code>", page).group(1)
    assert "per@example.no er lagt til" in page and len(temporary) >= 16
    again = post_form(ola, "/admin/organisers/new", {"email": "per@example.no"})
    assert again.status_code == 400 and "Det finnes allerede en arrangør" in again.get_data(as_text=True)

    per = browser(app)
    assert log_in(per, "per@example.no", temporary).status_code == 302
    first = per.get("/admin/")
    assert first.status_code == 302 and first.headers["Location"] == "/admin/password"
    assert post_form(per, "/admin/print/", {}, form_path="/admin/password").status_code == 403
    refused = post_form(per, "/admin/password", {"current_password": temporary, "new_password": temporary,
                                                 "confirm": temporary})
    assert "Velg et annet passord" in refused.get_data(as_text=True)
    post_form(per, "/admin/password", {"current_password": temporary, "new_password": "pers-eget-passord",
                                       "confirm": "pers-eget-passord"})
    assert per.get("/admin/").status_code == 200


def test_setup_requires_a_new_password_at_first_login(tmp_path):
    app = make_app(tmp_path / "instance")
    output = app.test_cli_runner().invoke(args=["setup"]).output
    email, password = re.search(r"as (\S+) with password (\S+)", output).groups()
    client = browser(app)
    assert log_in(client, email, password).status_code == 302
    assert client.get("/admin/").headers["Location"] == "/admin/password"
    assert "Velg ditt eget" in client.get("/admin/password").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_a_login_ends_after_hours_without_use(app, organiser):
    client = logged_in(app)
    with app.app_context():
        login = db.session.scalar(db.select(OrganiserSession))
        login.last_seen_at -= dt.timedelta(hours=13)
        db.session.commit()
    assert client.get("/admin/").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OrganiserSession.id))) == 0


def test_a_login_ends_at_the_latest_after_its_lifetime(app, organiser):
    client = logged_in(app)
    with app.app_context():
        login = db.session.scalar(db.select(OrganiserSession))
        login.created_at -= dt.timedelta(days=15)
        db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_organiser_pages_are_never_stored_by_the_browser(app, organiser, admin_client):
    for path in ("/admin/", "/admin/attendees/", "/admin/organisers", "/admin/password"):
        assert admin_client.get(path).headers["Cache-Control"] == "no-store", path
    assert app.test_client().get("/login").headers["Cache-Control"] == "no-store"


def test_organisers_commands(app, organiser, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.setenv("FAGKONFERANSE_ORGANISER_PASSWORD", "kari-sitt-passord")
    assert runner.invoke(args=["organisers", "add", "kari@example.no", "--name", "Kari"]).exit_code == 0
    listing = runner.invoke(args=["organisers", "list"]).output
    assert "kari@example.no\tKari\tactive" in listing and "ola@example.no" in listing
    kari = logged_in(app, COLLEAGUE, COLLEAGUE_PASSWORD)
    assert runner.invoke(args=["organisers", "deactivate", "kari@example.no"]).exit_code == 0
    assert kari.get("/admin/").status_code == 302
    assert "deactivated" in runner.invoke(args=["organisers", "list"]).output
    assert runner.invoke(args=["organisers", "activate", "kari@example.no"]).exit_code == 0
    refused = runner.invoke(args=["organisers", "remove", "kari@example.no"], input="n\n")
    assert refused.exit_code == 1 and _id_of(app, COLLEAGUE) is not None
    assert runner.invoke(args=["organisers", "remove", "kari@example.no", "--yes"]).exit_code == 0
    assert _id_of(app, COLLEAGUE) is None
    unknown = runner.invoke(args=["organisers", "deactivate", "ingen@example.no"])
    assert unknown.exit_code == 1 and "no organiser with e-mail ingen@example.no" in unknown.output


def test_the_organisers_page_lists_accounts_with_their_logins(app, colleague):
    logged_in(app, COLLEAGUE, COLLEAGUE_PASSWORD)
    ola = logged_in(app)
    page = ola.get("/admin/organisers").get_data(as_text=True)
    assert "kari@example.no" in page and "Ola Arrangør" in page
    assert "1 nettleser" in page and "Arrangører" in page
    assert csrf_token(ola, "/admin/organisers")


def _id_of(app, email: str) -> int | None:
    with app.app_context():
        return db.session.scalar(db.select(Organiser.id).where(Organiser.email == email))


def test_a_session_lifetime_that_is_not_a_number_stops_start_up_with_its_name(instance):
    from fagkonferanse.config import ConfigError

    with pytest.raises(ConfigError, match="ORGANISER_SESSION_DAYS must be a positive number"):
        make_app(instance, ORGANISER_SESSION_DAYS="fjorten")


@pytest.mark.parametrize(("agent", "described"), [
    ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
     "Chrome, Android"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 "
     "Safari/604.1", "Safari, iPhone"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
     "Edge, Windows"),
    ("curl/8.5.0", ""),
])
def test_logins_are_named_by_browser_and_system(agent, described):
    from fagkonferanse.accounts.sessions import describe_browser

    assert describe_browser(agent) == described
