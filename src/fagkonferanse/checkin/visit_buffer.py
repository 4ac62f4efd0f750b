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
``write(2)``, which the kernel keeps even when the process dies — with a random key of its own.
Each process holds an ``flock`` on its journal. When a batch is handed over, its journal becomes
``*.sent`` and a new one is started; the task deletes the ``.sent`` file once its rows are
committed (when it runs on the same machine).

Recovery (:func:`recover_journals`: at server start, in the worker's sweep each minute, and in each
web process once a minute) writes the visits of every ``.log`` journal nobody holds (its process
died) and of every ``.sent`` journal older than ``SENT_GRACE_SECONDS`` (its task was lost: a
worker killed mid-task, a queue that refused it). Writing is idempotent — a visit whose key is
in the table already is skipped — so a batch written twice counts once, and nothing is dropped:
the journal holds every visit that was answered.

What is left: a scan answered in the instant its ``write(2)`` was cut short is not counted (its
line is incomplete); a lost task's visits appear ``SENT_GRACE_SECONDS`` late; and on a machine
whose web processes all stopped for good, unsent journals wait for the next start there.
"""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import importlib
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from .. import jobs
from ..clock import utcnow
from ..extensions import db
from ..private_files import private_folder
from ..stands.models import Stand
from .models import StandVisit

BUFFER_KEY = "fagkonferanse.visit_buffer"
JOURNAL_FOLDER = "visit-journal"
BATCH_ROWS = 500  # a batch is handed over at this size even before its time is up
# A handed-over batch whose task has not deleted its journal after this long was lost on the way.
SENT_GRACE_SECONDS = 120
RECOVERY_SECONDS = 60  # how often each web process looks for journals left behind

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
        self.next_recovery = 0.0

    def add(self, event_id: int, stand_id: int) -> None:
        """Keep one visit: in the journal first (it survives a kill), then in the batch."""
        row = {"event_id": event_id, "stand_id": stand_id, "at": utcnow(), "visit_key": uuid.uuid4().hex}
        with self.lock:
            if self.owner_pid != os.getpid():
                self._start_in_this_process()
            try:
                self.journal.append(row)
            except OSError:  # the disk is full or away: the database is the only safe place
                logger.exception("could not journal a stand visit; writing it at once")
                journalled = False
            else:
                journalled = True
                self.pending.append(row)
                if self.oldest is None:
                    self.oldest = time.monotonic()
        if not journalled:
            with self.app.app_context():
                write_visits([row])
        elif self.due():
            self.hand_off()

    def due(self) -> bool:
        oldest = self.oldest
        return oldest is not None and (len(self.pending) >= BATCH_ROWS or time.monotonic() - oldest >= self.interval)

    def hand_off(self) -> int:
        """Give the pending visits to the job engine as one task; how many were handed over.

        Never raises and never drops a visit: whatever goes wrong, the visits are in a journal
        that recovery writes (see the module docstring)."""
        with self.lock:
            if not self.pending or self.owner_pid != os.getpid():
                return 0
            rows, self.pending, self.oldest = self.pending, [], None
            sent = self.journal
            try:
                self.journal = _JournalFile.create(journal_folder(self.app))
            except OSError:  # keep writing to this journal: it is handed over with a later batch
                logger.exception("could not start a new visit journal; keeping the current one")
                sent = None
            if sent is not None:
                sent.mark_sent()
        try:
            with self.app.app_context():
                jobs.enqueue(write_visit_batch, rows, _journal_name(sent))
        except Exception:
            logger.exception("the job queue did not take %d stand visits; recovery writes them", len(rows))
            return 0
        finally:
            if sent is not None:
                sent.release()
        self._recover_now_and_then()
        return len(rows)

    def _recover_now_and_then(self) -> None:
        """Once a minute, the journals of this machine's dead processes and lost batches (on an
        app server without a worker nobody else would look)."""
        now = time.monotonic()
        if now < self.next_recovery:
            return
        self.next_recovery = now + RECOVERY_SECONDS
        try:
            recover_journals(self.app)
        except Exception:
            logger.exception("could not recover stand visit journals; trying again later")

    def _start_in_this_process(self) -> None:
        self.owner_pid = os.getpid()
        self.pending, self.oldest = [], None  # a forked copy of another process's buffer
        self.journal = _JournalFile.create(journal_folder(self.app))
        self.next_recovery = time.monotonic() + RECOVERY_SECONDS
        atexit.register(self.hand_off)  # a graceful stop (SIGTERM, Ctrl+C) hands over what is left


def _journal_name(journal: _JournalFile | None) -> tuple[str, str] | None:
    return None if journal is None else (socket.gethostname(), str(journal.path))


@jobs.task
def write_visit_batch(rows: list[dict], journal: tuple[str, str] | None = None) -> int:
    """The job engine's task: one batch of visits in one transaction; then its journal, if it
    lies on this machine, is no longer needed."""
    written = write_visits(rows)
    if journal is not None and journal[0] == socket.gethostname():
        Path(journal[1]).unlink(missing_ok=True)
    return written


@jobs.every_minute
def recover_visit_journals() -> int:
    """The worker's sweep: journals that processes on this machine left behind."""
    return recover_journals(current_app._get_current_object())


