"""UploadedImage: a floor plan or a logo, as cleaned bytes in the database.

In the database rather than on disk: a backup holds them, and every app server of a conference
run on several machines serves the same picture without a shared folder.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}


class UploadedImage(db.Model):
    """An image as it is served: re-encoded (PNG, JPEG) or sanitised (SVG) when it was uploaded."""

    __tablename__ = "uploaded_images"
    __cache_neutral__ = False  # plans and logos are drawn on public pages

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # Its size in pixels (SVG: in its own units), for the plan's proportions and the poster's box.
    width: Mapped[int]
    height: Mapped[int]
    # SHA-256 of ``data``: part of the address, so a browser may keep it for a year.
    digest: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    def __repr__(self) -> str:
        return f"<UploadedImage {self.id} {self.content_type} {self.width}×{self.height}>"
