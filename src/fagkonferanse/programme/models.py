"""ProgrammeItem and Speaker.

Times are naive local times in the event's time zone (Europe/Oslo): a one-day conference is
planned in wall-clock time, and the exports attach the zone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..events.models import Organisation
from ..extensions import db
from ..venue.models import Location

ITEM_KINDS = (
    "registration",
    "welcome",
    "talk",
    "break",
    "meal",
    "stands",
    "information",
    "students",
    "summary",
    "closing",
)

item_speakers = Table(
    "programme_item_speakers",
    db.metadata,
    Column("item_id", ForeignKey("programme_items.id", ondelete="CASCADE"), primary_key=True),
    Column("speaker_id", ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)

item_organisations = Table(
    "programme_item_organisations",
    db.metadata,
    Column("item_id", ForeignKey("programme_items.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Speaker(db.Model):
    """A person on the programme."""

    __tablename__ = "speakers"
    __cache_neutral__ = False  # the programme and /speakers

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    role_en: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    bio_en: Mapped[str] = mapped_column(Text, default="")

    items: Mapped[list[ProgrammeItem]] = relationship(
        secondary=item_speakers, back_populates="speakers", order_by="ProgrammeItem.start"
    )

    def __repr__(self) -> str:
        return f"<Speaker {self.name!r}>"


class ProgrammeItem(db.Model):
    """One slot of the day: a talk, a break, lunch and stands, or the closing words.

    ``end`` may be empty for a point in time that closes the day ("Vel hjem!" at 15.00).
    ``version`` increases on every update, so a stale edit form is refused, not applied.
    """

    __tablename__ = "programme_items"
    __cache_neutral__ = False  # the programme and its exports

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.datetime]
    end: Mapped[dt.datetime | None]
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")  # empty: the Norwegian title is shown
    kind: Mapped[str] = mapped_column(String(20), default="talk")
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Called off on the day: kept on the programme, struck through, with a note (not deleted).
    cancelled: Mapped[bool] = mapped_column(default=False)
    cancel_note: Mapped[str] = mapped_column(String(300), default="")
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)

    location: Mapped[Location | None] = relationship()
    speakers: Mapped[list[Speaker]] = relationship(
        secondary=item_speakers, back_populates="items", order_by=item_speakers.c.position
    )
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=item_organisations, order_by=item_organisations.c.position
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def presented_by(self) -> str:
        """The municipalities or organisations presenting, as the booklet writes them."""
        names = [org.short_name for org in self.organisations]
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " og " + names[-1]

    @property
    def duration(self) -> dt.timedelta | None:
        return None if self.end is None else self.end - self.start

    def __repr__(self) -> str:
        return f"<ProgrammeItem {self.start:%H.%M} {self.title!r}>"


class Delay(db.Model):
    """"Running late": the rest of the day moved by ``minutes`` from ``from_time`` (wall clock).

    Written when an organiser shifts the day's remaining items; the programme, the item pages and
    the hall screens announce it ("Programmet er forskjøvet 10 minutter fra kl. 11.15").
    ``from_time`` is the first moved item's start before the shift.
    """

    __tablename__ = "programme_delays"
    __cache_neutral__ = False  # the running-late banner on the programme and the screens

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    minutes: Mapped[int]
    from_time: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
