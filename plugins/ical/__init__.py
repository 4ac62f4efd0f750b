"""Built-in plugin: the programme as iCalendar, for the calendar attendees already carry.

* ``/programme.ics`` — the whole day, registered as an export format; calendars can subscribe
  to it (``webcal://``) and pick up a shifted programme on their next refresh, because every
  item keeps its UID and raises its SEQUENCE when edited.
* ``/programme/<id>.ics`` — one item, behind the "add to calendar" link on the programme pages
  (the ``ical/add_to_calendar.html`` partial, included where the core templates allow it).
* ``/programme/selection.ics?items=3,7,9`` — the items a browser starred ("Mitt program"),
  named by their ids alone: no personal data, the same answer for everyone (and cached).
* ``/agenda/<token>.ics`` — the items starred on a ticket, by the ticket's separate feed token
  (``fagkonferanse.registration.agenda``): it shows which items, never who starred them.

Every feed carries the same UIDs as ``/programme.ics``, so a calendar follows a shifted programme
whichever of them it subscribed to. The whole day and single items take ``?lang=en`` for the
calendar in English; the links on an English page carry it, so a subscriber keeps the language
they read the site in (a calendar app sends no cookie).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from flask import Blueprint, Response, abort, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fagkonferanse import (
    LANGUAGE_PARAMETER,
    MAX_ID,
    MAX_STARS,
    Event,
    ExportFormat,
    NavLink,
    ProgrammeItem,
    absolute_url,
    current_event_or_404,
    db,
    feed_selection,
    find_in_event,
    hookimpl,
    language_query,
    programme_items,
    reads_query,
    requested_language,
)

from .calendar import programme_calendar

MIMETYPE = "text/calendar"
_SELECTION = re.compile(r"[0-9]{1,10}(,[0-9]{1,10})*")

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


def parse_selection(value: str) -> set[int] | None:
    """The item ids of ``?items=3,7,9``; None unless it is such a list (at most ``MAX_STARS``)."""
    if not _SELECTION.fullmatch(value) or value.count(",") >= MAX_STARS:
        return None
    ids = {int(part) for part in value.split(",")}
    return ids if all(0 < item_id <= MAX_ID for item_id in ids) else None


def starred_calendar(event: Event, item_ids: Iterable[int]) -> bytes:
    """The starred items of ``event`` as one calendar, "Mitt program"; ids of other items are
    left out (an item deleted since it was starred, or one of another conference)."""
    wanted = set(item_ids)
    items = [item for item in programme_items(event) if item.id in wanted]
    return programme_calendar(event, items, name=_("Mitt program – %(title)s", title=event.title))


@bp.get("/programme/selection.ics")
@reads_query("items")
def selection_calendar() -> Response:
    """The items a browser starred, for "Mitt program" without a ticket."""
    event = current_event_or_404()
    wanted = parse_selection(request.args.get("items", ""))
    if wanted is None:
        abort(400)
    return Response(starred_calendar(event, wanted), mimetype=MIMETYPE)


@bp.get("/agenda/<token>.ics")
def agenda_calendar(token: str) -> Response:
    """The items starred on a ticket, by its feed token: a calendar subscription that follows the
    stars from any device. Never stored by the page cache or sent on as a Referer."""
    selection = feed_selection(token)
    event = None if selection is None else db.session.get(Event, selection.event_id)
    if selection is None or event is None:
        abort(404)
    response = Response(starred_calendar(event, selection.item_ids), mimetype=MIMETYPE)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def subscription_url() -> str:
    """The whole-day calendar as a ``webcal://`` link: calendars subscribe instead of importing.

    In the page's language: an English reader subscribes to the English calendar."""
    return webcal_url("export_ical", **language_query())


@bp.app_template_global()
def calendar_url(endpoint: str, **values) -> str:
    """A calendar's address from ``BASE_URL``: what a calendar app on a phone is given."""
    return absolute_url(endpoint, **values)


@bp.app_template_global()
def webcal_url(endpoint: str, **values) -> str:
    """A calendar's ``webcal://`` address, for the subscribe links: calendars subscribe to it."""
    return "webcal://" + calendar_url(endpoint, **values).split("://", 1)[1]


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


@hookimpl
def archive_endpoints():
    """An archived item's calendar entry and a chosen selection (public); not a ticket's feed."""
    return ["ical.item_calendar", "ical.selection_calendar"]
