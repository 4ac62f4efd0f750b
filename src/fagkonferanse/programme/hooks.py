"""Programme pages and their navigation links, through the plugin hooks."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import PROGRAMME, NavLink
from . import screen_views
from .admin import items, on_the_day, speakers
from .views import bp


@hookimpl
def register_blueprints(app):
    return [bp, screen_views.bp, items.bp, speakers.bp, on_the_day.bp]


@hookimpl
def navigation_links(area, request):
    if area == "admin":
        return [
            NavLink(_("Program"), url_for("programme_admin.index"), order=10, group=PROGRAMME),
            NavLink(_("Foredragsholdere"), url_for("speakers_admin.index"), order=20, group=PROGRAMME),
        ]
    if area != "public":
        return None
    return [
        NavLink(_("Program"), url_for("programme.programme"), order=10),
        NavLink(_("Foredragsholdere"), url_for("programme.speaker_list"), order=20),
    ]
