"""Serving uploaded images at ``/images/<id>-<digest>.<extension>``.

Public (plans and logos are on public pages), cached for a year (a new upload is a new address),
and an SVG goes out with a Content-Security-Policy that forbids scripts and every outside
request: opened at its own address, even an SVG the sanitiser misjudged cannot run anything.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort

from ..extensions import db
from .images import image_url
from .models import UploadedImage

bp = Blueprint("uploads", __name__)
bp.add_app_template_global(image_url)  # templates show logos and plans: {{ image_url(image) }}

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@bp.get("/images/<int:image_id>-<digest>.<extension>")
def image(image_id: int, digest: str, extension: str) -> Response:
    found = db.session.get(UploadedImage, image_id)
    if found is None or not found.digest.startswith(digest) or len(digest) < 16 or extension != found.extension:
        abort(404)
    response = Response(found.data, content_type=found.content_type)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    if found.content_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    return response
