"""AuditEntry: one change made by an organiser."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Organiser
from ..clock import utcnow
from ..extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __cache_neutral__ = True  # the log is for organisers only (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisers.id", ondelete="SET NULL"))
    # Kept as text too, so the log still says who after an account is deleted.
    organiser_email: Mapped[str] = mapped_column(String(254), default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # "create", "update", "delete"
    entity: Mapped[str] = mapped_column(String(50))  # "programme_item", "speaker", …
    entity_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    # {"field": [old, new], …} for updates.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    organiser: Mapped[Organiser | None] = relationship()
