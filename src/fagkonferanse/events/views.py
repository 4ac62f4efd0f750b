"""The event's front page, the language switch and the site's small fixed answers (icon, health)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import (Blueprint, current_app, jsonify, make_response, redirect, render_template, request,
                   send_from_directory)
from sqlalchemy.exc import SQLAlchemyError

from .. import clock
from ..extensions import db
from ..pagecache import request_content_version
from ..i18n import LANGUAGE_COOKIE
from ..programme.models import ProgrammeItem
from ..registration.settings import registration_window
from .phase import conference_day
from .archive import archive_url
from .services import archived_events, current_event_or_404, current_live_event

bp = Blueprint("events", __name__)


@bp.get("/")
def home():
    event = current_event_or_404()
    items = db.session.scalars(
        db.select(ProgrammeItem).where(ProgrammeItem.event_id == event.id).order_by(ProgrammeItem.start)
    ).all()
    day = conference_day(event)
    registration = registration_window(event)
    response = make_response(render_template("events/home.html", event=event, items=items, day=day,
                                             registration=registration))
    # "Took place on …" appears when the day is over, "Påmeldingen er stengt" when registration
    # closes by the clock: the page is cached only until the first of them.
    moments = [seconds for seconds in (day.seconds_until_change(), registration.holds_for) if seconds is not None]
    if moments:
        response.cache_control.max_age = min(moments)
    return response


@bp.get("/arkiv/")
def archive_list():
    """The earlier conferences, each a link to its archive; the current one is the live site."""
    return render_template("events/archives.html", events=archived_events(), current=current_live_event(),
                           archive_url=archive_url)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page links to; pages link the SVG and PNGs."""
    return send_from_directory(Path(current_app.static_folder) / "icons", "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600)


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
    response = redirect(request.script_root + target)  # an archive page's switch stays in the archive
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)
    return response
