"""Location: a room, corridor or stairway in a building, on a floor."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

LOCATION_KINDS = ("room", "corridor", "stairway", "hall", "area")


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

    def __repr__(self) -> str:
        return f"<Location {self.name!r} floor {self.floor}>"
