"""Stand visits: a poster's QR code opens ``/stands/<slug>?from=poster``.

Print plugins put exactly that address (``poster_url(stand)``) on each stand's poster. Opening
it records an anonymous visit (stand and time), stamps the stand passport if this browser has one,
and redirects to the stand page marked ``?fra=plakat`` (which says "Du er her" at the stand), so
a reload or a shared link does not count again.

Under ``serve --production`` anonymous visits are written in batches (see
:mod:`.visit_buffer`, which also keeps them safe from a crash); a scan that stamps a passport is
written at once, as the person sees the stamp. There the 303 of an anonymous scan is also kept
by the page cache with the counting (:func:`fagkonferanse.pagecache.replay_with`): a third of the
rush's requests are scans, and the Flask request cycle cost more than the rest of a scan. A scan
with a passport cookie still goes through the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from flask import Flask, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.sansio.http import parse_cookie

from ..events.archive import archive_event_id
from ..events.services import current_event
from ..extensions import db
from ..identity import absolute_url
from ..cookies import PASSPORT_COOKIE
from ..pagecache import derived, replay_with
from ..ratelimits import allow
from ..security import client_address
from ..stands.models import Stand
from . import passport
from .models import StandVisit
from .visit_buffer import visit_buffer

POSTER_MARKER = "poster"  # the value of ?from= on poster codes
HERE_MARKER = "plakat"  # ?fra=plakat: the stand page after a scan, with "Du er her" on its plan


def poster_url(stand: Stand) -> str:
    """The absolute address for a stand's poster QR code (from ``BASE_URL``)."""
    return absolute_url("stands.stand", slug=stand.slug, **{"from": POSTER_MARKER})


def is_poster_visit() -> bool:
    """True when the request came from a poster QR code (``?from=poster``); never in an archive,
    whose stands are no longer anywhere to visit."""
    return request.args.get("from") == POSTER_MARKER and archive_event_id() is None


@dataclass(frozen=True)
class PosterStand:
    """What a poster scan needs of a stand, without loading the stand."""

    id: int
    event_id: int
    slug: str


def poster_scan(slug: str) -> Response:
    """``/stands/<slug>?from=poster``: count the visit, then send the phone to the stand's page with
    "Du er her" (``?fra=plakat``, 303), so a reload or a shared link does not count again."""
    found = poster_stand(slug)
    if found is None:
        abort(404)
    if record_poster_visit(found) == BUFFERED:
        replay_with(partial(count_kept_scan, current_app._get_current_object(), found))
    return redirect(url_for("stands.stand", slug=found.slug, fra=HERE_MARKER), 303)


def count_kept_scan(app: Flask, stand: PosterStand, environ: dict) -> bool:
    """A scan answered with the kept 303: count it as :func:`record_poster_visit` counts an
    anonymous one; False (the view runs) when the browser may carry a passport to stamp."""
    header = environ.get("HTTP_COOKIE")
    if header and PASSPORT_COOKIE in parse_cookie(header):
        return False
    buffer = visit_buffer(app)
    if buffer is None:
        return False
    with app.app_context():  # the rate limits read the app's configuration
        counted = allow("visit", client_address(app, environ))
    if counted:
        buffer.add(stand.event_id, stand.id)
    return True


def poster_stand(slug: str) -> PosterStand | None:
    """The current event's stand that a poster address names, or None.

    Looked up in a per-process index of the current event's stands, rebuilt whenever the content
    version changes (every edit of an event or a stand raises it, see pagecache): at the rush a
    scan needs no query of its own, as the page cache has read the version already.
    """
    return derived(("poster_index",), _poster_index).get(slug)


def _poster_index() -> dict[str, PosterStand]:
    event = current_event()
    found = [] if event is None else db.session.scalars(db.select(Stand).where(Stand.event_id == event.id))
    return {stand.slug: PosterStand(stand.id, stand.event_id, stand.slug) for stand in found}


BUFFERED = "buffered"  # record_poster_visit: an anonymous visit, handed to the batch writer


def record_poster_visit(stand: Stand | PosterStand) -> str | None:
    """Count the visit and stamp the passport. Floods from one address are not counted.

    Returns ``BUFFERED`` when the visit went to the batch writer as an anonymous one.
    """
    holder = passport.registration_of_browser()
    buffer = visit_buffer(current_app._get_current_object())
    anonymous = holder is None or holder.event_id != stand.event_id
    if not allow("visit", request.remote_addr or "?"):
        return BUFFERED if anonymous and buffer is not None else None
    if anonymous and buffer is not None:
        buffer.add(stand.event_id, stand.id)
        return BUFFERED
    db.session.add(StandVisit(event_id=stand.event_id, stand_id=stand.id))
    stamped = holder is not None and holder.event_id == stand.event_id and passport.stamp(holder, stand)
    db.session.commit()
    if stamped:
        flash(_("Standen er stemplet i standpasset ditt."), "success")
