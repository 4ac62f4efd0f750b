"""Print jobs: heavy PDFs are made away from the request and fetched when they are ready.

A thousand badges take seconds to lay out and five thousand over a minute. Made inside the POST,
they would hold a web worker (and the organiser's browser) that long, and a proxy's timeout would
throw the work away. So :func:`submit` checks the options at once (a wrong option is still a form
error), stores a :class:`PrintJob` and hands its token to a *runner*; :func:`run_job` makes the PDF
and writes it to ``instance/print-jobs/<token>.pdf``.

The runner is the config value ``PRINT_JOB_RUNNER``:

``"thread"`` (default)
    One background thread per server process, made on first use, so each gunicorn worker gets its
    own after the fork. A process's jobs run one after another.
``"inline"``
    At once, in the caller: the command line, and tests that want the PDF before going on.
``"module:function"``
    Called with the token; it hands the job to a queue (RQ, Celery) whose worker, in another
    process or on another machine, calls :func:`run_job_in_app` (see the README).

A job may name a CUPS ``printer``: once its PDF is made, it is handed to ``lp`` (:mod:`.printers`)
and the job is done only when the printer took it (badges printed on arrival go this way).

Badge PDFs list attendees, so jobs and their files are deleted ``PRINT_JOB_KEEP_HOURS`` after they
were asked for (:func:`purge_expired`, run on every submit and print-centre visit).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdfium2
from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..accounts.models import utcnow
from ..config import ConfigError
from ..events.models import Event
from ..extensions import db
from ..plugin_types import PrintableDocument
from . import NothingToPrint, PrintOptionError, UnknownDocument, find_document, render_document, resolve_options, \
    write_atomically
from .models import DONE, FAILED, QUEUED, RUNNING, PrintJob
from .printers import PrinterError, send_to_printer

logger = logging.getLogger(__name__)

FOLDER = "print-jobs"
INTERRUPTED = "interrupted"  # shown, never stored: a queued or running job whose process is gone


# --- Asking for a PDF ---------------------------------------------------------------------------


def submit(name: str, event: Event, given_options: dict[str, str], user: Any = None, *,
           printer: str | None = None, wait: bool = False) -> PrintJob:
    """Queue document ``name`` for ``event`` and start it with the configured runner.

    Raises UnknownDocument or PrintOptionError before anything is stored, so the form can say
    what is wrong; what only the rendering finds out (NothingToPrint) ends the job as failed.
    ``user`` is the organiser asking (any object with an ``id``), or None from the command line.
    ``printer`` sends the PDF to that CUPS printer when it is made. ``wait`` makes it here and
    now, whatever the runner, for a caller that needs the PDF in this request (one badge).
    """
    document = find_document(name)
    options = resolve_options(document, given_options)
    runner = run_job if wait else _runner()
    purge_expired()
    job = PrintJob(token=new_token(), event_id=event.id, document=document.name, options=options,
                   requested_by_id=getattr(user, "id", None), printer=printer or None)
    if runner is _run_in_background:
        # This process will run it: if it dies before the job starts, the job shows as interrupted.
        for key, value in this_process().items():
            setattr(job, key, value)
    db.session.add(job)
    db.session.commit()
    token = job.token
    try:
        runner(token)
    except Exception:  # a queue that is down must not lose the job silently
        logger.exception("PRINT_JOB_RUNNER could not take print job %s", token)
        _finish(token, FAILED, expected=QUEUED)
    return db.session.scalar(db.select(PrintJob).where(PrintJob.token == token))


def new_token() -> str:
    """A job's random name (192 bits). Never one starting with "-": ``fagkonferanse print-jobs
    run -Uq…`` would read it as an option (a test met one in 64 tokens that way)."""
    while (token := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return token


def _runner() -> Callable[[str], Any]:
    """The function that starts a job, from ``PRINT_JOB_RUNNER`` (see the module docstring)."""
    name = current_app.config.get("PRINT_JOB_RUNNER") or "thread"
    if name == "thread":
        return _run_in_background
    if name == "inline":
        return run_job
    module_name, _colon, attribute = name.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise ConfigError(f"PRINT_JOB_RUNNER = {name!r}: give 'thread', 'inline' or 'module:function' "
                          f"({type(error).__name__}: {error})") from error


# --- Running it ---------------------------------------------------------------------------------

_background_lock = threading.Lock()
_background_pool: ThreadPoolExecutor | None = None
_background_pid: int | None = None


def _background() -> ThreadPoolExecutor:
    """This process's print thread. Made on first use and again after a fork: a gunicorn worker
    inherits the master's memory but none of its threads."""
    global _background_pool, _background_pid
    with _background_lock:
        if _background_pool is None or _background_pid != os.getpid():
            _background_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="print-job")
            _background_pid = os.getpid()
        return _background_pool


