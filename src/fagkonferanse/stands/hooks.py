"""Stand pages and their navigation link, through the plugin hooks."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import STANDS, NavLink
from . import admin_views
from .views import bp


@hookimpl
def register_blueprints(app):
    return [bp, admin_views.bp]


@hookimpl
def navigation_links(area, request):
    if area == "admin":
        return [NavLink(_("Stands"), url_for("stands_admin.index"), order=40, group=STANDS)]
    if area != "public":
        return None
    return [NavLink(_("Stands"), url_for("stands.stand_list"), order=30)]
