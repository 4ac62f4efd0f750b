"""One table: the certificates issued, each with the token its QR code and address carry."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fagkonferanse import Registration, db, utcnow


class Certificate(db.Model):
    """A certificate of attendance for one checked-in attendee.

    The name, the conference and its hours are read when the certificate is shown, not copied:
    a corrected name shows on the certificate at once, and deleting the attendee's data deletes
    the certificate (``ON DELETE CASCADE``). ``token`` is random and says nothing about the
    person; the verification page is the only place it leads.
    """

    __tablename__ = "kursbevis_certificates"
    __cache_neutral__ = True  # the verification page is never cached (no-store): no cached page shows these

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    mailed_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
