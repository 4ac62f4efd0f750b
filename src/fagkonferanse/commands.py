"""The core's commands: init, setup, serve, worker, plugins, print and db upgrade.

They are registered through the ``register_commands`` hook, like a plugin's commands, so they run
inside an application context and appear in ``fagkonferanse --help``.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.serving import run_simple

from . import database, jobs, printing
from .config import served_base_url
from .backup import BackupError, backup, check_restorable, prune_backups, restore
from .app import plugin_manager
from .events import cli as events_cli
from .events.loader import BUILTIN_DATASETS, load_conference, read_dataset
from .events.models import Event
from .events.services import current_event, make_current
from .extensions import db
from .accounts.services import create_organiser, organiser_count, random_password
from .hookspecs import hookimpl
from .plugins import plugin_table
from .private_files import make_private, private_folder
from .worker import start_supervised_worker, worker_command


# The account `make run` creates when an instance has no organiser yet (with a random password).
FIRST_ORGANISER = "arrangor@localhost"

# The name of routine backups in instance/backups (`backup --keep` prunes only these, never the
# "before-restore" copies a restore makes).
BACKUP_PREFIX = "fagkonferanse"


@hookimpl
def register_commands(cli: click.Group) -> None:
    for command in (init, setup, serve, list_plugins, print_document, db_group, events_group,
                    backup_command, restore_command, worker_command):
        cli.add_command(command)


@click.command()
@click.option("--reset", is_flag=True, help="Delete everything in the database first.")
@click.option("--dataset", type=click.Choice(sorted(BUILTIN_DATASETS)), default="2016", show_default=True,
              help="The built-in conference to load.")
@with_appcontext
def init(reset: bool, dataset: str) -> None:
    """Create the schema through migrations and load the built-in conference."""
    if database.has_events() and not reset:
        raise click.ClickException(
            f"the database at {database.safe_database_url()} already holds a conference; "
            "nothing was changed (use --reset to delete it and start again)"
        )
    if reset:
        database.drop_everything()
    database.upgrade()
    _load(dataset)


@click.command()
@with_appcontext
def setup() -> None:
    """Make the instance ready to serve, keeping whatever it already holds (used by make run).

    Applies pending migrations, and loads the 2016 conference only into an empty database.
    """
    database.upgrade()
    if database.has_events():
        click.echo(f"Using the existing database at {database.safe_database_url()}")
    else:
        _load("2016")
    if organiser_count() == 0:
        password = random_password()
        create_organiser(FIRST_ORGANISER, password, "Arrangør", temporary=True)
        db.session.commit()
        click.echo("")
        click.echo("An organiser account was created for you (shown only this once):")
        click.echo(f"  log in at /login as {FIRST_ORGANISER} with password {password}")
        click.echo("  you choose your own password when you first log in; add colleagues under «Arrangører».")
        click.echo("")


def _load(dataset: str) -> None:
    data = read_dataset(dataset)
    try:
        event = load_conference(data, demo=True)  # every built-in conference is there to try things on
        plugin_manager().hook.conference_loaded(event=event, source=dataset)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Loaded «{event.title}» ({event.date:%d.%m.%Y}) into {database.safe_database_url()}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--production", is_flag=True, help="Serve with gunicorn: several worker processes.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes with --production (default: 2 per core + 1).")
@click.option("--no-worker", is_flag=True,
              help="Do not start a job worker: one runs elsewhere ('fagkonferanse worker', several machines).")
@with_appcontext
def serve(host: str, port: int, production: bool, workers: int | None, no_worker: bool) -> None:
    """Serve the site: a threaded development server, or gunicorn with --production.

    Links read away from the site (mail, exports, QR codes) use ``base_url``; without one they
    use the address served here. Unless told ``--no-worker``, a job worker is started beside the
    server and kept running (mail, print jobs, stand visits: see the README, "Background jobs").
    """
    if not database.is_initialised():
        raise click.ClickException("the database is empty: run 'fagkonferanse init' first")
    if not current_app.config["BASE_URL_CONFIGURED"]:
        current_app.config["BASE_URL"] = served_base_url(host, port)
        click.echo(f"Links in mail and exports point to {current_app.config['BASE_URL']} "
                   "(set base_url to the public address)")
    app = current_app._get_current_object()
    jobs.use_local_queue(app)
    supervisor, server_pid = None, os.getpid()
    if not no_worker and app.config.get("SERVE_STARTS_WORKER", True) and not jobs.is_immediate(app):
        # The worker writes links in mail too: it must use the address served here.
        supervisor = start_supervised_worker({"FAGKONFERANSE_BASE_URL": app.config["BASE_URL"]})
    try:
        if production:
            from .production import serve_with_gunicorn

            serve_with_gunicorn(host, port, workers)
            return
        click.echo(f"fagkonferanse on http://{host}:{port}/ (Ctrl+C stops)")
        # Flask's app.run() refuses to block inside a CLI command; Werkzeug's server is what it wraps.
        run_simple(host, port, app, threaded=True)
    finally:
        # gunicorn's web workers are forks of this process and leave through this code too (a
        # SystemExit as each one stops): only the process that started the supervisor stops it.
        if supervisor is not None and os.getpid() == server_pid:
            supervisor.terminate()
            supervisor.wait(timeout=40)


@click.command("plugins")
@with_appcontext
def list_plugins() -> None:
    """List the plugins: where each comes from and the hooks it implements, and those disabled."""
    for row in plugin_table(plugin_manager()):
        if row.disabled:
            click.echo(f"{row.name}  [disabled]")
            continue
        needs = f"  needs {', '.join(row.requires)}" if row.requires else ""
        click.echo(f"{row.name}  [{row.source}]{needs}")
        click.echo(f"    {', '.join(row.hooks) if row.hooks else '(no hooks)'}")


class PrintCommand(click.Command):
    """``fagkonferanse print --help`` lists the documents the loaded plugins offer, with their options."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        app = ctx.ensure_object(ScriptInfo).load_app()
        with app.app_context(), force_locale("en"):
            try:
                rows = _document_rows()
            except SQLAlchemyError:  # some documents' options come from the database
                db.session.rollback()
                rows = []
        with formatter.section("Documents"):
            if rows:
                formatter.write_dl(rows)
            else:
                formatter.write_text("Run 'fagkonferanse init' (or 'make run') first to list them.")
        super().format_epilog(ctx, formatter)


