"""Event and Organisation.

Several events can live in one database (next year's conference); exactly one is current.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..uploads.models import UploadedImage

DEFAULT_RETENTION_DAYS = 365

event_organisers = Table(
    "event_organisers",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Organisation(db.Model):
    """A municipality, agency or institution: organiser, exhibitor or presenter."""

    __tablename__ = "organisations"
    __cache_neutral__ = False  # presenters on the programme, stand owners

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # How the programme names it: "Moss" for Moss kommune, "HiØ" for Høgskolen i Østfold.
    short_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40), default="organisation")
    url: Mapped[str | None] = mapped_column(String(300))
    # Uploaded by the organisers (sanitised like the plans): on its stand's poster and page.
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("uploaded_images.id", ondelete="SET NULL"))

    logo: Mapped[UploadedImage | None] = relationship()

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class Event(db.Model):
    """One conference day: what the booklet's cover and foreword say."""

    __tablename__ = "events"
    __cache_neutral__ = False  # every public page shows the event
    __table_args__ = (UniqueConstraint("slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    date: Mapped[dt.date]
    venue: Mapped[str] = mapped_column(String(200))
    building: Mapped[str] = mapped_column(String(100))
    foreword: Mapped[str] = mapped_column(Text, default="")
    foreword_en: Mapped[str] = mapped_column(Text, default="")
    foreword_signature: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(50), default="Europe/Oslo")
    is_current: Mapped[bool] = mapped_column(default=False)
    # The built-in 2016 conference loaded for trying the toolkit: a past conference shown as an
    # archive, but with registration open whatever the date (events/phase.py).
    is_demo: Mapped[bool] = mapped_column(default=False)
    # How many days after the conference its attendees' personal data is kept; then they are
    # anonymised and only the counts stay (events/retention.py). A year covers the follow-up
    # (certificates, the report to the funders) without keeping people's data for ever.
    attendee_retention_days: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_DAYS,
                                                         server_default=str(DEFAULT_RETENTION_DAYS))
    attendees_anonymised_at: Mapped[dt.datetime | None]

    organisers: Mapped[list[Organisation]] = relationship(
        secondary=event_organisers, order_by=event_organisers.c.position
    )

    def __repr__(self) -> str:
        return f"<Event {self.slug!r} {self.date}>"
