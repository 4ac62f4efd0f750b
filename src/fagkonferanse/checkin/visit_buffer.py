"""Anonymous stand visits handed to the job engine in batches, with a journal so a crash loses none.

At the lunch-hour rush hundreds of phones scan posters every second, and on SQLite every commit
waits for the one writer. An anonymous visit is only a counter, so with
``STAND_VISIT_BATCH_SECONDS`` set (``serve --production`` sets 1 s unless configured) each web
process keeps the visits in memory and hands them to the job engine as one task per batch
(:func:`write_visit_batch`: one transaction in the worker). A batch is handed over when it holds
``BATCH_ROWS`` visits or its oldest is ``STAND_VISIT_BATCH_SECONDS`` old — checked as a visit
is added and after every request of the process — and when the process exits normally. The scan
itself never waits for the database, and no thread of the web process writes.

Memory alone would lose the batch when a process is killed (SIGKILL, the OOM killer). So each
visit is also appended to the process's journal file in ``<instance>/visit-journal/`` — one
``write(2)``, which the kernel keeps even when the process dies. The journal is rotated when its
batch is handed over and deleted once the queue has the task. Each process holds an ``flock`` on
its own journal; a file nobody holds belongs to a dead process (or to a hand-over the queue
refused), and the next server start, or the worker's sweep on that machine, writes its visits.

What is left: a worker killed between taking a batch's task and committing it loses that batch
(the job engine runs a task at most once); a kill between the queue taking a batch and the
journal's deletion counts that batch twice. Both windows are microseconds to milliseconds wide.
"""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import logging
import os
import threading
import time
import uuid
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from .. import jobs
from ..accounts.models import utcnow
from ..extensions import db
from ..private_files import private_folder
from ..stands.models import Stand
from .models import StandVisit

BUFFER_KEY = "fagkonferanse.visit_buffer"
JOURNAL_FOLDER = "visit-journal"
BATCH_ROWS = 500  # a batch is handed over at this size even before its time is up

logger = logging.getLogger(__name__)


def visit_buffer(app: Flask) -> VisitBuffer | None:
    """The application's buffer of anonymous visits, or None when visits are written at once."""
    interval = app.config.get("STAND_VISIT_BATCH_SECONDS")
    if not interval:
        return None
    buffer = app.extensions.get(BUFFER_KEY)
    if buffer is None:
        buffer = app.extensions.setdefault(BUFFER_KEY, VisitBuffer(app, float(interval)))
    return buffer


def hand_off_before_exit(app: Flask) -> int:
    """Hand this process's pending visits over now: gunicorn's ``worker_exit`` hook calls it as a
    worker stops (``atexit`` covers other servers)."""
    buffer = app.extensions.get(BUFFER_KEY)
    if buffer is None or buffer.owner_pid != os.getpid():
        return 0
    return buffer.hand_off()


def hand_off_due_visits(response):
    """After every request: a batch whose time is up goes to the job engine (no thread needed)."""
    buffer = current_app.extensions.get(BUFFER_KEY)
    if buffer is not None and buffer.due():
        buffer.hand_off()
    return response


def journal_folder(app: Flask) -> Path:
    return Path(app.instance_path) / JOURNAL_FOLDER


