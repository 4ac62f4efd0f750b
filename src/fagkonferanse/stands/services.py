"""Stands of an event, in the order every page lists and numbers them."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from ..collation import sort_key
from ..events.models import Event
from ..extensions import db
from .models import Stand


def stands(event: Event) -> list[Stand]:
    """The event's stands, building by building and floor by floor from the ground up, then by
    place; stands without a place last. The plan numbers them in this order."""
    rows = db.session.scalars(
        db.select(Stand)
        .where(Stand.event_id == event.id)
        .options(selectinload(Stand.organisation), selectinload(Stand.location))
    ).all()
    return sorted(rows, key=lambda s: (s.location is None, s.location.building if s.location else "",
                                       s.location.floor if s.location else 0,
                                       sort_key(s.location.name if s.location else ""), sort_key(s.organisation.name)))


def stand_by_slug(event: Event, slug: str) -> Stand | None:
    """The event's stand at ``/stands/<slug>``, or None."""
    return db.session.scalar(db.select(Stand).where(Stand.event_id == event.id, Stand.slug == slug))
