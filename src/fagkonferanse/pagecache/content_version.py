"""The content version: one number, raised once by every commit that changes what public pages show.

Every mapped class says in its own body whether its rows can change a public page:
``__cache_neutral__ = True`` for those that never do (registrations, visits, the audit log …, so
the lunch-hour stream of them does not empty the cache), ``False`` for the rest; a test walks
every model of the core and the plugins and fails for a class that does not say. A class that
says nothing counts as changing pages.

A class whose rows pages show but which also holds a busy column that no page shows adds
``__cache_neutral_columns__``: the attribute names whose changes alone do not count. The
registration settings are the example: the home page says whether registration is open (so a
change of the opening or closing time must refresh it), but the seat counter in the same row
moves with every registration, and the lunch-hour rush must not empty the cache.

The rule is structural, per transaction: any change of a non-neutral class — an object added,
changed or deleted and flushed, or an INSERT, UPDATE or DELETE statement aimed at its class
(ORM-enabled and bulk statements, which bypass the flush) — notes "content changed" on the
session; just before the outermost transaction commits, the version is raised once if that note
is there or unflushed changes of such a class wait for the final flush. The note is forgotten when
the outermost transaction ends. A note made inside a savepoint that was rolled back stays: a spare
raise only costs one render per page, a missing one would leave pages stale.

Outside the rule: SQL sent as text (``text("UPDATE …")``, ``exec_driver_sql``) and statements on
another connection than the session's. Code that changes public content that way must call
:func:`note_content_changed` in the same session before committing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable

from sqlalchemy import Integer, event, inspect, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from ..extensions import db

CHANGED = "fagkonferanse.pagecache.content_changed"  # the note in session.info


class SiteState(db.Model):
    """One row: the version of everything public pages show."""

    __tablename__ = "site_state"
    __cache_neutral__ = True  # raising the version is not itself a change to raise it for

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_version: Mapped[int] = mapped_column(default=1)


def changes_public_pages(model: type, changed: Iterable[str] | None = None) -> bool:
    """Whether rows of ``model`` can change a public page (unless it says otherwise, they can).

    ``changed`` names the attributes a change touched, when known: a change of only the class's
    ``__cache_neutral_columns__`` does not count.
    """
    if getattr(model, "__cache_neutral__", False):
        return False
    neutral = getattr(model, "__cache_neutral_columns__", ())
    if not neutral or changed is None:
        return True
    return not set(changed) <= set(neutral)


def note_content_changed(session: Session) -> None:
    """Make the session's next commit raise the content version."""
    session.info[CHANGED] = True


def bump_version(session: Session) -> None:
    """Raise the content version inside the session's current transaction."""
    session.execute(update(SiteState).where(SiteState.id == 1)
                    .values(content_version=SiteState.content_version + 1))


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, flush_context) -> None:
    if CHANGED not in session.info and _holds_content_changes(session):
        note_content_changed(session)


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state: ORMExecuteState) -> None:
    """INSERT, UPDATE and DELETE statements bypass the flush: look at the class they aim at.

    A statement on a bare table (no mapped class) counts as a change: its table may hold content.
    """
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is None or changes_public_pages(mapper.class_, _updated_attributes(state, mapper)):
        note_content_changed(state.session)


def _updated_attributes(state: ORMExecuteState, mapper) -> list[str] | None:
    """The attributes an UPDATE statement sets (``update(M).values(a=…)``), None when unknown.

    Read from the statement's SET clause (``_values``, which SQLAlchemy keeps for every
    ``.values()`` UPDATE; a test pins it): anything else — an INSERT, a DELETE, an UPDATE with a
    list of parameter sets — is unknown, so it counts as a change.
    """
    values = getattr(state.statement, "_values", None) if state.is_update else None
    if not values:
        return None
    names = {column.key: name for name, column in mapper.columns.items()}
    keys = [getattr(key, "key", key) for key in values]
    return [names.get(key, key) for key in keys]


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session: Session) -> None:
    """Raise the version once, in the transaction that commits the change.

    ``before_commit`` also runs when a savepoint is released; only the outermost commit counts
    (commit with ``Session.commit()``, as Flask-SQLAlchemy does: committing the outer
    ``SessionTransaction`` object itself while a savepoint is still open is not seen as one).
    It runs before the commit's own flush, so changes still waiting for it count too.
    """
    if session.in_nested_transaction():
        return
    if session.info.pop(CHANGED, False) or _holds_content_changes(session):
        bump_version(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_note(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(CHANGED, None)


def _holds_content_changes(session: Session) -> bool:
    """Objects of a non-neutral class added, deleted or really modified in the session."""
    if any(changes_public_pages(type(obj)) for obj in (*session.new, *session.deleted)):
        return True
    return any(_changes_pages(session, obj) for obj in session.dirty)


def _changes_pages(session: Session, obj) -> bool:
    """A loaded object really modified in something a page shows."""
    model = type(obj)
    if not changes_public_pages(model):
        return False
    if getattr(model, "__cache_neutral_columns__", ()):
        changed = [attribute.key for attribute in inspect(obj).attrs if attribute.history.has_changes()]
        if not changes_public_pages(model, changed):
            return False
    return session.is_modified(obj, include_collections=True)


# --- Reading it -------------------------------------------------------------------------------------

_VERSION = db.select(SiteState.content_version).where(SiteState.id == 1)


def current_version() -> int:
    """The content version as committed now; -1 for a database without the row (never cached)."""
    with db.engine.connect() as connection:
        version = connection.execute(_VERSION).scalar()
    return -1 if version is None else version


class VersionReader:
    """Reads the content version for the page cache on every request, as cheaply as possible.

    One connection per process in autocommit mode (so each read sees the latest commit, on
    PostgreSQL too), kept open and shared under a lock, with the SQL sent as text: the pool
    checkout and statement compilation of an ordinary query cost more than the read itself.
    A broken connection (database restarted) is replaced on the next request.
    """

    SQL = "SELECT content_version FROM site_state WHERE id = 1"

    def __init__(self, engine):
        self.engine = engine
        self.lock = threading.Lock()
        self.connection = None
        self.cursor = None
        self.pid: int | None = None  # a connection never crosses a fork

    def read(self) -> int:
        with self.lock:
            try:
                version = self._query()
            except Exception:  # the kept connection died (database restarted): one more try on a new one
                self._discard()
                version = self._query()
        return -1 if version is None else version

    def _query(self):
        if self.connection is None or self.pid != os.getpid():
            self.connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self.pid = os.getpid()
            self.cursor = None
        if self.cursor is None:
            # The driver's own cursor, kept: SQLAlchemy's execution context and result object
            # cost several times the read itself, on every request of the rush.
            self.cursor = self.connection.connection.dbapi_connection.cursor()
        self.cursor.execute(self.SQL)
        rows = self.cursor.fetchall()  # to the end: SQLite's read snapshot ends with the statement
        return rows[0][0] if rows else None

    def close(self) -> None:
        """Close the connection (before forking: a child must not share it)."""
        with self.lock:
            if self.connection is not None and self.pid == os.getpid():
                self.connection.close()
            self.connection = self.cursor = None

    def _discard(self) -> None:
        if self.connection is not None and self.pid == os.getpid():
            try:
                self.connection.invalidate()
            except Exception:  # already gone with the database
                pass
        self.connection = self.cursor = None
