"""Messaging joins the site through the plugin hooks, like any plugin."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import PEOPLE, NavLink
from . import services, views  # noqa: F401  (services registers the reminder's sweep)


@hookimpl
def register_blueprints(app):
    return [views.bp]


@hookimpl
def navigation_links(area, request):
    if area == "admin":
        return [NavLink(_("Meldinger"), url_for("messages.index"), order=24, group=PEOPLE)]
    return None
