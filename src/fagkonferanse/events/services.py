"""Finding the current event."""

from __future__ import annotations

from flask import abort

from ..extensions import db
from .models import Event


def current_event() -> Event | None:
    """The event marked current, or the most recent one when none is marked."""
    event = db.session.scalar(db.select(Event).where(Event.is_current.is_(True)))
    if event is None:
        event = db.session.scalar(db.select(Event).order_by(Event.date.desc()).limit(1))
    return event


def current_event_or_404() -> Event:
    """The current event for a page; a database without any event shows a 404 page."""
    event = current_event()
    if event is None:
        abort(404)
    return event


def make_current(event: Event) -> None:
    """Mark ``event`` as the current one (and no other)."""
    db.session.execute(db.update(Event).values(is_current=False))
    event.is_current = True
