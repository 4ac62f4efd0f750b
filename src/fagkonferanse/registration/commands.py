"""``fagkonferanse attendees …``: import a CSV file, or export the list, from the command line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import database
from ..events.services import current_event
from ..printing import write_atomically
from . import attendees, importing, services


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
        parsed = importing.parse_csv(file.read_bytes()[: importing.MAX_BYTES + 1])
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
