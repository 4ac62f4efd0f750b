"""Public stand pages: the list with the floor plan, and one stand."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..app import plugin_manager
from ..checkin.visits import is_poster_visit, poster_scan
from ..events.services import current_event_or_404
from ..pagecache import reads_query
from .services import floor_plan, stand_by_slug, stands

bp = Blueprint("stands", __name__)


@bp.get("/stands")
def stand_list() -> str:
    event = current_event_or_404()
    rows = stands(event)
    return render_template("stands/index.html", event=event, stands=rows, plan=floor_plan(event, rows))


@bp.get("/stands/<slug>")
@reads_query("from")  # ?from=poster: a scan, counted and redirected (never stored: a 303)
def stand(slug: str) -> str:
    if is_poster_visit():
        return poster_scan(slug)  # count the visit, then show the plain address
    event = current_event_or_404()
    found = stand_by_slug(event, slug)
    if found is None:
        abort(404)
    sections = [
        section
        for group in plugin_manager().hook.stand_page_sections(stand=found, request=request)
        for section in group or ()
    ]
    return render_template(
        "stands/stand.html", event=event, stand=found,
        sections=sorted(sections, key=lambda s: s.order),
        plan=floor_plan(event, [found]),
    )
