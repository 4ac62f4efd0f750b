"""``fagkonferanse catalogue import FILE``: read a booklet's catalogue into the current event.

Parsing happens before the database is touched, and loading runs in one transaction, so a
malformed file, a bad corrections file or any failure while loading changes nothing. Problems a
user can fix end the command with one line naming the file (and line) and exit code 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from fagkonferanse import Event, current_event, database_is_initialised, db

from .importer import CatalogueFormatError, CorrectionError, ParsedCatalogue, apply_corrections, parse_catalogue
from .loader import KINDS, DoesNotFit, LoadReport, check_fits, load_catalogue

NOTHING_CHANGED = "nothing was changed"
KIND_NAMES = {"sheets": "project sheets", "recipes": "recipes", "pages": "pages"}


@click.group("catalogue")
def catalogue_group() -> None:
    """The project catalogue: import project sheets and recipes from a booklet's text."""


@catalogue_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--corrections", type=click.Path(path_type=Path),
              help="A corrections file (JSON) applied after parsing, like data/corrections_2016.json.")
@click.option("--event", "event_slug", metavar="SLUG", help="Import into this event (default: the current one).")
@click.option("--overwrite-edited", is_flag=True,
              help="Also replace sheets that organisers edited in the web UI since the last import.")
@click.option("--dry-run", is_flag=True, help="Show the report without saving anything.")
@with_appcontext
def import_command(file: Path, corrections: Path | None, event_slug: str | None, overwrite_edited: bool,
                   dry_run: bool) -> None:
    """Import FILE, a catalogue in the booklet's plain-text form (UTF-8).

    Sheets, recipes and pages are matched by slug: running it again updates in place and never
    duplicates. Prints what was created, updated and left unchanged, and every fragment of text
    that could not be placed, with its line.
    """
    parsed = _parse(file, corrections)
    event = _event(event_slug)
    try:
        check_fits(parsed)
    except DoesNotFit as error:
        raise click.ClickException(f"{file}: {error}; {NOTHING_CHANGED}") from None
    try:
        report = load_catalogue(event, parsed, overwrite_edited=overwrite_edited)
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    _print_report(file, event, report, dry_run)


def read_text(path: Path) -> str:
    """The file's text; unreadable files and other encodings than UTF-8 get a clear message."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise click.ClickException(f"{path}: no such file; {NOTHING_CHANGED}") from None
    except IsADirectoryError:
        raise click.ClickException(f"{path}: is a folder, not a file; {NOTHING_CHANGED}") from None
    except OSError as error:
        raise click.ClickException(f"{path}: cannot be read ({error.strerror}); {NOTHING_CHANGED}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise click.ClickException(
            f"{path}: line {line}: not UTF-8 text (byte 0x{data[error.start]:02x}); "
            f"save the file as UTF-8 and try again; {NOTHING_CHANGED}") from None


def _parse(file: Path, corrections: Path | None) -> ParsedCatalogue:
    try:
        parsed = parse_catalogue(read_text(file))
    except CatalogueFormatError as error:
        raise click.ClickException(f"{file}: {error}; {NOTHING_CHANGED}") from None
    if corrections is None:
        return parsed
    try:
        fixes = json.loads(read_text(corrections))
        if not isinstance(fixes, dict):
            raise CorrectionError("expected a JSON object with a list of 'corrections'")
        return apply_corrections(parsed, fixes)
    except json.JSONDecodeError as error:
        raise click.ClickException(f"{corrections}: line {error.lineno}: not valid JSON ({error.msg}); "
                                   f"{NOTHING_CHANGED}") from None
    except (CorrectionError, KeyError, TypeError, AttributeError) as error:
        raise click.ClickException(f"{corrections}: {error}; {NOTHING_CHANGED}") from None


def _event(slug: str | None) -> Event:
    if not database_is_initialised():
        raise click.ClickException("the database is empty: run 'fagkonferanse init' first")
    event = db.session.scalar(db.select(Event).where(Event.slug == slug)) if slug else current_event()
    if event is None:
        known = ", ".join(db.session.scalars(db.select(Event.slug))) or "none"
        raise click.ClickException(f"no event {slug!r} (known events: {known}); {NOTHING_CHANGED}" if slug
                                   else "there is no conference in the database: run 'fagkonferanse init'")
    return event


def _print_report(file: Path, event: Event, report: LoadReport, dry_run: bool) -> None:
    click.echo(f"{'Would import' if dry_run else 'Imported'} {file} into «{event.title}»:")
    width = max(len(name) for name in KIND_NAMES.values())
    for kind in KINDS:
        click.echo(f"  {KIND_NAMES[kind] + ':':<{width + 1}} {report.created[kind]} created, "
                   f"{report.updated[kind]} updated, {report.unchanged[kind]} unchanged")
    if report.organisations_created:
        click.echo(f"  new organisations: {', '.join(report.organisations_created)}")
    if report.kept_edited:
        click.echo("  kept as edited in the web UI (--overwrite-edited replaces them): "
                   + ", ".join(report.kept_edited))
    if report.not_in_file:
        click.echo(f"  in the database but not in the file (kept): {', '.join(report.not_in_file)}")
    if report.problems:
        click.echo(f"Could not place {len(report.problems)} fragment(s) of text:")
        for problem in report.problems:
            click.echo(f"  line {problem.line}: {problem.message}")
    else:
        click.echo("Every fragment of text was placed.")
    if dry_run:
        click.echo("Dry run: nothing was saved.")
