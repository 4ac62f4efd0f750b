"""Reads of project sheets, counted anonymously for the report's "most read project sheets".

A read is a GET of ``/catalogue/<slug>`` answered 200 to anyone but a logged-in organiser or a
crawler (a User-Agent saying "bot", "spider" or "crawl"). HEAD requests are not reads. Only a
count per sheet and hour is kept (:class:`~.models.SheetRead`): no address, session or cookie.

Sheet pages are kept by the page cache, which answers before Flask: the view counts its own
answer and hands the page cache the same counting (``replay_with``), so a kept page counts too.

Each process adds reads up in memory (:class:`ReadCounter`) and hands them to the job engine as
one task when ``CATALOGUE_READ_BATCH_SECONDS`` (5 s, or at once when the job queue is
``immediate``: commands and tests) have passed since the first of them — checked as a read is
counted and after every request the process's Flask answers — and when the process exits
normally. The task adds them to the table in one transaction. A batch holds a number per sheet
and hour, however many reads it counts: a busy minute makes it no larger and no more frequent.

What that leaves, and why it is fine for "most read": the reads of the last few seconds of a
process that is killed (SIGKILL, the OOM killer) are lost, which is why these counts, unlike
stand visits, keep no journal; and after a burst, a process's last reads wait in memory until
its next read or uncached request (any page of the organisers', say). Floods from one address
are not held back: the rate limits are the core's own, not on the face.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import re
import threading
import time
from functools import partial

from flask import Flask, current_app, request
from sqlalchemy.exc import IntegrityError

from fagkonferanse import db, enqueue_job, job, organiser_logged_in, replay_with

from .models import ProjectSheet, SheetRead

COUNTER_KEY = "fagkonferanse.catalogue.read_counter"
BATCH_SECONDS = 5.0
CRAWLER = re.compile(r"bot|spider|crawl", re.IGNORECASE)

logger = logging.getLogger(__name__)

EPOCH = dt.datetime(1970, 1, 1)  # hours are counted from here, in UTC as the database stores times


def count_read(sheet: ProjectSheet) -> None:
    """The sheet view answers 200: count the read, and have the page cache count its kept copy."""
    app = current_app._get_current_object()
    if request.method == "GET" and not organiser_logged_in() and not is_crawler(request.user_agent.string):
        read_counter(app).add(sheet.event_id, sheet.id)
    replay_with(partial(count_kept_read, app, sheet.event_id, sheet.id))


def count_kept_read(app: Flask, event_id: int, sheet_id: int, environ: dict) -> bool:
    """The page cache sends a kept sheet page: count it as :func:`count_read` does. Runs outside
    Flask, in any thread; the kept page is always sent (True). An organiser never gets here."""
    if environ.get("REQUEST_METHOD") == "GET" and not is_crawler(environ.get("HTTP_USER_AGENT", "")):
        read_counter(app).add(event_id, sheet_id)
    return True


def is_crawler(user_agent: str) -> bool:
    return CRAWLER.search(user_agent) is not None


def read_counter(app: Flask) -> ReadCounter:
    """The application's counter of reads not written yet."""
    counter = app.extensions.get(COUNTER_KEY)
    if counter is None:
        counter = app.extensions.setdefault(COUNTER_KEY, ReadCounter(app))
    return counter


def hand_off_due_reads(response):
    """After every request: reads whose time is up go to the job engine (no thread needed)."""
    counter = current_app.extensions.get(COUNTER_KEY)
    if counter is not None and counter.due():
        counter.hand_off()
    return response


def batch_seconds(app: Flask) -> float:
    configured = app.config.get("CATALOGUE_READ_BATCH_SECONDS")
    if configured is not None:
        return float(configured)
    immediate = (app.config.get("JOB_QUEUE_URL") or "immediate") == "immediate"  # as the job engine decides
    return 0.0 if immediate else BATCH_SECONDS


