"""Check-in, stand visits and statistics join the site through the plugin hooks."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..hookspecs import hookimpl
from ..plugin_types import DOOR, NavLink, PageSection
from . import device_views, passport, services, views  # noqa: F401 (device_views adds routes to views.bp)
from .visit_buffer import hand_off_due_visits


@hookimpl
def register_blueprints(app):
    app.after_request(hand_off_due_visits)  # batches of poster visits whose time is up (visit_buffer.py)
    return [views.bp]


@hookimpl
def navigation_links(area, request):
    if area != "admin":
        return None
    return [
        NavLink(_("Innsjekking"), url_for("checkin.door"), order=21, group=DOOR),
        NavLink(_("Statistikk"), url_for("checkin.statistics"), order=23, group=DOOR),
    ]


@hookimpl
def dashboard_items(event):
    counts = services.counters(event)
    return [NavLink(_("Sjekket inn"), url_for("checkin.door"), order=12,
                    detail=f"{counts['checked_in']} / {counts['confirmed']}")]


@hookimpl
def stand_page_sections(stand, request):
    """On a stand's page, a browser with a stand passport sees whether this stand is stamped."""
    holder = passport.registration_of_browser()
    if holder is None or holder.event_id != stand.event_id:
        return None
    stamps = passport.stamps_of(holder)
    html = render_template("registration/_passport_section.html", stand=stand,
                           stamped=any(s.stand_id == stand.id for s in stamps), count=len(stamps))
    return [PageSection(_("Standpass"), Markup(html), order=5)]
