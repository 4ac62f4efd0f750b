"""Public programme and speaker pages."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template
from markupsafe import Markup

from .. import clock
from ..events.phase import day_phase
from ..events.services import current_event_or_404
from ..extensions import db
from ..i18n import current_language
from ..pagecache import derived, request_content_version
from .models import ProgrammeItem
from .parallel import programme_layout
from .services import (delays_of_the_day, local_now, now_and_next, public_programme, seconds_until_change,
                       speakers)

bp = Blueprint("programme", __name__)


@bp.get("/programme")
def programme():
    return _day_page("programme/programme.html", as_list=False)


@bp.get("/programme/mine")
def mine():
    """"Mitt program": the whole day, of which agenda.js keeps the items starred in this browser.

    The stars live in the browser (or on the ticket, see registration/agenda.py), never in the
    request: the page is the same for everyone, cached like the programme, and holds no
    personal data.
    """
    return _day_page("programme/mine.html", as_list=True)


def _day_page(template: str, as_list: bool):
    """A live page of the day: the programme with "now" and "next", the running-late notices."""
    event = current_event_or_404()
    items = public_programme(event)
    moment = local_now(event)
    day = day_phase(event.date, [(item.start, item.end) for item in items], moment)
    marker = now_and_next(items, moment)
    response = make_response(render_template(
        template, event=event, items=items, items_html=_items_html(event, items, marker, as_list), day=day,
        delays=[] if day.is_over else delays_of_the_day(event), clock_offset=clock.offset_ms(),
        live_version=request_content_version(),
    ))
    # On the day, the "now" marker and the day's notices move: cache only until the next change.
    changes = [seconds for seconds in (seconds_until_change(items, moment), day.seconds_until_change())
               if seconds is not None]
    if changes:
        response.cache_control.max_age = min(changes)
    return response


def _items_html(event, items, marker, as_list: bool) -> Markup:
    """The list (or grid) of the day's items, rendered once per content version, language and
    "now and next": most of the page's work, and the same between the day's boundaries."""
    key = ("programme_items", event.id, current_language(), as_list, marker.now_ids, marker.next_ids)
    return derived(key, lambda: Markup(render_template(
        "programme/_items.html", items=items, layout=programme_layout(items), marker=marker, as_list=as_list)))


@bp.get("/programme/<int:item_id>")
def item(item_id: int) -> str:
    event = current_event_or_404()
    found = db.session.get(ProgrammeItem, item_id)
    if found is None or found.event_id != event.id:
        abort(404)
    return render_template("programme/item.html", event=event, item=found)


@bp.get("/speakers")
def speaker_list() -> str:
    event = current_event_or_404()
    return render_template("programme/speakers.html", event=event, speakers=speakers(event))
