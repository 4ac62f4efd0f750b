"""Anonymous stand visits written in batches, with a journal so that a crash loses none.

At the lunch-hour rush hundreds of phones scan posters every second, and on SQLite every commit
waits for the one writer. An anonymous visit is only a counter, so with
``STAND_VISIT_BATCH_SECONDS`` set (``serve --production`` sets 1 s unless configured) each worker
process keeps the visits in memory and writes them in one transaction per interval, and when the
process exits normally. The scan itself never waits for the database's write lock.

Memory alone would lose the last interval when a worker is killed (SIGKILL, the OOM killer, a
power cut of the process). So each visit is also appended to the process's journal file in
``<instance>/visit-journal/`` — one ``write(2)``, which the kernel keeps even when the process
dies. The journal is rotated when a batch is written and deleted once the batch is committed.
Each process holds an ``flock`` on its own journal files; a file nobody holds belongs to a dead
process, and the next flush of any process (or the next server start) writes its visits.

The only window for a double count is a kill between a batch's commit and the deletion of its
journal file (microseconds); a visit is never lost after its scan was answered.
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

from flask import Flask
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from ..accounts.models import utcnow
from ..extensions import db
from ..private_files import private_folder
from ..stands.models import Stand
from .models import StandVisit

BUFFER_KEY = "fagkonferanse.visit_buffer"
JOURNAL_FOLDER = "visit-journal"
MAX_PENDING = 100_000  # a database that stays unreachable does not take the worker's memory with it

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


def flush_before_exit(app: Flask) -> int:
    """Write this process's pending visits now: gunicorn's ``worker_exit`` hook calls it as a
    worker stops, before the interpreter winds down its threads (``atexit`` covers other servers)."""
    buffer = app.extensions.get(BUFFER_KEY)
    if buffer is None or buffer.owner_pid != os.getpid():
        return 0
    return buffer.flush()


def journal_folder(app: Flask) -> Path:
    return Path(app.instance_path) / JOURNAL_FOLDER


class VisitBuffer:
    """Anonymous visits waiting to be written, in this process; a thread writes them in batches."""

    def __init__(self, app: Flask, interval: float):
        self.app = app
        self.interval = interval
        self.pending: list[dict] = []
        self.lock = threading.Lock()
        self.journal: _JournalFile | None = None
        self.written_journals: list[_JournalFile] = []  # rotated, waiting for their batch's commit
        self.owner_pid: int | None = None  # the journal and the writer thread belong to one process

    def add(self, event_id: int, stand_id: int) -> None:
        with self.lock:
            if self.owner_pid != os.getpid():
                self._start_in_this_process()
            if len(self.pending) >= MAX_PENDING:
                return
            at = utcnow()
            self.journal.append(event_id, stand_id, at)
            self.pending.append({"event_id": event_id, "stand_id": stand_id, "at": at})

    def flush(self) -> int:
        """Write every pending visit in one transaction; how many were written.

        Journals of dead processes are written in the same round.
        """
        with self.lock:
            rows, self.pending = self.pending, []
            if rows and self.journal is not None:
                self.written_journals.append(self.journal)
                self.journal = _JournalFile.create(journal_folder(self.app))
            journals = list(self.written_journals)
        try:
            with self.app.app_context():
                written = write_visits(rows) if rows else 0
        except Exception:  # the database is away for a moment: keep the visits for the next round
            logger.exception("could not write %d stand visits; trying again", len(rows))
            with self.lock:
                self.pending[:0] = rows[: max(0, MAX_PENDING - len(self.pending))]
            return 0
        with self.lock:
            for journal in journals:
                self.written_journals.remove(journal)
        for journal in journals:
            journal.delete()
        recover_journals(self.app)
        return written

    def _start_in_this_process(self) -> None:
        self.owner_pid = os.getpid()
        self.pending, self.written_journals = [], []  # a forked copy of another process's buffer
        self.journal = _JournalFile.create(journal_folder(self.app))
        threading.Thread(target=self._write_periodically, name="stand-visit-writer", daemon=True).start()
        atexit.register(self.flush)  # a graceful stop (SIGTERM, Ctrl+C) writes what is left

    def _write_periodically(self) -> None:
        while True:
            time.sleep(self.interval)
            self.flush()


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
