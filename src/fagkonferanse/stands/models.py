"""Stand: an organisation's table at a location in the building."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..events.models import Organisation
from ..extensions import db
from ..venue.models import Location


class Stand(db.Model):
    """Where an organisation meets attendees during lunch and stands."""

    __tablename__ = "stands"
    __cache_neutral__ = False  # the stand pages and the floor plan
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"))
    short_text: Mapped[str] = mapped_column(Text, default="")
    short_text_en: Mapped[str] = mapped_column(Text, default="")
    # Where its marker is on its floor's plan, in plan units; None: in the middle of its place.
    plan_x: Mapped[float | None]
    plan_y: Mapped[float | None]
    # The poster's colour ("#0b5c8c"); empty: the conference's own.
    accent_colour: Mapped[str] = mapped_column(String(7), default="")

    organisation: Mapped[Organisation] = relationship()
    location: Mapped[Location | None] = relationship()

    def __repr__(self) -> str:
        return f"<Stand {self.slug!r}>"
