"""The rules every organiser page obeys: no organiser, no entry; nothing kept by the browser.

The guard runs before every request whose path starts with ``/admin`` — the core's pages and any
plugin's alike — so a page cannot be left open by forgetting a decorator. Who is logged in comes
from the server-side session the ``fk_organiser`` cookie names (:mod:`.sessions`). An organiser
whose password someone else chose sees only the password page until they pick their own. Every
organiser page is sent with ``Cache-Control: no-store``: they show personal data.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import login_manager
from . import sessions

ADMIN_PREFIX = "/admin"
PASSWORD_PATH = ADMIN_PREFIX + "/password"


def install(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session is the protection
    sessions.install(app)
    app.before_request(_require_organiser_for_admin)
    app.after_request(_never_store_organiser_pages)


@login_manager.unauthorized_handler
def _turn_away():
    """Pages send people to the login form; form posts and JSON get a plain 401."""
    wants_json = request.accept_mimetypes.best == "application/json" or request.is_json
    if request.method != "GET" or wants_json:
        abort(401)
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def is_organiser_path(path: str) -> bool:
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def _require_organiser_for_admin():
    if not is_organiser_path(request.path):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.must_change_password and request.path != PASSWORD_PATH:
        if request.method != "GET":
            abort(403)
        flash(_("Velg ditt eget passord før du fortsetter."), "info")
        return redirect(url_for("accounts.change_password"))
    return None


def _never_store_organiser_pages(response: Response) -> Response:
    if is_organiser_path(request.path) or request.path == "/login":
        response.headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths are followed after login: never an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
