"""Programme pages and their navigation links, through the plugin hooks."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import NavLink
from .views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def navigation_links(area, request):
    if area != "public":
        return None
    return [
        NavLink(_("Program"), url_for("programme.programme"), order=10),
        NavLink(_("Foredragsholdere"), url_for("programme.speaker_list"), order=20),
    ]