class VisitBuffer:
    """Anonymous visits waiting in this process, journalled, for the job engine."""

    def __init__(self, app: Flask, interval: float):
        self.app = app
        self.interval = interval
        self.pending: list[dict] = []
        self.oldest: float | None = None  # time.monotonic() of the batch's first visit
        self.lock = threading.Lock()
        self.journal: _JournalFile | None = None
        self.owner_pid: int | None = None  # the journal belongs to one process

    def add(self, event_id: int, stand_id: int) -> None:
        with self.lock:
            if self.owner_pid != os.getpid():
                self._start_in_this_process()
            at = utcnow()
            self.journal.append(event_id, stand_id, at)
            self.pending.append({"event_id": event_id, "stand_id": stand_id, "at": at})
            if self.oldest is None:
                self.oldest = time.monotonic()
        if self.due():
            self.hand_off()

    def due(self) -> bool:
        oldest = self.oldest
        return oldest is not None and (len(self.pending) >= BATCH_ROWS or time.monotonic() - oldest >= self.interval)

    def hand_off(self) -> int:
        """Give the pending visits to the job engine as one task; how many. If the queue refuses
        them, their journal is let go, and recovery writes them later."""
        with self.lock:
            if not self.pending or self.owner_pid != os.getpid():
                return 0
            try:
                fresh = _JournalFile.create(journal_folder(self.app))
            except OSError:  # the disk is full or away: keep the batch, try again later
                logger.exception("could not start a new visit journal; keeping %d visits", len(self.pending))
                return 0
            rows, journal = self.pending, self.journal
            self.pending, self.oldest, self.journal = [], None, fresh
        try:
            with self.app.app_context():
                jobs.enqueue(write_visit_batch, rows)
        except Exception:
            logger.exception("the job queue did not take %d stand visits; their journal keeps them", len(rows))
            journal.release()
            return 0
        journal.delete()
        return len(rows)

    def _start_in_this_process(self) -> None:
        self.owner_pid = os.getpid()
        self.pending, self.oldest = [], None  # a forked copy of another process's buffer
        self.journal = _JournalFile.create(journal_folder(self.app))
        atexit.register(self.hand_off)  # a graceful stop (SIGTERM, Ctrl+C) hands over what is left


@jobs.task
def write_visit_batch(rows: list[dict]) -> int:
    """The job engine's task: one batch of visits in one transaction."""
    return write_visits(rows)


@jobs.every_minute
def recover_visit_journals() -> int:
    """The worker's sweep: journals that processes on this machine left behind."""
    return recover_journals(current_app._get_current_object())


def write_visits(rows: list[dict]) -> int:
    """Insert visits in one transaction. Visits of a stand deleted in the meantime are dropped,
    as its own visits were deleted with it."""
    try:
        db.session.execute(insert(StandVisit), rows)
        db.session.commit()
        return len(rows)
    except IntegrityError:
        db.session.rollback()
    existing = set(db.session.scalars(db.select(Stand.id).where(Stand.id.in_({row["stand_id"] for row in rows}))))
    kept = [row for row in rows if row["stand_id"] in existing]
    if kept:
        db.session.execute(insert(StandVisit), kept)
    db.session.commit()
    return len(kept)


def recover_journals(app: Flask) -> int:
    """Write the visits of journals no live process holds (their process died); how many."""
    folder = journal_folder(app)
    if not folder.is_dir():
        return 0
    recovered = 0
    for path in sorted(folder.glob("*.log")):
        orphan = _JournalFile.adopt(path)
        if orphan is None:
            continue  # a live process holds it
        try:
            rows = orphan.read()
            if rows:
                with app.app_context():
                    recovered += write_visits(rows)
            orphan.delete()
        except Exception:
            logger.exception("could not recover stand visits from %s; trying again later", path)
            orphan.release()
    if recovered:
        logger.info("recovered %d stand visits from the journals of stopped processes", recovered)
    return recovered


class _JournalFile:
    """One append-only file of visits, locked by the process that writes or adopts it."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self.fd = fd

    @classmethod
    def create(cls, folder: Path) -> _JournalFile:
        private_folder(folder)
        path = folder / f"{os.getpid()}-{uuid.uuid4().hex}.log"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return cls(path, fd)

    @classmethod
    def adopt(cls, path: Path) -> _JournalFile | None:
        """The journal, locked for us, if its writer is gone; None while a process holds it."""
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None  # written and deleted in the meantime
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        if not path.exists():  # deleted by its writer just before we locked it
            os.close(fd)
            return None
        return cls(path, fd)

    def append(self, event_id: int, stand_id: int, at: dt.datetime) -> None:
        os.write(self.fd, f"{event_id} {stand_id} {at.isoformat()}\n".encode())

    def read(self) -> list[dict]:
        rows = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) != 3:
                continue  # a line cut short by the crash: its scan was never answered
            try:
                rows.append({"event_id": int(parts[0]), "stand_id": int(parts[1]),
                             "at": dt.datetime.fromisoformat(parts[2])})
            except ValueError:
                continue
        return rows

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        os.close(self.fd)
