"""What the gunicorn master does before it forks its workers (fagkonferanse/production.py)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.pool import QueuePool

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.production import release_connections, warm_up

from ..conftest import make_app


def test_the_master_keeps_no_database_connection_for_its_workers_to_inherit(instance):
    """A connection open at the fork is shared by master and workers: a worker rolling it back as it
    exits (the serve command's own session, left open) waited on PostgreSQL until gunicorn killed
    it. So every connection is closed first — the command's session included."""
    app = make_app(instance, SQLALCHEMY_ENGINE_OPTIONS={"poolclass": QueuePool})
    with app.app_context():  # as the serve command runs
        assert current_event() is not None  # the command's session now holds a connection
        commands = db.session.connection().connection.dbapi_connection
        warm_up(app)  # and the page cache has one of its own
        cache = app.extensions["fagkonferanse.pagecache.version"].connection.connection.dbapi_connection
        assert not is_closed(commands) and not is_closed(cache)
        release_connections(app)
        assert is_closed(commands) and is_closed(cache)


def is_closed(dbapi_connection) -> bool:
    """psycopg says so; sqlite3 refuses to make a cursor."""
    if hasattr(dbapi_connection, "closed"):
        return bool(dbapi_connection.closed)
    try:
        dbapi_connection.cursor()
    except sqlite3.ProgrammingError:
        return True
    return False
