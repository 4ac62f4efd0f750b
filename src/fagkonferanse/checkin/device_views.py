"""The door as an app that works offline: its web manifest, service worker and page shell, the
attendee list a device holds, the sync of queued actions, and the dashboard's flagged scans.

Everything here is under ``/admin/checkin``, so the central guard lets only a logged-in organiser
in (JSON requests of a logged-out device get 401, which tells the device to wipe its list). Posts
carry the CSRF token like every form: ``X-CSRFToken`` for JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..accounts import sessions
from ..clock import utcnow
from ..events.services import current_event_or_404
from ..i18n import current_language
from . import doorflags, doorlist, doorsync, services
from .views import bp, page

ICON_SIZES = (192, 512)


@bp.get("/admin/checkin/shell")
def shell():
    """The door page as the service worker keeps it for an offline start: no answer, no search
    results, no messages (fetching it must not use up a message meant for another page)."""
    return page(shell=True)


@bp.get("/admin/checkin/sw.js")
def service_worker():
    """The door's service worker, served from here so that its scope may be ``/admin/checkin``."""
    script = (Path(current_app.static_folder) / "door-sw.js").read_bytes()
    return Response(script, mimetype="text/javascript", headers={"Service-Worker-Allowed": url_for(".door")})


@bp.get("/admin/checkin/manifest.webmanifest")
def manifest():
    """What a phone or laptop needs to install the door page as an app."""
    event = current_event_or_404()
    icons = [{"src": url_for("static", filename=f"door-icon-{size}.png"), "sizes": f"{size}x{size}",
              "type": "image/png", "purpose": "any"} for size in ICON_SIZES]
    icons.append({**icons[-1], "purpose": "maskable"})
    data = {
        "name": f"{_('Innsjekking')} – {event.title}",
        "short_name": _("Innsjekking"),
        "lang": current_language(),
        "start_url": url_for(".door"),
        "scope": url_for(".door"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5c8c",
        "icons": icons,
    }
    return Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")


@bp.get("/admin/checkin/people.json")
def people():
    """The attendee list for a door device: everyone, or what changed since ``?since=<cursor>``.

    Also a fresh CSRF token (a page started offline may hold a stale one) and when this login
    ends, so that a device offline past that time wipes the list by itself.
    """
    event = current_event_or_404()
    answer = doorlist.door_list(event, request.args.get("since"))
    login = getattr(current_user, "current_session", None)
    return jsonify(
        event=event.id, cursor=answer.cursor, full=answer.full, people=answer.people, counts=answer.counts,
        counters=services.counters(event), csrf_token=generate_csrf(),
        server_now=doorlist.epoch_ms(utcnow()),
        session_ends_at=doorlist.epoch_ms(sessions.ends_at(login)) if login is not None else None,
    )


@bp.post("/admin/checkin/sync")
def sync():
    """Apply a batch of a device's queued actions (see :mod:`.doorsync`); each gets its answer."""
    event = current_event_or_404()
    try:
        device, actions = doorsync.parse_batch(request.get_json(silent=True), utcnow())
    except doorsync.BadBatch as problem:
        return jsonify(error=str(problem)), 400
    applied = doorsync.apply_batch(event, device, actions, current_user)
    return jsonify(results=[_answer(event, item) for item in applied], counters=services.counters(event),
                   server_now=doorlist.epoch_ms(utcnow()))


def _answer(event, applied: doorsync.Applied) -> dict:
    scan, result = applied.scan, applied.result
    answer = {"scan_id": scan.scan_id, "state": scan.outcome, "flag": scan.flag, "replayed": applied.replayed,
              "person": doorlist.person_record(scan.registration) if scan.registration else None}
    if applied.errors:
        answer["errors"] = applied.errors
    if not scan.shown and not applied.replayed and scan.outcome in services.STATES:
        # The door waited for this answer: the same HTML the page renders without JavaScript.
        answer["html"] = render_template("admin/checkin/_result.html", result=result, event=event)
    return answer


@bp.post("/admin/checkin/flags/seen")
def flags_seen():
    """Mark one flagged door scan seen (``scan``), or all of them."""
    event = current_event_or_404()
    ids = None if request.form.get("all") else [int(value) for value in request.form.getlist("scan") if value.isdigit()]
    count = doorflags.mark_seen(event, ids, current_user)
    flash(ngettext("%(num)s avvik fra døra er merket som sett.", "%(num)s avvik fra døra er merket som sett.", count),
          "success")
    return redirect(url_for("admin.dashboard"), 303)


@bp.app_template_global("door_flags")
def door_flags(event):
    """For the dashboard's card: ``(flagged scans, how many)``."""
    return doorflags.unseen(event)
