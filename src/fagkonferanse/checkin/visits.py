"""Stand visits: a poster's QR code opens ``/stands/<slug>?from=poster``.

Print plugins put exactly that address (``poster_url(stand)``) on each stand's poster. Opening
it records an anonymous visit (stand and time), stamps the stand passport if this browser has one,
and redirects to the plain stand page, so a reload or a shared link does not count again.
"""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _

from ..identity import absolute_url
from ..extensions import db
from ..ratelimits import allow
from ..stands.models import Stand
from . import passport
from .models import StandVisit

POSTER_MARKER = "poster"  # the value of ?from= on poster codes


def poster_url(stand: Stand) -> str:
    """The absolute address for a stand's poster QR code (from ``BASE_URL``)."""
    return absolute_url("stands.stand", slug=stand.slug, **{"from": POSTER_MARKER})


def is_poster_visit() -> bool:
    """True when the request came from a poster QR code (``?from=poster``)."""
    return request.args.get("from") == POSTER_MARKER


def record_poster_visit(stand: Stand) -> None:
    """Count the visit and stamp the passport; commits. Floods from one address are not counted."""
    if not allow("visit", request.remote_addr or "?"):
        return
    db.session.add(StandVisit(event_id=stand.event_id, stand_id=stand.id))
    holder = passport.registration_of_browser()
    stamped = holder is not None and holder.event_id == stand.event_id and passport.stamp(holder, stand)
    db.session.commit()
    if stamped:
        flash(_("Standen er stemplet i standpasset ditt."), "success")
