"""Hall screens: ``/screen`` for the whole conference, ``/screen/<place>`` for one room or corridor.

Public and without a login: a TV needs nothing but the address. The page is one live region
that live.js swaps in when the content version changes (an organiser shifts the day), and that
it fetches again when the site's clock reaches ``data-refresh-at``, the moment the screen next
changes by itself; the page cache keeps the rendered screen exactly until then (``max-age``).
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template
from markupsafe import Markup

from .. import clock
from ..events.models import Event
from ..events.phase import day_phase
from ..events.services import current_event_or_404
from ..pagecache import request_content_version
from ..i18n import current_language
from ..stands.services import stands
from ..venue.plan import building_plans, plan_of_floor
from ..venue.plan_svg import Drawing, render_plan
from ..venue.models import Location
from ..venue.services import locations
from .screen import find_place, items_at, screen_state, seconds_until, stands_by_floor
from .services import delays_of_the_day, local_now, public_programme

bp = Blueprint("screen", __name__)


@bp.get("/screen")
def screen():
    return _render(current_event_or_404(), None)


@bp.get("/screen/<place>")
def place_screen(place: str):
    event = current_event_or_404()
    location = find_place(locations(event), place)
    if location is None:
        abort(404)
    return _render(event, location)


def _floor_plan(event: Event, place: Location | None) -> tuple[int, Markup] | None:
    """A place's screen at lunch: its floor's plan, when stands are on it, with "Du er her" at
    the place: ``(floor number, svg)``. The whole conference's screen keeps to the tables."""
    plan = plan_of_floor(building_plans(event, current_language()), place)
    if plan is None or not plan.markers:
        return None
    return plan.number, render_plan(plan, Drawing(id_prefix="screen-plan", links=False, here_place=place))


def _render(event: Event, place: Location | None):
    programme = public_programme(event)
    day = day_phase(event.date, [(item.start, item.end) for item in programme], local_now(event))
    state = screen_state(programme if place is None else items_at(programme, place.id), day, event.date)
    response = make_response(render_template(
        "screen/screen.html", event=event, place=place, state=state, day=day,
        delays=[] if day.is_over else delays_of_the_day(event),
        floors=stands_by_floor(stands(event)) if state.is_lunch else (),
        plan=_floor_plan(event, place) if state.is_lunch else None,
        clock_offset=clock.offset_ms(), live_version=request_content_version(),
    ))
    holds_for = seconds_until(state.changes_at, day.now)
    if holds_for is not None:
        response.cache_control.max_age = holds_for
    return response
