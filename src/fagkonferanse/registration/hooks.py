"""Registration joins the site through the plugin hooks, like any plugin."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import PEOPLE, NavLink
from . import admin_views, settings_views, views
from .commands import attendees_group, mail_group
from .services import status_counts
from .settings import settings_for


@hookimpl
def register_blueprints(app):
    return [views.bp, admin_views.bp, settings_views.bp]


@hookimpl
def navigation_links(area, request):
    if area == "public":
        return [NavLink(_("Påmelding"), url_for("registration.register"), order=40)]
    if area == "admin":
        return [
            NavLink(_("Deltakere"), url_for("attendees.attendee_list"), order=20, group=PEOPLE),
            NavLink(_("Påmeldingsskjema"), url_for("registration_settings.edit"), order=22, group=PEOPLE),
        ]
    return None


@hookimpl
def dashboard_items(event):
    counts = status_counts(event)
    capacity = settings_for(event).capacity
    return [
        NavLink(_("Påmeldte"), url_for("attendees.attendee_list", status="confirmed"), order=10,
                detail=f"{counts['confirmed']} / {capacity}"),
        NavLink(_("Venteliste"), url_for("attendees.attendee_list", status="waiting"), order=11,
                detail=str(counts["waiting"])),
    ]


@hookimpl
def conference_loaded(event, source):
    settings_for(event)  # every event starts with its registration settings and seat counter


@hookimpl
def register_commands(cli):
    cli.add_command(attendees_group)
    cli.add_command(mail_group)
