"""PrintJob: one PDF an organiser asked for, made in the background and fetched when ready."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..accounts.models import Organiser
from ..clock import utcnow
from ..extensions import db

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class PrintJob(db.Model):
    """A print centre download: what was asked for, by whom, and how far it has come.

    The URL names a job by ``token`` (random, unguessable), never by ``id``: the PDF holds
    personal data, and a counter would let anyone who sees one address guess the others.
    The PDF is kept in the row (``pdf``, loaded only when asked for), so every app server can
    hand out what the job worker made, on whichever machine it ran.
    """

    __tablename__ = "print_jobs"
    __cache_neutral__ = True  # organisers only: no public page shows print jobs (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(100))
    # Every option of the document with its checked value (``resolve_options``), as given to render.
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisers.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    # What the organiser is told when it failed; None after an unexpected error (logged instead).
    error: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int | None]
    # The CUPS printer the PDF is sent to when it is made (``lp -d``); None: only downloaded.
    printer: Mapped[str | None] = mapped_column(String(127))
    # What CUPS answered ("request id is Zebra-12 (1 file(s))"), once the printer took the PDF.
    printer_request: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    # How often a worker started it: a job whose worker died runs again, a few times at most.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    requested_by: Mapped[Organiser | None] = relationship()

    def __repr__(self) -> str:
        return f"<PrintJob {self.document} {self.state}>"
