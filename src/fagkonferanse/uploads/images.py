"""Accepting an uploaded image: PNG and JPEG re-encoded, SVG sanitised, everything else refused.

The type is read from the bytes, never from the file name. PNG and JPEG are decoded and written
out again by Pillow: what is kept is pixels, not what a file can smuggle beside them (a camera's
GPS position in EXIF, text chunks, a polyglot's second format). The pixel count is checked from
the header before anything is decoded, so a small file that unpacks to gigabytes is refused.
"""

from __future__ import annotations

import base64
import hashlib
import io
import warnings

from flask import url_for
from flask_babel import gettext as _

from ..extensions import db
from .models import UploadedImage
from .svg import SvgRefused, sanitise_svg

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a floor plan scanned at 300 dpi on A1 is about 35 million
RASTER_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class ImageRefused(ValueError):
    """An upload that is not an image this site keeps; the message is for the organiser."""


def detect_type(raw: bytes) -> str | None:
    """"image/png", "image/jpeg" or "image/svg+xml" from the first bytes; None for anything else."""
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if raw.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in raw[:65536].lower():
        return "image/svg+xml"
    return None


def clean_image(raw: bytes) -> tuple[str, bytes, int, int]:
    """``(content type, bytes to keep, width, height)`` for an upload; ImageRefused with the reason."""
    if not raw:
        raise ImageRefused(_("Filen er tom."))
    if len(raw) > MAX_BYTES:
        raise ImageRefused(_("Bildet er større enn %(mb)s MB. Lagre det mindre og prøv igjen.", mb=MAX_BYTES // 2**20))
    kind = detect_type(raw)
    if kind is None:
        raise ImageRefused(_("Filen er ikke et PNG-, JPEG- eller SVG-bilde."))
    if kind == "image/svg+xml":
        return _clean_svg(raw)
    return _clean_raster(raw)


def _clean_svg(raw: bytes) -> tuple[str, bytes, int, int]:
    try:
        clean = sanitise_svg(raw)
    except SvgRefused as refused:
        messages = {
            "size": _("SVG-filen er for stor."),
            "entities": _("SVG-filen definerer egne XML-entiteter, og det tillates ikke. Eksporter den på nytt som vanlig SVG."),
            "no size": _("SVG-filen sier ikke hvor stor tegningen er (width og height eller viewBox)."),
        }
        raise ImageRefused(messages.get(refused.reason, _("Filen er ikke en gyldig SVG-tegning."))) from refused
    return "image/svg+xml", clean.data, clean.width, clean.height


def _clean_raster(raw: bytes) -> tuple[str, bytes, int, int]:
    from PIL import Image, ImageOps, UnidentifiedImageError  # only uploads need Pillow, not start-up

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw))
            if image.format not in RASTER_FORMATS:
                raise ImageRefused(_("Filen er ikke et PNG-, JPEG- eller SVG-bilde."))
            if image.width * image.height > MAX_PIXELS:
                raise ImageRefused(_("Bildet har for mange piksler (%(width)s × %(height)s). Lagre det mindre.",
                                     width=image.width, height=image.height))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as error:
        if isinstance(error, ImageRefused):
            raise
        raise ImageRefused(_("Bildet kan ikke leses: filen er skadet eller ikke et bilde.")) from error
    content_type = RASTER_FORMATS[image.format]
    output = io.BytesIO()
    if content_type == "image/jpeg":
        image = ImageOps.exif_transpose(image)  # turned as the camera held it, then EXIF goes
        image.convert("RGB").save(output, format="JPEG", quality=90, optimize=True)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(output, format="PNG", optimize=True)
    return content_type, output.getvalue(), image.width, image.height


def store_image(raw: bytes) -> UploadedImage:
    """Clean an upload and add it to the session (the caller commits); ImageRefused with why not."""
    content_type, data, width, height = clean_image(raw)
    image = UploadedImage(content_type=content_type, data=data, width=width, height=height,
                          digest=hashlib.sha256(data).hexdigest())
    db.session.add(image)
    return image


def copy_image(image: UploadedImage | None) -> UploadedImage | None:
    """A second row with the same bytes: a copied conference owns its plans and logos."""
    if image is None:
        return None
    twin = UploadedImage(content_type=image.content_type, data=image.data, width=image.width,
                         height=image.height, digest=image.digest)
    db.session.add(twin)
    return twin


def image_url(image: UploadedImage) -> str:
    """The image's public address; its digest in it, so it may be cached for a year."""
    return url_for("uploads.image", image_id=image.id, digest=image.digest[:16], extension=image.extension)


def image_data_uri(image: UploadedImage) -> str:
    """The image inline, for PDFs: WeasyPrint reads no address but the project's own files."""
    return f"data:{image.content_type};base64,{base64.b64encode(image.data).decode('ascii')}"
