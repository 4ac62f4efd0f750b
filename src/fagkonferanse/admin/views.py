"""The organisers' dashboard at /admin."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..app import plugin_manager
from ..audit.services import recent_entries
from ..events.services import current_event_or_404
from ..programme.admin.editing import programme_conflicts
from ..programme.admin.on_the_day import on_the_day_card
from .services import programme_status, speakers_without_items

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
def dashboard() -> str:
    event = current_event_or_404()
    items = [item for group in plugin_manager().hook.dashboard_items(event=event) for item in group or ()]
    return render_template(
        "admin/dashboard.html",
        event=event,
        status=programme_status(event),
        idle_speakers=speakers_without_items(event),
        plugin_items=sorted(items, key=lambda item: item.order),
        recent=recent_entries(event.id, limit=5),
        conflicts=programme_conflicts(event),
        today=on_the_day_card(event),
    )


@bp.get("/audit")
def audit_log() -> str:
    event = current_event_or_404()
    return render_template("admin/audit.html", event=event, entries=recent_entries(event.id))
