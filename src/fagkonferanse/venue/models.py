"""Location and Floor: the places in a building, and each floor's plan that draws them.

A place's shape on the plan is the location's own ``outline``, not a second model: a stand, a
programme item, a hall screen and a copied conference all point at the same row.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..uploads.models import UploadedImage

LOCATION_KINDS = ("room", "hall", "corridor", "stairway", "lift", "entrance", "toilet", "coffee_bar", "area")
DEFAULT_PLAN_WIDTH, DEFAULT_PLAN_HEIGHT = 1000, 600


class Location(db.Model):
    """A place in the venue where a programme item or a stand can be."""

    __tablename__ = "locations"
    __cache_neutral__ = False  # rooms on the programme and stand pages
    __table_args__ = (UniqueConstraint("event_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    building: Mapped[str] = mapped_column(String(100))
    floor: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20), default="room")
    # Where the booklet says it is, in its own words ("Gangen utenfor H-113").
    description: Mapped[str] = mapped_column(String(300), default="")
    # Its shape on the floor's plan, as SVG points in plan units ("10,20 110,20 110,80 10,80");
    # empty: not drawn yet (the plan then lays it out as a box, see venue.plan).
    outline: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<Location {self.name!r} floor {self.floor}>"


class Floor(db.Model):
    """One floor of a building: its plan's size in plan units, an uploaded drawing under the
    shapes, and what the organisers say about the plan (drawn to scale or schematic)."""

    __tablename__ = "floors"
    __cache_neutral__ = False  # the public floor plan
    __table_args__ = (UniqueConstraint("event_id", "building", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    building: Mapped[str] = mapped_column(String(100))
    number: Mapped[int]
    width: Mapped[int] = mapped_column(default=DEFAULT_PLAN_WIDTH)
    height: Mapped[int] = mapped_column(default=DEFAULT_PLAN_HEIGHT)
    image_id: Mapped[int | None] = mapped_column(ForeignKey("uploaded_images.id", ondelete="SET NULL"))
    # A sketch rather than a drawing of the building: the page says so, so that nobody walks by it
    # with a tape measure and an organiser knows to replace it.
    schematic: Mapped[bool] = mapped_column(default=False)
    # Shown under the plan: what it assumes ("the coffee bar's floor is not in the booklet …").
    note: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")

    image: Mapped[UploadedImage | None] = relationship()

    def __repr__(self) -> str:
        return f"<Floor {self.building!r} {self.number}>"