def stop_background() -> None:
    """Wait for the jobs this process's print thread has taken and end the thread (a new one is
    made for the next job). For tests: multiprocessing's "fork" warns about, and may deadlock in,
    a process that runs other threads."""
    global _background_pool
    with _background_lock:
        pool, _background_pool = _background_pool, None
    if pool is not None:
        pool.shutdown(wait=True)


def _run_in_background(token: str) -> None:
    _background().submit(_run_with_app, current_app._get_current_object(), token)


def _run_with_app(app: Flask, token: str) -> None:
    with app.app_context():
        try:
            run_job(token)
        except Exception:  # nobody waits on the future: say it in the log
            logger.exception("print job %s could not be run", token)


def run_job_in_app(token: str, instance_path: str | Path | None = None) -> None:
    """Run a job in a process of its own: what an RQ or Celery worker calls.

    The application is built for ``instance_path`` (default ``FAGKONFERANSE_INSTANCE`` or
    ``./instance``), so the worker needs the same instance folder (config, and the print-jobs
    folder the web server serves the PDF from) as the site.
    """
    from ..app import create_app

    app = create_app(instance_path=instance_path)
    with app.app_context():
        try:
            run_job(token)
        finally:
            db.session.remove()
            db.engine.dispose()


def run_job(token: str) -> PrintJob | None:
    """Make the PDF of the queued job ``token`` (inside an application context).

    The job is claimed in one UPDATE, so a job handed over twice (a queue's retry, two workers)
    is made once; a job that is not queued is left alone and None returned. It ends as done, or
    as failed with the message of PrintOptionError/NothingToPrint; an unexpected error is logged
    with its traceback and the organiser gets a general message.
    """
    if not _claim(token):
        logger.info("print job %s is not queued; not run", token)
        return None
    job = find_job(token)
    if job is None:  # deleted just now
        return None
    name, event_id, options, printer = job.document, job.event_id, dict(job.options), job.printer
    path = job_file(token)
    try:
        pdf = render_document(name, db.session.get(Event, event_id), options)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomically(path, pdf)
        pages, page_size = _pdf_facts(pdf)
        sent = send_to_printer(path, printer, f"fagkonferanse {name}", page_size) if printer else None
    except (UnknownDocument, PrintOptionError, NothingToPrint, PrinterError) as problem:
        db.session.rollback()
        path.unlink(missing_ok=True)
        _finish(token, FAILED, error=str(problem))
    except Exception:
        db.session.rollback()
        path.unlink(missing_ok=True)
        logger.exception("print job %s (%s) failed", token, name)
        _finish(token, FAILED)
    else:
        if not _finish(token, DONE, pages=pages, size_bytes=len(pdf), printer_request=sent):
            path.unlink(missing_ok=True)  # the organiser deleted the job while it was made
    return find_job(token)


def _claim(token: str) -> bool:
    result = db.session.execute(
        db.update(PrintJob).where(PrintJob.token == token, PrintJob.state == QUEUED)
        .values(state=RUNNING, started_at=utcnow(), **this_process()))
    db.session.commit()
    return result.rowcount == 1


def _finish(token: str, state: str, expected: str = RUNNING, **values: Any) -> bool:
    """Record how the job ended; False when it is no longer there (deleted meanwhile)."""
    result = db.session.execute(
        db.update(PrintJob).where(PrintJob.token == token, PrintJob.state == expected)
        .values(state=state, finished_at=utcnow(), **values))
    db.session.commit()
    return result.rowcount == 1


