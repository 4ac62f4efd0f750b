"""Print jobs: heavy PDFs are made away from the request and fetched when they are ready.

A thousand badges take seconds to lay out and five thousand over a minute. Made inside the POST,
they would hold a web worker (and the organiser's browser) that long, and a proxy's timeout would
throw the work away. So :func:`submit` checks the options at once (a wrong option is still a form
error), stores a :class:`PrintJob` and hands its token to a *runner*; :func:`run_job` makes the PDF
and keeps it in the job's row, where every app server can hand it out.

The runner is the config value ``PRINT_JOB_RUNNER``:

``"queue"`` (default)
    A task of the job engine (:mod:`fagkonferanse.jobs`): the worker process makes it, or the
    caller at once when the engine is immediate (commands, tests).
``"inline"``
    At once, in the caller.
``"module:function"``
    Called with the token; it hands the job to another queue (RQ, Celery) whose worker, in another
    process or on another machine, calls :func:`run_job_in_app` (see the README).

A job whose worker died while making it (killed, machine restarted) runs again by itself: the
worker's sweep (:func:`rerun_stalled`) queues it anew, ``MAX_ATTEMPTS`` times at most.

A job may name a CUPS ``printer``: once its PDF is made, it is handed to ``lp`` (:mod:`.printers`)
and the job is done only when the printer took it (badges printed on arrival go this way).

Badge PDFs list attendees, so jobs and their PDFs are deleted ``PRINT_JOB_KEEP_HOURS`` after they
were asked for (:func:`purge_expired`, on every submit, print-centre visit and sweep).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from .. import jobs
from ..clock import utcnow
from ..config import ConfigError
from ..events.models import Event
from ..extensions import db
from ..plugin_types import PrintableDocument
from ..private_files import private_folder
from . import NothingToPrint, PrintOptionError, UnknownDocument, find_document, render_document, resolve_options
from .models import DONE, FAILED, QUEUED, RUNNING, PrintJob
from .printers import PrinterError, send_to_printer

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
OLD_FOLDER = "print-jobs"  # where PDFs lay before they were kept in the row (migration 0015)


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
    name = current_app.config.get("PRINT_JOB_RUNNER") or "queue"
    if name == "queue":
        return _enqueue
    if name == "inline":
        return run_job
    module_name, _colon, attribute = name.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError) as error:
        raise ConfigError(f"PRINT_JOB_RUNNER = {name!r}: give 'queue', 'inline' or 'module:function' "
                          f"({type(error).__name__}: {error})") from error


def _enqueue(token: str) -> None:
    jobs.enqueue(run_print_job, token)


@jobs.task
def run_print_job(token: str) -> None:
    """The job engine's task: make the job, and say in the log if that failed unexpectedly."""
    try:
        run_job(token)
    except Exception:  # nobody waits on the task: say it in the log
        logger.exception("print job %s could not be run", token)


# --- Running it ---------------------------------------------------------------------------------


def run_job_in_app(token: str, instance_path: str | Path | None = None) -> None:
    """Run a job in a process of its own: what an RQ or Celery worker calls.

    The application is built for ``instance_path`` (default ``FAGKONFERANSE_INSTANCE`` or
    ``./instance``), so the worker needs the site's config (its database above all).
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
    try:
        pdf = render_document(name, db.session.get(Event, event_id), options)
        pages, page_size = _pdf_facts(pdf)
        sent = _print(pdf, printer, f"fagkonferanse {name}", page_size) if printer else None
    except (UnknownDocument, PrintOptionError, NothingToPrint, PrinterError) as problem:
        db.session.rollback()
        _finish(token, FAILED, error=str(problem))
    except Exception:
        db.session.rollback()
        logger.exception("print job %s (%s) failed", token, name)
        _finish(token, FAILED)
    else:
        _finish(token, DONE, pages=pages, size_bytes=len(pdf), printer_request=sent, pdf=pdf)
    return find_job(token)


def _print(pdf: bytes, printer: str, title: str, page_size: tuple[float, float]) -> str:
    """Hand the PDF to CUPS's ``lp`` through a private temporary file."""
    folder = private_folder(Path(current_app.instance_path) / "tmp")
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return send_to_printer(Path(file.name), printer, title, page_size)


