"""Stand visits: a poster's QR code opens ``/stands/<slug>?from=poster``.

Print plugins put exactly that address (``poster_url(stand)``) on each stand's poster. Opening
it records an anonymous visit (stand and time), stamps the stand passport if this browser has one,
and redirects to the plain stand page, so a reload or a shared link does not count again.

At the lunch-hour rush hundreds of phones scan posters every second, and on SQLite every commit
waits for the one writer (and, by default, for the disk). An anonymous visit is only a counter,
so with ``STAND_VISIT_BATCH_SECONDS`` set (``serve --production`` sets 1 s unless configured) each
worker process collects them in memory and writes them in one transaction per interval and when
the process exits; the scan answers without touching the database's write lock. A crash of the
process (SIGKILL) loses at most that interval's anonymous counts — never a registration or a
passport stamp: a scan that stamps a passport is written at once, as the person sees the stamp.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from dataclasses import dataclass

from flask import Flask, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import insert

from ..accounts.models import utcnow

from ..identity import absolute_url
from ..events.services import current_event
from ..extensions import db
from ..pagecache import request_content_version
from ..ratelimits import allow
from ..stands.models import Stand
from . import passport
from .models import StandVisit

POSTER_MARKER = "poster"  # the value of ?from= on poster codes
BUFFER_KEY = "fagkonferanse.visit_buffer"
INDEX_KEY = "fagkonferanse.poster_index"
MAX_PENDING = 100_000  # a database that stays unreachable does not take the worker's memory with it

logger = logging.getLogger(__name__)


def poster_url(stand: Stand) -> str:
    """The absolute address for a stand's poster QR code (from ``BASE_URL``)."""
    return absolute_url("stands.stand", slug=stand.slug, **{"from": POSTER_MARKER})


def is_poster_visit() -> bool:
    """True when the request came from a poster QR code (``?from=poster``)."""
    return request.args.get("from") == POSTER_MARKER


@dataclass(frozen=True)
class PosterStand:
    """What a poster scan needs of a stand, without loading the stand."""

    id: int
    event_id: int
    slug: str


def poster_scan(slug: str) -> Response:
    """``/stands/<slug>?from=poster``: count the visit, then send the phone to the plain address
    (303), so a reload or a shared link does not count again."""
    found = poster_stand(slug)
    if found is None:
        abort(404)
    record_poster_visit(found)
    return redirect(url_for("stands.stand", slug=found.slug), 303)


def poster_stand(slug: str) -> PosterStand | None:
    """The current event's stand that a poster address names, or None.

    Looked up in a per-process index of the current event's stands, rebuilt whenever the content
    version changes (every edit of an event or a stand raises it, see pagecache): at the rush a
    scan needs no query of its own, as the page cache has read the version already.
    """
    version = request_content_version()
    index = current_app.extensions.get(INDEX_KEY)
    if index is None or index[0] != version or version < 0:
        event = current_event()
        found = [] if event is None else db.session.scalars(db.select(Stand).where(Stand.event_id == event.id))
        index = (version, {stand.slug: PosterStand(stand.id, stand.event_id, stand.slug) for stand in found})
        current_app.extensions[INDEX_KEY] = index
    return index[1].get(slug)


def record_poster_visit(stand: Stand | PosterStand) -> None:
    """Count the visit and stamp the passport. Floods from one address are not counted."""
    if not allow("visit", request.remote_addr or "?"):
        return
    holder = passport.registration_of_browser()
    if holder is None or holder.event_id != stand.event_id:
        buffer = visit_buffer(current_app._get_current_object())  # the writer thread has no app context
        if buffer is not None:
            buffer.add(stand.event_id, stand.id)
            return
    db.session.add(StandVisit(event_id=stand.event_id, stand_id=stand.id))
    stamped = holder is not None and holder.event_id == stand.event_id and passport.stamp(holder, stand)
    db.session.commit()
    if stamped:
        flash(_("Standen er stemplet i standpasset ditt."), "success")


def visit_buffer(app: Flask) -> VisitBuffer | None:
    """The application's buffer of anonymous visits, or None when visits are written at once."""
    interval = app.config.get("STAND_VISIT_BATCH_SECONDS")
    if not interval:
        return None
    buffer = app.extensions.get(BUFFER_KEY)
    if buffer is None:
        buffer = app.extensions.setdefault(BUFFER_KEY, VisitBuffer(app, float(interval)))
    return buffer


class VisitBuffer:
    """Anonymous visits waiting to be written, in this process; a thread writes them in batches."""

    def __init__(self, app: Flask, interval: float):
        self.app = app
        self.interval = interval
        self.pending: list[dict] = []
        self.lock = threading.Lock()
        self.writer_pid: int | None = None  # the writer thread belongs to one process (gunicorn forks)

    def add(self, event_id: int, stand_id: int) -> None:
        with self.lock:
            if len(self.pending) < MAX_PENDING:
                self.pending.append({"event_id": event_id, "stand_id": stand_id, "at": utcnow()})
            if self.writer_pid != os.getpid():
                self._start_writer()

    def flush(self) -> int:
        """Write every pending visit in one transaction; how many were written."""
        with self.lock:
            rows, self.pending = self.pending, []
        if not rows:
            return 0
        try:
            with self.app.app_context():
                db.session.execute(insert(StandVisit), rows)
                db.session.commit()
        except Exception:  # the database is away for a moment: keep the visits for the next round
            logger.exception("could not write %d stand visits; trying again", len(rows))
            with self.lock:
                self.pending[:0] = rows[: max(0, MAX_PENDING - len(self.pending))]
            return 0
        return len(rows)

    def _start_writer(self) -> None:
        self.writer_pid = os.getpid()
        threading.Thread(target=self._write_periodically, name="stand-visit-writer", daemon=True).start()
        atexit.register(self.flush)  # a graceful stop (SIGTERM, Ctrl+C) writes what is left

    def _write_periodically(self) -> None:
        while True:
            time.sleep(self.interval)
            self.flush()
