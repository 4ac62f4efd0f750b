"""The dashboard, through the plugin hooks, and the organiser navigation's fixed links."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import SETTINGS, NavLink
from .views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def navigation_links(area, request):
    if area != "admin":
        return None
    return [
        NavLink(_("Oversikt"), url_for("admin.dashboard"), order=0),
        NavLink(_("Endringslogg"), url_for("admin.audit_log"), order=900, group=SETTINGS),
        NavLink(_("Bytt passord"), url_for("accounts.change_password"), order=950, group=SETTINGS),
    ]
