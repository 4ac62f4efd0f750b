"""Backups of the conference database: SQLite's online backup, or pg_dump on PostgreSQL.

Both work while the site is serving: SQLite's backup API copies a consistent snapshot page by
page, and pg_dump reads one transaction's snapshot. A backup holds every attendee's personal
data, so it is written readable by this user only, and old ones can be pruned: a person who
deletes their data stays in each backup made before, until that backup is gone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from .private_files import create_private_file, make_private, private_folder


# What the backup command names its files: SQLite copies and pg_dump archives.
BACKUP_SUFFIXES = (".db", ".dump")


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def backup(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the database to ``target`` (a file)."""
    url = make_url(database_url)
    target = Path(target)
    private_folder(target.parent)
    partial = target.with_name(target.name + ".part")
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial)
        elif url.get_backend_name() == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial), *_pg_args(url)], url)
            make_private(partial)
        else:
            raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def prune_backups(folder: Path, prefix: str, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups named ``<prefix>-<time>.*`` in ``folder``.

    Names carry the time as ``YYYYmmdd-HHMMSS``, so name order is age order, whatever the files'
    modification times say after a copy. Returns the deleted files, oldest first.
    """
    if keep < 1:
        raise BackupError("--keep must be at least 1: the backup just made is always kept")
    backups = sorted(path for path in Path(folder).glob(f"{prefix}-*") if path.is_file()
                     and path.suffix in BACKUP_SUFFIXES)
    old = backups[:-keep]
    for path in old:
        path.unlink()
    return old


def check_restorable(database_url: str, source: Path) -> None:
    """Refuse, before anything is touched, a file that cannot be restored into this database."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    backend = make_url(database_url).get_backend_name()
    if backend == "sqlite":
        _check_sqlite_file(source)
    elif backend == "postgresql":
        with source.open("rb") as stream:
            if stream.read(5) != b"PGDMP":
                raise BackupError(f"{source} is not a pg_dump backup")


def restore(database_url: str, source: Path) -> None:
    """Replace the database's content with the backup in ``source``."""
    url = make_url(database_url)
    source = Path(source)
    check_restorable(database_url, source)
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(source, _sqlite_path(url))
    elif url.get_backend_name() == "postgresql":
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *_pg_args(url, flag="--dbname"), str(source)], url)
    else:
        raise BackupError(f"restoring {url.get_backend_name()} databases is not supported")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(url.database)


def _check_sqlite_file(path: Path) -> None:
    with path.open("rb") as stream:
        if stream.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path} is not an SQLite backup")


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    create_private_file(target)  # before SQLite makes it (and its journal) with the umask
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def _pg_args(url: URL, flag: str = "--dbname") -> list[str]:
    """Connection arguments without the password (it goes through PGPASSWORD)."""
    plain = url.set(drivername="postgresql", password=None)
    return [f"{flag}={plain.render_as_string(hide_password=False)}"]


def _run(command: list[str], url: URL) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client)")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # umask: pg_dump creates its archive readable by this user only.
    result = subprocess.run(command, env=env, capture_output=True, text=True, umask=0o077)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode}")
