"""The catalogue's tables: project sheets, recipes, stand pages, exhibitor links, proposals and reads.

Every table is the plugin's own (prefix ``catalogue_``) and is created by the plugin's Alembic
branch (``migrations/``). Section content is stored as the importer's blocks in JSON columns,
so lists and sub-lists survive editing; the template order comes from ``sections.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fagkonferanse import Organisation, Stand, db, utcnow

STATUS_PUBLISHED = "published"
STATUS_HIDDEN = "hidden"
STATUSES = (STATUS_PUBLISHED, STATUS_HIDDEN)


class ProjectSheet(db.Model):
    """One project in the catalogue, in the template's sections.

    ``stand`` is where attendees meet the project: the owner's stand when the catalogue is
    imported, changeable by organisers. ``edited_at`` is set when an organiser saves the sheet
    or approves an exhibitor's proposal, so a later import does not silently undo that work.
    ``version`` increases on every change: a form opened on an older version is refused.
    """

    __tablename__ = "catalogue_sheets"
    __cache_neutral__ = False  # the catalogue and stand pages
    # The PostgreSQL search columns and their indexes (migration catalogue_0002, written only by
    # a trigger) are not mapped: Alembic's comparison leaves them out (see migrations/env.py).
    __table_args__ = (UniqueConstraint("event_id", "slug"),
                      {"info": {"database_only": ("search_text", "search_document",
                                                  "ix_catalogue_sheets_search_document",
                                                  "ix_catalogue_sheets_search_text")}})

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    stand_id: Mapped[int | None] = mapped_column(ForeignKey("stands.id", ondelete="SET NULL"), index=True)
    project_name: Mapped[str] = mapped_column(String(300), default="")
    funding_scheme: Mapped[str | None] = mapped_column(String(200))
    funding_body: Mapped[str | None] = mapped_column(String(300))
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    source_line: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default=STATUS_PUBLISHED)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    edited_at: Mapped[dt.datetime | None]
    edited_by: Mapped[str] = mapped_column(String(254), default="")
    approved_at: Mapped[dt.datetime | None]
    approved_by: Mapped[str] = mapped_column(String(254), default="")
    version: Mapped[int] = mapped_column(default=1)

    owner: Mapped[Organisation | None] = relationship()
    stand: Mapped[Stand | None] = relationship()
    recipes: Mapped[list[Recipe]] = relationship(back_populates="sheet", order_by="Recipe.position")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_published(self) -> bool:
        return self.status == STATUS_PUBLISHED

    @property
    def owner_name(self) -> str:
        return self.owner.name if self.owner else ""

    def __repr__(self) -> str:
        return f"<ProjectSheet {self.slug!r}>"


class Recipe(db.Model):
    """An "oppskrift": how to work the way a project does, linked to that project's sheet."""

    __tablename__ = "catalogue_recipes"
    __cache_neutral__ = False  # the catalogue
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_sheets.id", ondelete="SET NULL"),
                                                 index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(400))
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    source_line: Mapped[int | None]

    sheet: Mapped[ProjectSheet | None] = relationship(back_populates="recipes")

    def __repr__(self) -> str:
        return f"<Recipe {self.slug!r}>"


class CataloguePage(db.Model):
    """A free-form page of the catalogue shown at a stand (Husbanken's "Veiviser" page).

    ``sections`` is a list of ``{"heading": …, "blocks": […]}`` because its headings are the
    page's own, not the template's.
    """

    __tablename__ = "catalogue_pages"
    __cache_neutral__ = False  # shown at stands
    __table_args__ = (UniqueConstraint("event_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(300), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    stand_id: Mapped[int | None] = mapped_column(ForeignKey("stands.id", ondelete="SET NULL"), index=True)
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    footer: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    source_line: Mapped[int | None]

    owner: Mapped[Organisation | None] = relationship()
    stand: Mapped[Stand | None] = relationship()

    @property
    def href(self) -> str:
        """The page's web address as a link target ("www.veiviseren.no" → "https://…")."""
        if not self.url:
            return ""
        return self.url if self.url.startswith(("http://", "https://")) else f"https://{self.url}"

    def __repr__(self) -> str:
        return f"<CataloguePage {self.slug!r}>"


class ExhibitorLink(db.Model):
    """A private link that lets an exhibitor propose changes to one sheet, without an account.

    Only a SHA-256 digest of the token is stored: the link is shown once, when it is made, and
    a copy of the database cannot be used to edit sheets.
    """

    __tablename__ = "catalogue_exhibitor_links"
    __cache_neutral__ = True  # only the link's own page (no-store) and organisers

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("catalogue_sheets.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    recipient: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254), default="")
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[str] = mapped_column(String(254), default="")
    last_used_at: Mapped[dt.datetime | None]

    sheet: Mapped[ProjectSheet] = relationship()

    def state(self, now: dt.datetime) -> str:
        """"active", "expired" or "revoked"."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if now >= self.expires_at else "active"


PROPOSAL_PENDING = "pending"
PROPOSAL_APPROVED = "approved"
PROPOSAL_REJECTED = "rejected"
PROPOSAL_SUPERSEDED = "superseded"


class SheetProposal(db.Model):
    """Changes an exhibitor proposed through a link, waiting for an organiser's decision.

    ``proposed`` holds the whole proposed content as flat fields (``editing.FIELDS``) and ``base``
    the sheet's content when it was submitted (version ``base_version``), so approving can apply
    just the fields the exhibitor changed. ``started_version`` is the version the exhibitor's form
    was opened on: when it is older than ``base_version``, the organiser changed the sheet while
    the exhibitor was writing, and the review says so.
    """

    __tablename__ = "catalogue_proposals"
    __cache_neutral__ = True  # public pages change only when an organiser approves (the sheet)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("catalogue_sheets.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_exhibitor_links.id", ondelete="SET NULL"))
    proposed: Mapped[dict[str, Any]] = mapped_column(JSON)
    base: Mapped[dict[str, Any]] = mapped_column(JSON)
    started_version: Mapped[int]
    base_version: Mapped[int]
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_email: Mapped[str] = mapped_column(String(254), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=PROPOSAL_PENDING, index=True)
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str] = mapped_column(String(254), default="")
    decision_note: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ProjectSheet] = relationship()
    link: Mapped[ExhibitorLink | None] = relationship()


class SheetRead(db.Model):
    """How often a project sheet was read in one hour: a counter, nothing about who read it.

    ``hour`` is the start of the hour in UTC (the database's time; Norway's offsets are whole
    hours, so each row is one local hour too). One row per sheet and hour, raised by the batches
    of :mod:`.reads`; the report adds them up.
    """

    __tablename__ = "catalogue_sheet_reads"
    __cache_neutral__ = True  # counted, never shown on a public page (see pagecache)
    __table_args__ = (UniqueConstraint("sheet_id", "hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("catalogue_sheets.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    hour: Mapped[dt.datetime]
    reads: Mapped[int] = mapped_column(default=0)