def _claim(token: str) -> bool:
    result = db.session.execute(
        db.update(PrintJob).where(PrintJob.token == token, PrintJob.state == QUEUED)
        .values(state=RUNNING, started_at=utcnow(), attempts=PrintJob.attempts + 1))
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
    import pypdfium2  # here, not at the top: every command would pay for loading pdfium

    document = pypdfium2.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
        return len(document), (width * 25.4 / 72, height * 25.4 / 72)
    finally:
        document.close()


@jobs.every_minute
def rerun_stalled(now: dt.datetime | None = None) -> int:
    """Queue again the jobs a dead worker left (running, or queued, for
    ``PRINT_JOB_STALLED_SECONDS``: a job is made in seconds, five thousand badges in a minute), or
    end them as failed once ``MAX_ATTEMPTS`` were used up; and purge expired jobs. How many went
    back to the queue. A job that was only slow is claimed by one of the two runs, never both."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=float(current_app.config["PRINT_JOB_STALLED_SECONDS"]))
    stalled = list(db.session.scalars(db.select(PrintJob).where(
        db.or_(db.and_(PrintJob.state == RUNNING, PrintJob.started_at < cutoff),
               # a queued job's started_at is when it was last handed to the queue again
               db.and_(PrintJob.state == QUEUED,
                       db.func.coalesce(PrintJob.started_at, PrintJob.created_at) < cutoff)))))
    again = []
    for job in stalled:
        if job.attempts >= MAX_ATTEMPTS:
            job.state, job.finished_at = FAILED, now
            job.error = _("Utskriften ble avbrutt %(count)s ganger og er gitt opp. Bestill den på nytt.",
                          count=job.attempts)
        else:
            job.state, job.started_at = QUEUED, now
            again.append(job.token)
    db.session.commit()
    for token in again:
        logger.warning("print job %s was left by its worker; running it again", token)
        _runner()(token)
    purge_expired(now)
    return len(again)


# --- Finding, describing and deleting jobs -------------------------------------------------------


def find_job(token: str) -> PrintJob | None:
    return db.session.scalar(db.select(PrintJob).where(PrintJob.token == token))


def recent_jobs(event: Event, limit: int = 50) -> list[PrintJob]:
    """The event's jobs, newest first (older ones are purged anyway)."""
    return list(db.session.scalars(db.select(PrintJob).where(PrintJob.event_id == event.id)
                                   .options(selectinload(PrintJob.requested_by))
                                   .order_by(PrintJob.created_at.desc(), PrintJob.id.desc()).limit(limit)))


def job_pdf(token: str) -> bytes | None:
    """A finished job's PDF, or None."""
    return db.session.scalar(db.select(PrintJob.pdf).where(PrintJob.token == token, PrintJob.state == DONE))


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
    """Forget a job with its PDF (commits). A job still being made finishes in vain: its runner
    finds the row gone."""
    db.session.delete(job)
    db.session.commit()


def keep_hours() -> float:
    return float(current_app.config["PRINT_JOB_KEEP_HOURS"])


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete jobs asked for more than ``PRINT_JOB_KEEP_HOURS`` ago with their PDFs; how many.
    The folder where PDFs lay before migration 0015 goes too (they hold personal data)."""
    cutoff = (now or utcnow()) - dt.timedelta(hours=keep_hours())
    result = db.session.execute(db.delete(PrintJob).where(PrintJob.created_at < cutoff))
    db.session.commit()
    shutil.rmtree(Path(current_app.instance_path) / OLD_FOLDER, ignore_errors=True)
    return result.rowcount
