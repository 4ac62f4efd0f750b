"""The door (``/admin/checkin``), the public landing page of a check-in code (``/c/<code>``) and
the stand passport page (``/passport``).

The door page works without JavaScript: the scan field is an ordinary form (a USB scanner types
the code and Enter). ``static/checkin.js`` adds the phone camera, keeps the page in place between
scans and makes the page work offline (device_views.py has its endpoints).
"""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..app import plugin_manager
from ..events.services import current_event_or_404
from ..extensions import db
from ..i18n import CLOCK_PATTERNS, current_language
from ..ratelimits import limited
from ..registration.forms import build_form_class
from ..registration.models import Registration
from ..registration.services import find_by_code
from ..registration.settings import MUNICIPALITY_SUGGESTIONS, questions_for, settings_for
from ..registration.tokens import is_checkin_code
from ..stands.services import stands
from . import passport, services, stats
from .models import CheckIn

bp = Blueprint("checkin", __name__)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _walk_in_form():
    event = current_event_or_404()
    return build_form_class(settings_for(event), questions_for(event), purpose="walk-in")(prefix="walkin")


def door_scripts() -> list[str]:
    """The plugins' scripts for the door page (``door_scripts`` hook), in plugin order, once each."""
    urls = [url for group in plugin_manager().hook.door_scripts() for url in group or ()]
    return list(dict.fromkeys(urls))


def page(result: services.ScanResult | None = None, status: int = 200, walk_in=None, shell: bool = False):
    """The door page; ``shell``: as a door device keeps it for starting offline (device_views.py)."""
    event = current_event_or_404()
    query = "" if shell else (request.args.get("q") or "").strip()[:200]
    return render_template(
        "admin/checkin/page.html", event=event, result=result, query=query,
        found=services.search(event, query) if query else [],
        counters=services.counters(event), walk_in=walk_in or _walk_in_form(),
        municipalities=MUNICIPALITY_SUGGESTIONS, shell=shell, door_scripts=door_scripts(),
        clock_pattern=CLOCK_PATTERNS.get(current_language(), CLOCK_PATTERNS["nb"]),
    ), status


def _answer(result: services.ScanResult, status: int = 200):
    """JSON for the page's script, the whole page otherwise."""
    if _wants_json():
        event = current_event_or_404()
        html = render_template("admin/checkin/_result.html", result=result, event=event)
        return jsonify(state=result.state, html=html, counters=services.counters(event)), status
    return page(result, status)


@bp.get("/admin/checkin")
def door():
    return page()


def _too_many_scans():
    """Over the ``scan`` limit: the door page (or its script) is told to wait a little."""
    if _wants_json():
        return jsonify(state="rate_limited", html="", counters=None), 429
    flash(_("For mange skanninger på kort tid. Vent litt og prøv igjen."), "error")
    return page(status=429)


def _organiser_key() -> str:
    return f"organiser:{current_user.get_id()}"


@bp.post("/admin/checkin/scan")
@limited("scan", key=_organiser_key, refused=_too_many_scans)
def scan():
    event = current_event_or_404()
    return _answer(services.scan(event, request.form.get("code", ""), current_user))


@bp.post("/admin/checkin/registrations/<int:registration_id>")
def check_in_person(registration_id: int):
    """Check in from the name search (people without their code)."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != current_event_or_404().id:
        return _answer(services.ScanResult(services.UNKNOWN), 404)
    return _answer(services.check_in(registration, current_user, method="search"))


@bp.post("/admin/checkin/<int:checkin_id>/undo")
def undo(checkin_id: int):
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None:
        flash(_("Innsjekkingen var allerede angret."), "error")
        return redirect(url_for(".door"), 303)
    registration = services.undo(checkin)
    flash(_("Innsjekkingen av %(name)s er angret.", name=registration.name), "success")
    return redirect(url_for(".door"), 303)


@bp.post("/admin/checkin/walk-in")
def walk_in():
    form = _walk_in_form()
    if not form.validate_on_submit():
        return page(status=400, walk_in=form)
    result = services.walk_in(current_event_or_404(), form.details(), current_user)
    return page(result)


@bp.get("/admin/checkin/counters.json")
def counters():
    response = jsonify(services.counters(current_event_or_404()))
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Public pages -----------------------------------------------------------------------------


@bp.get("/c/<code>")
@limited("checkin-link", methods=None, exempt_when=lambda: current_user.is_authenticated)
def code_link(code: str):
    """Where the door QR code points. It tells a visitor nothing: organisers get a check-in button."""
    if not current_user.is_authenticated:
        return render_template("registration/show_at_door.html", event=current_event_or_404())
    code = code.lower()
    registration = find_by_code(code) if is_checkin_code(code) else None
    event = current_event_or_404()
    return render_template("admin/checkin/code.html", event=event, code=code, registration=registration)


@bp.route("/passport", methods=["GET", "POST"])
def passport_page():
    """The stand passport of this browser: stands visited, and a button to delete it."""
    event = current_event_or_404()
    holder = passport.registration_of_browser()
    if request.method == "POST":
        response = redirect(url_for(".passport_page"), 303)
        if holder is not None:
            passport.switch_off(holder, response)
            flash(_("Standpasset er slått av, og stempler er slettet."), "success")
        else:
            passport.forget_browser(response)
        return response
    response = render_template("registration/passport.html", event=event, holder=holder,
                               stamps=passport.stamps_of(holder) if holder else [], total=len(stands(event)))
    return response, 200, {"Cache-Control": "no-store"}


# --- Statistics -------------------------------------------------------------------------------


@bp.get("/admin/stats")
def statistics():
    """Registrations and check-ins over time, and stand visits per stand and hour."""
    event = current_event_or_404()
    per_day = stats.registrations_per_day(event)
    per_slot = stats.checkins_per_slot(event)
    visits = stats.visits_per_stand(event)
    return render_template(
        "admin/checkin/stats.html", event=event,
        registrations=stats.bars([(day, count) for day, count in per_day]),
        checkins=stats.bars([(slot, count) for slot, count in per_slot]),
        visits=visits,
        stand_totals=stats.bars([(stand.organisation.name, total) for stand, _counts, total in visits.rows]),
        counters=services.counters(event),
    )
