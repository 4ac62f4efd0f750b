"""The event's front page and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, make_response, redirect, render_template, request

from sqlalchemy.exc import SQLAlchemyError

from .. import clock
from ..extensions import db
from ..pagecache import request_content_version
from ..i18n import LANGUAGE_COOKIE
from ..programme.models import ProgrammeItem
from .phase import conference_day
from .services import current_event_or_404

bp = Blueprint("events", __name__)


@bp.get("/")
def home():
    event = current_event_or_404()
    items = db.session.scalars(
        db.select(ProgrammeItem).where(ProgrammeItem.event_id == event.id).order_by(ProgrammeItem.start)
    ).all()
    day = conference_day(event)
    response = make_response(render_template("events/home.html", event=event, items=items, day=day))
    holds_for = day.seconds_until_change()
    if holds_for is not None:  # "took place on …" appears when the day is over: cache only until then
        response.cache_control.max_age = holds_for
    return response


@bp.get("/live.json")
def live_state():
    """What open programme pages and hall screens poll (every few seconds) to learn of a change.

    Tiny, the same for everyone, and versioned: the ETag is the content version, so a poll
    between changes is answered "304 Not Modified" — by the page cache, before Flask runs. The
    clock offset lets the pages' scripts follow the site's clock (``FAGKONFERANSE_NOW``).
    """
    version = request_content_version()
    response = jsonify(version=version, clock_offset_ms=clock.offset_ms())
    response.set_etag(str(version))
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/healthz")
def health():
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(db.text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/language/<code>")
def switch_language(code: str):
    """Remember the chosen language in a cookie and go back to the page the visitor was on."""
    target = request.args.get("next", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"  # never an open redirect
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)
    return response
