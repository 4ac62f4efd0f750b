"""Where test databases live: SQLite files (default) or a PostgreSQL server.

Set ``FAGKONFERANSE_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5433/postgres``)
to run the suite on PostgreSQL: the conference is migrated and loaded once into a template
database per test worker, and every test gets its own copy (``CREATE DATABASE … TEMPLATE``), the
same isolation the SQLite file copies give.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

POSTGRES_URL = os.environ.get("FAGKONFERANSE_TEST_POSTGRES_URL", "")
SQLITE_FILE = "fagkonferanse.db"


def using_postgres() -> bool:
    return bool(POSTGRES_URL)


def _admin_engine():
    # NullPool: each connection closes when released, none is left for the garbage collector.
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _database_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _point_instance_at(instance: Path, url: str) -> None:
    (instance / "config.toml").write_text(f'database_url = "{url}"\n', encoding="utf-8")


def new_database(instance: Path, template: Path | None = None) -> None:
    """Give ``instance`` its own database, copied from ``template``'s when given."""
    instance.mkdir(parents=True, exist_ok=True)
    if not using_postgres():
        if template is not None:
            shutil.copy(template / SQLITE_FILE, instance / SQLITE_FILE)
        return
    name = "fk_" + uuid.uuid4().hex[:16]
    source = f" TEMPLATE {_template_name(template)}" if template is not None else ""
    with _admin_engine().connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}{source}"))
    _point_instance_at(instance, _database_url(name))
    (instance / ".database-name").write_text(name)


def drop_database(instance: Path) -> None:
    """Remove a PostgreSQL test database (SQLite files go with the temporary folder)."""
    marker = instance / ".database-name"
    if not using_postgres() or not marker.is_file():
        return
    with _admin_engine().connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {marker.read_text().strip()} WITH (FORCE)"))


def _template_name(template: Path) -> str:
    return (template / ".database-name").read_text().strip()
