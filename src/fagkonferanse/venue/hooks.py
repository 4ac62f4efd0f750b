"""The organisers' location and floor-plan pages and their navigation links, through the plugin hooks."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import STANDS, NavLink
from .admin_views import bp
from .plan_views import bp as plans_bp


@hookimpl
def register_blueprints(app):
    return [bp, plans_bp]


@hookimpl
def navigation_links(area, request):
    if area != "admin":
        return None
    return [NavLink(_("Steder"), url_for("venue_admin.index"), order=42, group=STANDS),
            NavLink(_("Plantegninger"), url_for("plans_admin.index"), order=43, group=STANDS)]
