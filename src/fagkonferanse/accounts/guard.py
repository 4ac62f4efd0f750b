"""The one rule every organiser page obeys: no organiser, no entry.

The guard runs before every request whose path starts with ``/admin`` — the core's pages and any
plugin's alike — so a page cannot be left open by forgetting a decorator.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

from ..extensions import db, login_manager
from .models import Organiser

ADMIN_PREFIX = "/admin"


def install(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    app.before_request(_require_organiser_for_admin)


@login_manager.user_loader
def _load_organiser(organiser_id: str) -> Organiser | None:
    return db.session.get(Organiser, int(organiser_id)) if organiser_id.isdigit() else None


@login_manager.unauthorized_handler
def _turn_away():
    """Pages send people to the login form; form posts and JSON get a plain 401."""
    wants_json = request.accept_mimetypes.best == "application/json" or request.is_json
    if request.method != "GET" or wants_json:
        abort(401)
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _require_organiser_for_admin():
    if request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/"):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
    return None


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths are followed after login: never an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