class ReadCounter:
    """Reads of this process by (event, sheet, hour), waiting to be written.

    Counting a read costs a couple of microseconds (a kept page costs a few dozen): the hour is
    kept as a number of hours since 1970 and made a datetime only when the batch is handed over.
    """

    def __init__(self, app: Flask):
        self.app = app
        self.pending: dict[tuple[int, int, int], int] = {}
        self.waiting = 0  # reads in ``pending``
        self.oldest: float | None = None  # time.monotonic() of the first of them
        self.interval = batch_seconds(app)
        self.lock = threading.Lock()
        self.owner_pid: int | None = None

    def add(self, event_id: int, sheet_id: int) -> None:
        key = (event_id, sheet_id, int(time.time() // 3600))
        with self.lock:
            if self.owner_pid != os.getpid():
                self._start_in_this_process()
            self.pending[key] = self.pending.get(key, 0) + 1
            self.waiting += 1
            now = time.monotonic()
            if self.oldest is None:
                self.oldest = now
            due = now - self.oldest >= self.interval
        if due:
            self.hand_off()

    def due(self) -> bool:
        oldest = self.oldest
        return oldest is not None and time.monotonic() - oldest >= self.interval

    def hand_off(self) -> int:
        """Give the waiting reads to the job engine as one task; how many there were."""
        with self.lock:
            if not self.pending or self.owner_pid != os.getpid():
                return 0
            rows = [(event_id, sheet_id, EPOCH + dt.timedelta(hours=hour), reads)
                    for (event_id, sheet_id, hour), reads in self.pending.items()]
            handed, self.pending, self.waiting, self.oldest = self.waiting, {}, 0, None
        try:
            with self.app.app_context():  # a context of its own: never commits a request's session
                enqueue_job(write_reads, rows)
        except Exception:  # written at once (immediate queue) and the database refused: not the page's problem
            logger.exception("could not write %d reads of project sheets; they are lost", handed)
            return 0
        return handed

    def _start_in_this_process(self) -> None:
        """The first read of this process (a forked worker starts with a copy of its parent's)."""
        self.owner_pid = os.getpid()
        self.pending, self.waiting, self.oldest = {}, 0, None
        self.interval = batch_seconds(self.app)  # the server has chosen its job queue by now
        atexit.register(self.hand_off)  # a graceful stop hands over what is left


@job
def write_reads(rows: list[tuple[int, int, dt.datetime, int]]) -> int:
    """The job engine's task: add ``(event, sheet, hour, reads)`` rows to the table in one
    transaction; how many reads were written."""
    try:
        written = _add_reads(rows)
        db.session.commit()
    except IntegrityError:  # another batch inserted the same sheet and hour meanwhile: add to its row
        db.session.rollback()
        written = _add_reads(rows)
        db.session.commit()
    return written


def _add_reads(rows: list[tuple[int, int, dt.datetime, int]]) -> int:
    """Raise each (sheet, hour) row that exists, insert the others; reads of a sheet deleted in
    the meantime are dropped, as its earlier reads were deleted with it."""
    sheet_ids = {row[1] for row in rows}
    alive = set(db.session.scalars(db.select(ProjectSheet.id).where(ProjectSheet.id.in_(sheet_ids))))
    rows = [row for row in rows if row[1] in alive]
    if not rows:
        return 0
    existing = dict(((sheet_id, hour), row_id) for row_id, sheet_id, hour in db.session.execute(
        db.select(SheetRead.id, SheetRead.sheet_id, SheetRead.hour)
        .where(SheetRead.sheet_id.in_({row[1] for row in rows}), SheetRead.hour.in_({row[2] for row in rows}))))
    for event_id, sheet_id, hour, reads in rows:
        row_id = existing.get((sheet_id, hour))
        if row_id is None:
            db.session.add(SheetRead(event_id=event_id, sheet_id=sheet_id, hour=hour, reads=reads))
        else:  # in the database, not read-modify-write: two batches at once both count
            db.session.execute(db.update(SheetRead).where(SheetRead.id == row_id)
                               .values(reads=SheetRead.reads + reads))
    db.session.flush()
    return sum(row[3] for row in rows)


def reads_by_sheet(sheet_ids: list[int]) -> dict[int, int]:
    """Every read of these sheets, added up: sheet id → reads (sheets never read are left out)."""
    if not sheet_ids:
        return {}
    return dict(db.session.execute(
        db.select(SheetRead.sheet_id, db.func.sum(SheetRead.reads))
        .where(SheetRead.sheet_id.in_(sheet_ids)).group_by(SheetRead.sheet_id)).all())
