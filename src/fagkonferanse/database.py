"""Schema management: migrations for the core and every plugin branch, reset, and checks."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import MetaData, event, inspect
from sqlalchemy.engine import make_url

from .extensions import db
from .private_files import make_private
from .resources import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

# The files SQLite keeps a database in: the database itself, its write-ahead log and the log's
# shared-memory index. SQLite gives the last two the database file's permissions when it makes
# them, so a private database file makes the whole set private.
SQLITE_FILE_SUFFIXES = ("", "-wal", "-shm")


def use_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to ``app`` when a migration runs, not at start-up: Alembic takes a fifth
    of a second to import, which every command paid. Its command group stays available to
    developers as ``fagkonferanse alembic`` (:func:`alembic_command`); ``fagkonferanse db upgrade``
    upgrades core and plugin branches together."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    migrate = Migrate()
    migrate.configure(_add_plugin_migrations)
    migrate.init_app(app, db, directory=str(migrations_dir()), command="alembic", render_as_batch=True)


def _add_plugin_migrations(config: Config) -> Config:
    """Let Alembic find the revisions of plugins that own tables (``migration_folders``)."""
    from .app import plugin_manager

    folders = [str(migrations_dir() / "versions")]
    pm = plugin_manager()
    for group in pm.hook.migration_folders():
        folders.extend(str(Path(folder)) for folder in group or ())
    folders.extend(str(Path(folder)) for folder in pm.disabled_migration_folders())
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(folders))
    return config


def configure_connections(app) -> None:
    """Make SQLite behave like the server databases the code is also written for.

    Foreign keys are enforced (``ON DELETE`` rules work), writers wait for each other instead
    of failing at once, and readers never block writers (WAL). PostgreSQL needs none of this.

    ``SQLITE_SYNCHRONOUS`` is ``normal`` by default: in WAL mode a commit is then written to the
    log without waiting for the disk to flush it, so it survives the server being killed (the
    operating system has it) and the database is never corrupted, but a power cut or kernel crash
    may undo the last commits before a checkpoint. Waiting for the disk on every commit
    (``full``) made each registration hold the one write lock several times longer under the
    lunch-hour rush. Rails and Litestream recommend the same setting for SQLite in production.

    The files hold personal data, so they are made private (0600) before the log is created, and
    ``secure_delete`` overwrites what a deletion frees instead of leaving it in free pages (see
    :func:`forget_deleted_data` for the log).
    """
    with app.app_context():
        engine = db.engine
    if engine.url.get_backend_name() != "sqlite":
        return
    synchronous = str(app.config.get("SQLITE_SYNCHRONOUS", "normal")).upper()

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection, record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA secure_delete=ON")
        if engine.url.database not in (None, "", ":memory:"):
            for suffix in SQLITE_FILE_SUFFIXES:
                make_private(Path(engine.url.database + suffix))
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")  # one of config.SQLITE_SYNCHRONOUS_MODES
        cursor.close()


def forget_deleted_data() -> None:
    """Make personal data deleted by the last commit unreadable from the database's files too.

    Called after a person's data is deleted. On SQLite ``secure_delete`` (set on every
    connection) has zeroed the freed space in the pages the deletion wrote, but the write-ahead
    log still holds those pages as they were before, until it is checkpointed and reused: a
    ``TRUNCATE`` checkpoint copies the log into the database and empties it now. It waits up to
    the busy timeout for readers of an older snapshot; if some remain, the log is emptied at a
    later checkpoint, and the warning says so.

    PostgreSQL keeps deleted rows in its table files until autovacuum reclaims the space and new
    rows overwrite it, and in its own write-ahead log until the server recycles the segments; an
    application cannot force that without superuser rights (README, "Privacy and files").
    """
    if db.engine.url.get_backend_name() != "sqlite" or db.engine.url.database in (None, "", ":memory:"):
        return
    with db.engine.connect() as connection:
        busy, _log_pages, _checkpointed = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        logger.warning("the SQLite write-ahead log could not be emptied after a deletion (readers were busy); "
                       "deleted data stays in it until the next checkpoint")


def include_object(object_, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: leave out columns and indexes that exist only in the database.

    A table lists them in ``__table_args__ = {"info": {"database_only": (...)}}`` — e.g. search
    columns a migration creates on PostgreSQL and only a trigger writes. Without this,
    ``alembic revision --autogenerate`` would offer to drop them.
    """
    if reflected and compare_to is None and type_ in ("column", "index"):
        table = db.metadata.tables.get(object_.table.name)
        if table is not None and name in table.info.get("database_only", ()):
            return False
    return True


def upgrade(revision: str = "heads") -> None:
    """Bring the core and every plugin branch up to their newest revision (or to ``revision``)."""
    import flask_migrate

    use_migrations(current_app._get_current_object())
    flask_migrate.upgrade(directory=str(migrations_dir()), revision=revision)


def downgrade(revision: str) -> None:
    """Take the database back to ``revision`` (tests of migrations; developers use ``alembic``)."""
    import flask_migrate

    use_migrations(current_app._get_current_object())
    flask_migrate.downgrade(directory=str(migrations_dir()), revision=revision)


@click.command("alembic", add_help_option=False,
               context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
@with_appcontext
def alembic_command(ctx: click.Context) -> None:
    """Flask-Migrate's commands for developers writing migrations (``alembic --help``)."""
    use_migrations(current_app._get_current_object())
    from flask_migrate.cli import db as commands

    commands.main(args=ctx.args, prog_name=ctx.command_path, obj=ctx.obj, standalone_mode=False)


def is_initialised() -> bool:
    """True when the database already holds the fagkonferanse schema."""
    return inspect(db.engine).has_table("events")


def has_events() -> bool:
    from .events.models import Event

    return is_initialised() and db.session.scalar(db.select(db.func.count(Event.id))) > 0


def drop_everything() -> None:
    """Drop every table in the database, including plugin tables and Alembic's version table.

    Reflection finds tables no loaded model knows about, so ``init --reset`` starts clean on
    any database, not only SQLite.
    """
    db.session.remove()
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    metadata.drop_all(bind=db.engine)


def safe_database_url() -> str:
    """The configured database URL with any password hidden, for messages."""
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
