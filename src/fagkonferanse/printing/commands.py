"""``fagkonferanse print-jobs …``: the print centre's background jobs from the command line.

``list`` shows them, ``run TOKEN -o FILE`` makes a queued job in this process — what a
simple external runner can call — and ``purge`` deletes old jobs and their PDFs (cron-friendly).
``fagkonferanse print`` itself stays synchronous: it writes the PDF before it returns.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..extensions import db
from . import jobs
from .models import DONE, QUEUED, PrintJob


@click.group("print-jobs")
def print_jobs_group() -> None:
    """PDFs ordered in the print centre, made in the background."""


@print_jobs_group.command("list")
@with_appcontext
def list_command() -> None:
    """Every print job, newest first: token, state, document, when, size."""
    for job in db.session.scalars(db.select(PrintJob).order_by(PrintJob.created_at.desc(), PrintJob.id.desc())):
        size = f"{job.pages} pages, {job.size_bytes // 1024} KiB" if job.state == DONE else (job.error or "")
        click.echo(f"{job.token}  {job.state:<11}  {job.document:<10}  "
                   f"{job.created_at:%Y-%m-%d %H:%M} UTC  {size}".rstrip())


@print_jobs_group.command("run")
@click.argument("token")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the PDF.")
@with_appcontext
def run_command(token: str, output: str) -> None:
    """Make the queued job TOKEN now, in this process, and write its PDF to OUTPUT."""
    job = jobs.find_job(token)
    if job is None:
        raise click.ClickException(f"no print job {token!r} (see 'fagkonferanse print-jobs list')")
    if job.state != QUEUED:
        raise click.ClickException(f"print job {token} is {job.state}: only a queued job can be run")
    finished = jobs.run_job(token)
    if finished is None:
        raise click.ClickException(f"print job {token} was taken by another worker or deleted meanwhile")
    if finished.state != DONE:
        raise click.ClickException(f"print job {token} failed: {finished.error or 'unexpected error, see the log'}")
    Path(output).write_bytes(jobs.job_pdf(token))
    click.echo(f"Wrote {output} ({finished.pages} pages, {finished.size_bytes // 1024} KiB)")


@print_jobs_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete jobs and PDFs older than PRINT_JOB_KEEP_HOURS (default 24)."""
    count = jobs.purge_expired()
    click.echo(f"Deleted {count} print job(s) older than {jobs.keep_hours():g} hours.")
