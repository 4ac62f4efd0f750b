"""``fagkonferanse events new`` and ``events anonymise``: next year's conference, and letting go of
last year's attendees, from the command line (the organisers' pages do the same)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..extensions import db
from .models import Event
from .copying import PARTS, CopyError, NewEvent, create_event, event_by_slug
from .retention import anonymise_due, due_events
from .services import make_current


def _parts(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    parts = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in parts if part not in PARTS]
    if unknown:
        raise click.BadParameter(f"unknown part {', '.join(unknown)!s}; choose from {','.join(PARTS)}",
                                 param_hint="--copy")
    return parts


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2017-11-08", param_hint="--date") from None


@click.command("new")
@click.option("--title", required=True, help="The new conference's title.")
@click.option("--date", "date_text", required=True, metavar="YYYY-MM-DD", help="Its day, e.g. 2017-11-08.")
@click.option("--venue", default=None, help="Where it is held (default: as the conference copied from).")
@click.option("--building", default=None, help="The building (default: as the conference copied from).")
@click.option("--slug", default="", help="Its address (default: from the title and the year).")
@click.option("--copy-from", "source_slug", default=None, metavar="SLUG", help="An earlier conference to copy from.")
@click.option("--copy", "copy_parts", default=None, metavar="PARTS",
              help=f"What to copy, comma-separated: {','.join(PARTS)} (default with --copy-from: all).")
@click.option("--make-current", "make_current_too", is_flag=True, help="Show it on the site at once (the others become archives).")
@with_appcontext
def new_event(title: str, date_text: str, venue: str | None, building: str | None, slug: str,
              source_slug: str | None, copy_parts: str | None, make_current_too: bool) -> None:
    """Create a new conference, copying chosen parts of an earlier one (speakers are never copied)."""
    date = _date(date_text)
    parts = _parts(copy_parts)
    source = None
    if source_slug is not None:
        source = event_by_slug(source_slug)
        if source is None:
            known = ", ".join(db.session.scalars(db.select(Event.slug).order_by(Event.date)))
            raise click.ClickException(f"no conference {source_slug!r} to copy from; known: {known or 'none'}")
    elif parts:
        raise click.UsageError("--copy needs --copy-from: which conference to copy from")
    if parts is None:
        parts = PARTS if source is not None else ()
    venue = venue if venue is not None else (source.venue if source else None)
    building = building if building is not None else (source.building if source else None)
    if not venue or not building:
        raise click.UsageError("give --venue and --building (or --copy-from a conference to take them from)")
    from ..app import plugin_manager

    try:
        with force_locale("en"):  # the command line speaks English
            event, copied = create_event(NewEvent(title, date, venue, building, slug), source, parts,
                                         hook=plugin_manager().hook)
    except CopyError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    if make_current_too:
        make_current(event)
    db.session.commit()
    click.echo(f"Created «{event.title}» ({event.date:%d.%m.%Y}), slug {event.slug}"
               + (", now the current conference" if make_current_too else ""))
    if source is not None:
        click.echo(f"Copied from {source.slug}: {len(copied.locations)} places, {len(copied.floors)} floors, "
                   f"{len(copied.stands)} stands, {len(copied.questions)} questions, {len(copied.items)} programme items")
    if not make_current_too:
        click.echo(f"Make it the site's conference with: fagkonferanse events current {event.slug}")


@click.command("anonymise")
@click.option("--dry-run", is_flag=True, help="Only list what would be anonymised.")
@with_appcontext
def anonymise(dry_run: bool) -> None:
    """Anonymise the attendees of past conferences whose retention time is over (never the current one)."""
    due = due_events()
    if not due:
        click.echo("Nothing to anonymise.")
        return
    for item in due:
        click.echo(f"{item.event.slug}: {item.registrations} registrations, due since {item.due_on:%d.%m.%Y}")
    if dry_run:
        click.echo("Dry run: nothing was changed.")
        return
    from ..app import plugin_manager

    for event, count in anonymise_due(hook=plugin_manager().hook):
        click.echo(f"Anonymised {count} registrations of {event.slug}")
