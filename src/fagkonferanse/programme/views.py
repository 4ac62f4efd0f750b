"""Public programme and speaker pages."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template

from ..events.services import current_event_or_404
from ..extensions import db
from .models import ProgrammeItem
from .services import local_now, now_and_next, public_programme, seconds_until_change, speakers

bp = Blueprint("programme", __name__)


@bp.get("/programme")
def programme() -> str:
    event = current_event_or_404()
    items = public_programme(event)
    moment = local_now(event)
    response = make_response(render_template(
        "programme/programme.html", event=event, items=items, marker=now_and_next(items, moment),
    ))
    holds_for = seconds_until_change(items, moment)
    if holds_for is not None:  # on the day, the "now" marker moves: cache only until then
        response.cache_control.max_age = holds_for
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