def write_visits(rows: list[dict]) -> int:
    """Insert the visits not in the table yet, in one transaction; how many were new. Visits of
    a stand deleted in the meantime are dropped, as its own visits were deleted with it."""
    keys = [row["visit_key"] for row in rows if row.get("visit_key")]
    known = set(db.session.scalars(db.select(StandVisit.visit_key).where(StandVisit.visit_key.in_(keys)))) \
        if keys else set()
    fresh = [row for row in rows if row.get("visit_key") not in known]
    if not fresh:
        db.session.commit()
        return 0
    try:
        written = _insert_new(fresh)
    except IntegrityError:
        db.session.rollback()
        stands = set(db.session.scalars(db.select(Stand.id).where(Stand.id.in_({row["stand_id"] for row in fresh}))))
        written = _insert_new([row for row in fresh if row["stand_id"] in stands])
    db.session.commit()
    return written


def _insert_new(rows: list[dict]) -> int:
    """INSERT … ON CONFLICT (visit_key) DO NOTHING: a batch written twice at once counts once."""
    if not rows:
        return 0
    rows = [{"visit_key": None, **row} for row in rows]  # journals from before keys lack one
    name = db.session.get_bind().dialect.name
    # Imported here, and only the database's own: the PostgreSQL dialect costs every command
    # ~40 ms of start-up on SQLite.
    dialect = importlib.import_module(f"sqlalchemy.dialects.{name}") if name in ("postgresql", "sqlite") else None
    # On the mapped class, not its bare table: the page cache then knows visits change no public
    # page (a bare table's INSERT counts as a change and would empty every cache at each batch).
    if dialect is None:
        statement = db.insert(StandVisit)
    else:
        statement = dialect.insert(StandVisit).on_conflict_do_nothing(index_elements=["visit_key"])
    return len(db.session.scalars(statement.returning(StandVisit.id), rows).all())  # the rows inserted


def recover_journals(app: Flask, now: float | None = None) -> int:
    """Write the visits of journals no live process holds and of batches whose task was lost;
    how many visits were new."""
    folder = journal_folder(app)
    if not folder.is_dir():
        return 0
    now = time.time() if now is None else now
    recovered = 0
    left = sorted(folder.glob("*.log"))
    lost = [path for path in sorted(folder.glob("*.sent")) if _older_than(path, now - SENT_GRACE_SECONDS)]
    for path in left + lost:
        orphan = _JournalFile.adopt(path)
        if orphan is None:
            continue  # a live process holds it
        try:
            rows = orphan.read()
            if rows:
                with app.app_context():
                    recovered += write_visits(rows)
                    db.session.remove()
            orphan.delete()
        except Exception:
            logger.exception("could not recover stand visits from %s; trying again later", path)
            orphan.release()
    if recovered:
        logger.info("recovered %d stand visits from journals left behind", recovered)
    return recovered


def _older_than(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


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
        if not path.exists():  # deleted (or handed over) by its writer just before we locked it
            os.close(fd)
            return None
        return cls(path, fd)

    def append(self, row: dict) -> None:
        os.write(self.fd, f"{row['event_id']} {row['stand_id']} {row['at'].isoformat()} {row['visit_key']}\n"
                 .encode())

    def mark_sent(self) -> None:
        """Its batch goes to the job engine (still locked: recovery waits for the hand-over)."""
        try:
            sent = self.path.with_suffix(".sent")
            self.path.rename(sent)
            self.path = sent
        except OSError:
            logger.exception("could not mark %s as sent; recovery writes it again", self.path)

    def read(self) -> list[dict]:
        rows = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) not in (3, 4) or (len(parts) == 4 and len(parts[3]) != 32):
                continue  # a line cut short by the crash: its scan was never answered
            try:
                rows.append({"event_id": int(parts[0]), "stand_id": int(parts[1]),
                             "at": dt.datetime.fromisoformat(parts[2]),
                             "visit_key": parts[3] if len(parts) == 4 else None})
            except ValueError:
                continue
        return rows

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        os.close(self.fd)