def _document_rows(shown_choices: int = 4) -> list[tuple[str, str]]:
    """(name, "title; options") for every printable document, in English like the rest of the CLI."""
    rows = []
    for document in printing.printable_documents().values():
        name = document.name + (f" (or {', '.join(document.aliases)})" if document.aliases else "")
        options = []
        for option in document.options:
            values = [value for value, _label in option.choices] or ["…"]
            if len(values) > shown_choices:
                values = [*values[:shown_choices - 1], "…"]
            options.append(f"{option.name}={'|'.join(values)}")
        rows.append((name, document.title + (f"; -O {', '.join(options)}" if options else "")))
    return rows


@click.command("print", cls=PrintCommand)
@click.argument("document")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="Where to write the PDF.")
@click.option("-O", "--option", "options", multiple=True, metavar="KEY=VALUE",
              help="A document option, e.g. -O layout=a7 (see the print centre for each document's options).")
@with_appcontext
def print_document(document: str, output: str, options: tuple[str, ...]) -> None:
    """Render the printable DOCUMENT (one of those listed below) to a PDF file."""
    given = {}
    for option in options:
        key, separator, value = option.partition("=")
        if not separator:
            raise click.BadParameter(f"{option!r} is not KEY=VALUE", param_hint="-O")
        given[key.strip()] = value.strip()
    event = current_event_or_fail()
    try:
        for warning in printing.document_warnings(printing.find_document(document), event):
            click.echo(f"Warning: {warning}", err=True)
        content = printing.render_document(document, event, given)
    except (printing.UnknownDocument, printing.PrintOptionError, printing.NothingToPrint) as error:
        raise click.ClickException(str(error)) from error
    printing.write_atomically(Path(output), content)
    click.echo(f"Wrote {output} ({len(content) // 1024} KiB)")


def current_event_or_fail():
    event = current_event() if database.is_initialised() else None
    if event is None:
        raise click.ClickException("there is no conference in the database: run 'fagkonferanse init'")
    return event


@click.group("db")
def db_group() -> None:
    """Database schema (migrations of the core and of every plugin)."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply every pending migration; data is kept."""
    database.upgrade()
    click.echo(f"Database at {database.safe_database_url()} is up to date.")


@click.group("events")
def events_group() -> None:
    """The conferences in this database (one is current)."""


events_group.add_command(events_cli.new_event)
events_group.add_command(events_cli.anonymise)


@events_group.command("list")
@with_appcontext
def events_list() -> None:
    """List every event; the current one is marked with *."""
    for event in db.session.scalars(db.select(Event).order_by(Event.date)):
        marker = "*" if event.is_current else " "
        click.echo(f"{marker} {event.slug}  {event.date:%d.%m.%Y}  {event.title}")


@events_group.command("current")
@click.argument("slug")
@with_appcontext
def events_current(slug: str) -> None:
    """Make the event SLUG the one the site shows."""
    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    if event is None:
        known = ", ".join(db.session.scalars(db.select(Event.slug))) or "none"
        raise click.ClickException(f"no event {slug!r}; known events: {known}")
    make_current(event)
    db.session.commit()
    click.echo(f"The site now shows «{event.title}».")


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Backup file (default: instance/backups/fagkonferanse-<time>.db or .dump).")
@click.option("--keep", type=click.IntRange(min=1), default=None, metavar="N",
              help="Then delete all but the N newest backups in instance/backups (not with -o).")
@with_appcontext
def backup_command(output: str | None, keep: int | None) -> None:
    """Copy the database while the site keeps running (SQLite online backup, or pg_dump)."""
    if output and keep is not None:
        raise click.UsageError("--keep prunes instance/backups and cannot be combined with -o")
    target = Path(output) if output else _default_backup_path()
    try:
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
        pruned = prune_backups(target.parent, BACKUP_PREFIX, keep) if keep is not None else []
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target}")
    if pruned:
        click.echo(f"Deleted {len(pruned)} older backup(s), kept the {keep} newest")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(source: str, yes: bool) -> None:
    """Replace the database with a backup; the current state is backed up first."""
    if not yes:
        click.confirm(f"Replace everything in {database.safe_database_url()} with {source}?", abort=True)
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    db.engine.dispose()
    try:
        check_restorable(url, Path(source))
        safety = backup(url, _default_backup_path("before-restore")) if database_exists_with_data() else None
        restore(url, Path(source))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    if safety:
        click.echo(f"The previous state was saved to {safety}")
    click.echo(f"Restored {source}")


def database_exists_with_data() -> bool:
    try:
        return database.is_initialised()
    except Exception:  # an unreadable or missing database has nothing to save
        return False


def _default_backup_path(label: str = BACKUP_PREFIX) -> Path:
    """``instance/backups/<label>-<time>.db|.dump``; the folder is the site's own, so private."""
    suffix = ".db" if db.engine.url.get_backend_name() == "sqlite" else ".dump"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = private_folder(Path(current_app.instance_path) / "backups")
    make_private(folder)  # made by an older version with the umask
    return folder / f"{label}-{stamp}{suffix}"
