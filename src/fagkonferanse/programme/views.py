"""Public programme and speaker pages."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template

from .. import clock
from ..events.phase import day_phase
from ..events.services import current_event_or_404
from ..extensions import db
from ..pagecache import request_content_version
from .models import ProgrammeItem
from .parallel import programme_layout
from .services import (delays_of_the_day, local_now, now_and_next, public_programme, seconds_until_change,
                       speakers)

bp = Blueprint("programme", __name__)


@bp.get("/programme")
def programme():
    return _day_page("programme/programme.html")


@bp.get("/programme/mine")
def mine():
    """"Mitt program": the whole day, of which agenda.js keeps the items starred in this browser.

    The stars live in the browser (or on the ticket, see registration/agenda.py), never in the
    request: the page is the same for everyone, cached like the programme, and holds no
    personal data.
    """
    return _day_page("programme/mine.html")


def _day_page(template: str):
    """A live page of the day: the programme with "now" and "next", the running-late notices."""
    event = current_event_or_404()
    items = public_programme(event)
    moment = local_now(event)
    day = day_phase(event.date, [(item.start, item.end) for item in items], moment)
    response = make_response(render_template(
        template, event=event, items=items, layout=programme_layout(items), marker=now_and_next(items, moment),
        day=day, delays=[] if day.is_over else delays_of_the_day(event), clock_offset=clock.offset_ms(),
        live_version=request_content_version(),
    ))
    # On the day, the "now" marker and the day's notices move: cache only until the next change.
    changes = [seconds for seconds in (seconds_until_change(items, moment), day.seconds_until_change())
               if seconds is not None]
    if changes:
        response.cache_control.max_age = min(changes)
    return response


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
