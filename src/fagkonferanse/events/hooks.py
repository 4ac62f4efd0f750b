"""The event pages and the organisers' page for the conference's texts, through the plugin hooks."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import SETTINGS, NavLink
from . import retention  # noqa: F401  (registers the worker's anonymising sweep)
from .admin_views import bp as admin_bp
from .conference_admin import bp as conferences_bp
from .views import bp


@hookimpl
def register_blueprints(app):
    return [bp, admin_bp, conferences_bp]


@hookimpl
def navigation_links(area, request):
    if area != "admin":
        return None
    return [NavLink(_("Konferansen"), url_for("event_admin.edit"), order=5, group=SETTINGS),
            NavLink(_("Konferanser og arkiv"), url_for("conferences.index"), order=6, group=SETTINGS)]
