"""Finding the current event."""

from __future__ import annotations

from flask import abort, g
from sqlalchemy.exc import SQLAlchemyError

from ..collation import norwegian_sorted
from ..extensions import db
from .archive import archive_event
from .models import Event, Organisation


def current_event() -> Event | None:
    """The event this request shows: the archived one under ``/arkiv/<slug>/`` (see
    :mod:`.archive`), else the event marked current, or the most recent one when none is marked."""
    archived = archive_event()
    if archived is not None:
        return archived
    return current_live_event()


def site_event() -> Event | None:
    """The conference the page belongs to, for the frame every page shares (its title, header and
    footer), also on pages that have no event of their own: the login, 404 and 500 pages.

    Read once per request. None when there is no event or the database cannot answer (the 500
    page must render even then).
    """
    if "site_event" not in g:
        try:
            g.site_event = current_event()
        except SQLAlchemyError:
            db.session.rollback()
            g.site_event = None
    return g.site_event


def organisations() -> list[Organisation]:
    """Every organisation, in Norwegian alphabetical order (the editors' choice lists)."""
    return norwegian_sorted(db.session.scalars(db.select(Organisation)), key=lambda org: org.name)


def current_event_or_404() -> Event:
    """The current event for a page; a database without any event shows a 404 page."""
    event = current_event()
    if event is None:
        abort(404)
    return event


def make_current(event: Event) -> None:
    """Mark ``event`` as the current one (and no other): the site shows it, the others are archives."""
    db.session.execute(db.update(Event).values(is_current=False))
    event.is_current = True


def archived_events() -> list[Event]:
    """Every earlier conference but the current one, newest first: the list at ``/arkiv/``."""
    from .archive import is_past

    current = current_live_event()
    query = db.select(Event).order_by(Event.date.desc(), Event.id.desc())
    if current is not None:
        query = query.where(Event.id != current.id)
    return [event for event in db.session.scalars(query) if is_past(event)]


def current_live_event() -> Event | None:
    """The conference the live site shows, also while an archive page is being rendered."""
    event = db.session.scalar(db.select(Event).where(Event.is_current.is_(True)))
    if event is None:
        event = db.session.scalar(db.select(Event).order_by(Event.date.desc()).limit(1))
    return event
