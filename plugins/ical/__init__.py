"""Built-in plugin: the programme as iCalendar, for the calendar attendees already carry.

* ``/programme.ics`` — the whole day, registered as an export format; calendars can subscribe
  to it (``webcal://``) and pick up a shifted programme on their next refresh, because every
  item keeps its UID and raises its SEQUENCE when edited.
* ``/programme/<id>.ics`` — one item, behind the "add to calendar" link on the programme pages
  (the ``ical/add_to_calendar.html`` partial, included where the core templates allow it).

Both take ``?lang=en`` for the calendar in English; the links on an English page carry it, so a
subscriber keeps the language they read the site in (a calendar app sends no cookie).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fagkonferanse import hookimpl, reads_query
from fagkonferanse.events.services import current_event_or_404
from fagkonferanse.i18n import LANGUAGE_PARAMETER, language_query, requested_language
from fagkonferanse.plugin_types import ExportFormat, NavLink
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.programme.services import programme_items

from fagkonferanse.identity import absolute_url, find_in_event
from .calendar import programme_calendar

MIMETYPE = "text/calendar"

bp = Blueprint("ical", __name__)


def render_programme(event) -> bytes:
    """The whole day's programme as one calendar."""
    return programme_calendar(event, programme_items(event))


@bp.get("/programme/<int:item_id>.ics")
@reads_query(LANGUAGE_PARAMETER)
def item_calendar(item_id: int) -> Response:
    """One programme item as a calendar file: what "Legg i kalenderen" downloads."""
    event = current_event_or_404()
    item = find_in_event(ProgrammeItem, event, item_id)
    if item is None:
        abort(404)
    with force_locale(requested_language()):
        body = programme_calendar(event, [item])
    return Response(body, mimetype=MIMETYPE)


def subscription_url() -> str:
    """The whole-day calendar as a ``webcal://`` link: calendars subscribe instead of importing.

    In the page's language: an English reader subscribes to the English calendar."""
    url = absolute_url("export_ical", **language_query())
    return "webcal://" + url.split("://", 1)[1]


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def template_folders():
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def export_formats():
    return [ExportFormat("ical", _l("Kalender (iCalendar)"), "/programme.ics", MIMETYPE, render_programme)]


@hookimpl
def navigation_links(area, request):
    if area != "exports":
        return None
    return [
        NavLink(_("Abonner på programmet i kalenderen din"), subscription_url(), order=10,
                detail=_("endringer i programmet kommer med av seg selv")),
        NavLink(_("Last ned hele dagen som kalenderfil (.ics)"), url_for("export_ical", **language_query()),
                order=11),
    ]
