"""Public stand pages: the building's plan with every stand, and one stand on its floor.

A poster's QR code opens ``/stands/<slug>?from=poster``: the visit is counted and the phone is
sent on to ``/stands/<slug>?fra=plakat``, which shows "Du er her" at that stand. The marker is
not personal (every scan of that poster gets the same page), so the page cache keeps it as one
more page.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from ..app import plugin_manager
from ..checkin.visits import HERE_MARKER, is_poster_visit, poster_scan
from ..events.services import current_event_or_404
from ..i18n import current_language
from ..pagecache import reads_query
from ..venue.plan import building_plans, plan_of_floor
from ..venue.plan_svg import Drawing, legend, min_width_px, render_plan
from .services import stand_by_slug, stands

bp = Blueprint("stands", __name__)


@bp.get("/stands")
def stand_list() -> str:
    event = current_event_or_404()
    rows = stands(event)
    plans = building_plans(event, current_language(), rows)
    figures = [(plan, render_plan(plan, Drawing(id_prefix=plan.anchor)), min_width_px(plan)) for plan in plans]
    numbers = {marker.stand.id: marker.number for plan in plans for marker in plan.markers}
    return render_template("stands/index.html", event=event, stands=rows, plans=plans, figures=figures,
                           legend=legend(plans), numbers=numbers)


@bp.get("/stands/<slug>")
@reads_query("from", "fra")  # ?from=poster: a scan, counted and redirected (never stored: a 303)
def stand(slug: str) -> str:
    if is_poster_visit():
        return poster_scan(slug)  # count the visit, then show the stand with "Du er her"
    event = current_event_or_404()
    found = stand_by_slug(event, slug)
    if found is None:
        abort(404)
    sections = [
        section
        for group in plugin_manager().hook.stand_page_sections(stand=found, request=request)
        for section in group or ()
    ]
    here = request.args.get("fra") == HERE_MARKER and found.location is not None
    plan = plan_of_floor(building_plans(event, current_language()), found.location)
    figure = None
    if plan is not None:
        drawing = Drawing(id_prefix="plan", highlight=found, here=found if here else None,
                          floor_href=lambda anchor: url_for("stands.stand_list", _anchor=anchor))
        figure = (plan, render_plan(plan, drawing), min_width_px(plan, drawing))
    return render_template(
        "stands/stand.html", event=event, stand=found,
        sections=sorted(sections, key=lambda s: s.order),
        figure=figure, here=here, legend=legend([plan]) if plan else [],
        marker=plan.marker_of(found) if plan else None,
    )