def _pdf_facts(pdf: bytes) -> tuple[int, tuple[float, float]]:
    """The PDF's number of pages and its first page's size in mm (what a label printer is told)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
        return len(document), (width * 25.4 / 72, height * 25.4 / 72)
    finally:
        document.close()


def requeue(job: PrintJob) -> None:
    """Queue an interrupted job again, so ``print-jobs run`` can make it (commits)."""
    job.state, job.started_at = QUEUED, None
    job.worker_host = job.worker_pid = job.worker_started = None
    db.session.commit()


# --- Whose job is it, and is that process still there? -----------------------------------------


def this_process() -> dict[str, Any]:
    """The columns that name the current process as the one making a job."""
    pid = os.getpid()
    return {"worker_host": socket.gethostname()[:255], "worker_pid": pid, "worker_started": _process_started(pid)}


def _process_started(pid: int) -> str | None:
    """When process ``pid`` started, in clock ticks after boot (Linux's /proc), or None.

    With the pid it names one process: after a restart a new process may well get the old pid
    (a container counts from 1 each time), but not the same start time. A zombie (killed, not yet
    reaped by its parent) counts as gone.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the command name in (…) may hold spaces
    return None if fields[0] == "Z" else fields[19]


def _process_alive(host: str | None, pid: int, started: str | None) -> bool:
    if host != socket.gethostname()[:255]:
        return True  # another machine's process cannot be looked at from here
    if started is not None:
        return _process_started(pid) == started
    try:
        os.kill(pid, 0)  # no signal is sent: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def display_state(job: PrintJob) -> str:
    """The state to show: ``interrupted`` for a queued or running job whose process is gone
    (killed, or the server restarted), so it does not say "running" for ever."""
    if job.state in (QUEUED, RUNNING) and job.worker_pid is not None \
            and not _process_alive(job.worker_host, job.worker_pid, job.worker_started):
        return INTERRUPTED
    return job.state


# --- Finding, describing and deleting jobs -------------------------------------------------------


def find_job(token: str) -> PrintJob | None:
    return db.session.scalar(db.select(PrintJob).where(PrintJob.token == token))


def recent_jobs(event: Event, limit: int = 50) -> list[PrintJob]:
    """The event's jobs, newest first (older ones are purged anyway)."""
    return list(db.session.scalars(db.select(PrintJob).where(PrintJob.event_id == event.id)
                                   .options(selectinload(PrintJob.requested_by))
                                   .order_by(PrintJob.created_at.desc(), PrintJob.id.desc()).limit(limit)))


def job_file(token: str) -> Path:
    """Where a job's PDF is kept. Only call it with a token read from the database."""
    return Path(current_app.instance_path) / FOLDER / f"{token}.pdf"


def describe_options(document: PrintableDocument, options: dict[str, Any], longest: int = 10) -> list[tuple[str, str]]:
    """Each option as (label, what was chosen), in words the organiser picked them by."""
    described = []
    for option in document.options:
        value = str(options.get(option.name, option.default) or "")
        labels = {choice: str(label) for choice, label in option.choices}
        if option.multiple:
            items = [labels.get(item, item) for item in value.split(",") if item]
            text = ", ".join(items[:longest])
            if len(items) > longest:
                text = _("%(list)s og %(count)s til", list=text, count=len(items) - longest)
        else:
            text = labels.get(value, value)
        described.append((str(option.label), text))
    return described


def delete_job(job: PrintJob) -> None:
    """Forget a job and delete its PDF (commits). A job still being made finishes in vain: its
    runner finds the row gone and deletes the file it wrote."""
    token = job.token
    db.session.delete(job)
    db.session.commit()
    job_file(token).unlink(missing_ok=True)


def keep_hours() -> float:
    return float(current_app.config["PRINT_JOB_KEEP_HOURS"])


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete jobs asked for more than ``PRINT_JOB_KEEP_HOURS`` ago with their PDFs, and any PDF
    left without a job (a crash between writing it and recording it). Returns how many jobs went."""
    cutoff = (now or utcnow()) - dt.timedelta(hours=keep_hours())
    folder = Path(current_app.instance_path) / FOLDER
    files = list(folder.iterdir()) if folder.is_dir() else []  # before reading the jobs: see below
    expired = list(db.session.scalars(db.select(PrintJob.token).where(PrintJob.created_at < cutoff)))
    if expired:
        db.session.execute(db.delete(PrintJob).where(PrintJob.token.in_(expired)))
        db.session.commit()
    # A job's row is stored before its file is written, so a file listed above whose token has no
    # row now belongs to no job.
    kept = set(db.session.scalars(db.select(PrintJob.token)))
    for path in files:
        if path.suffix == ".pdf" and path.stem not in kept or path.suffix == ".part" and _written_before(path, cutoff):
            path.unlink(missing_ok=True)  # a .part file is what a process killed while writing leaves
    return len(expired)


def _written_before(path: Path, moment: dt.datetime) -> bool:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None) < moment
    except FileNotFoundError:  # finished (renamed) meanwhile
        return False
