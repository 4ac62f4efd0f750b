"""``fagkonferanse attendees …`` (import a CSV file, export the list, delete everyone) and
``fagkonferanse mail …`` (the outbox: what waits, send it now), from the command line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect

from .. import database
from ..clock import utcnow
from ..extensions import db
from ..events.services import current_event
from ..printing import write_atomically
from . import attendees, importing, outbox, services


@click.group("attendees")
def attendees_group() -> None:
    """Attendees of the current conference: import and export."""


@attendees_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--send-tickets", is_flag=True, help="Mail each new attendee their ticket link.")
@with_appcontext
def import_command(file: Path, send_tickets: bool) -> None:
    """Import attendees from FILE.csv (UTF-8 with or without BOM, ';' or ','; columns at least
    name/navn and email/e-post). Known e-mail addresses are updated, not duplicated. A file with any
    bad row is reported line by line and nothing is imported."""
    event = _event_or_fail()
    try:
        parsed = importing.parse_csv(file.read_bytes()[: importing.MAX_BYTES + 1], importing.stand_lookup(event))
    except importing.ImportFailed as error:
        raise click.ClickException(f"{file}: {error}") from None
    if parsed.problems:
        for problem in parsed.problems:
            click.echo(f"{file}:{problem.line}: {problem.message}", err=True)
        raise click.ClickException(f"{file}: {len(parsed.problems)} bad row(s); nothing was imported")
    summary = importing.import_people(event, parsed, send_tickets=send_tickets)
    click.echo(f"Imported {summary.created} new ({summary.waiting} on the waiting list), "
               f"updated {summary.updated} from {file}")


@attendees_group.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
@with_appcontext
def export_command(output: Path | None) -> None:
    """Write every attendee as CSV (';'-separated, UTF-8 with BOM, as Excel expects)."""
    event = _event_or_fail()
    text = attendees.export_csv(event, attendees.filtered(event, attendees.Filters()))
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}")


@attendees_group.command("delete-all")
@click.option("--yes", is_flag=True, help="Confirm: the deletion cannot be undone.")
@click.option("--before-the-event", is_flag=True, help="Allow it although the conference has not been held yet.")
@with_appcontext
def delete_all_command(yes: bool, before_the_event: bool) -> None:
    """Delete every attendee's personal data for the current conference, as the privacy notice
    promises once the day is over. Anonymous stand visits are kept."""
    event = _event_or_fail()
    if event.date >= dt.date.today() and not before_the_event:
        raise click.ClickException(f"the conference is on {event.date:%d.%m.%Y} and not over yet; "
                                   "nothing was deleted (add --before-the-event to delete anyway)")
    if not yes:
        raise click.ClickException("this deletes every attendee for good; nothing was deleted (add --yes)")
    count = services.delete_everyone(event)
    click.echo(f"Deleted {count} attendee(s) of «{event.title}».")


def _event_or_fail():
    event = current_event() if database.is_initialised() else None
    if event is None:
        raise click.ClickException("there is no conference in the database: run 'fagkonferanse init'")
    return event


@click.group("mail")
def mail_group() -> None:
    """Mail to attendees waiting in the outbox table: list it, or send it now."""


@mail_group.command("deliver")
@click.option("--retry-now", is_flag=True, help="Also send what waits for a later retry after a failure.")
@with_appcontext
def mail_deliver_command(retry_now: bool) -> None:
    """Send every message that is due now: what the job worker does by itself, for a site run
    without one or to send at once what waits for a retry. Exits with status 1 if any is left unsent."""
    _outbox_or_fail()
    if retry_now:
        outbox.retry_now()
    app = current_app._get_current_object()
    sent = 0
    while batch := outbox.deliver_pending(app):
        sent += batch
    waiting = outbox.pending_count()
    click.echo(f"Sent {sent} message(s); {waiting} waiting.")
    if waiting:
        raise click.ClickException(f"{waiting} message(s) not sent; see 'fagkonferanse mail pending'")


@mail_group.command("pending")
@with_appcontext
def mail_pending_command() -> None:
    """List unsent messages: kind, age, attempts and last error (no names or addresses)."""
    _outbox_or_fail()
    rows = outbox.pending()
    now = utcnow()
    for row in rows:
        age = int((now - row.created_at).total_seconds())
        due = "due" if row.next_attempt_at <= now else f"next try in {int((row.next_attempt_at - now).total_seconds())} s"
        line = f"#{row.id} {row.kind}, {age} s old, {row.attempts} attempt(s), {due}"
        click.echo(line + (f": {row.last_error}" if row.last_error else ""))
    click.echo(f"{len(rows)} message(s) waiting.")


def _outbox_or_fail() -> None:
    if not database.is_initialised():
        raise click.ClickException("the database is empty: run 'fagkonferanse init' first")
    if not inspect(db.engine).has_table(outbox.OutgoingMail.__tablename__):
        raise click.ClickException("the database has no mail outbox yet: run 'fagkonferanse db upgrade'")
