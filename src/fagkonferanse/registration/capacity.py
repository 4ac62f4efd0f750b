"""Seats and the waiting list: the rules as plain functions, and the SQL that applies them safely.

The rule is simple — a newcomer gets a seat while fewer than ``capacity`` are confirmed,
otherwise a place in the queue — but it must hold when hundreds press "Meld meg på" in the same
second. So every transaction that changes a status first takes the event's registration lock
(:func:`lock_registrations`), and a seat is claimed with one conditional ``UPDATE`` on the event's
counter row (:func:`claim_seat`)::

    UPDATE registration_settings SET confirmed_count = confirmed_count + 1
     WHERE event_id = :event AND confirmed_count < capacity

On SQLite the lock is ``BEGIN IMMEDIATE`` (one writer at a time, others wait); on PostgreSQL it is
``SELECT … FOR UPDATE`` on the counter row, and the conditional ``UPDATE`` re-checks its ``WHERE``
after waiting for a concurrent one, so the counter never passes the capacity on either.
"""

from __future__ import annotations

import fcntl
import os
import threading

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from ..extensions import db
from .models import CONFIRMED, WAITING, RegistrationSettings

# How long a request waits for the SQLite write lock before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000


# --- The rules --------------------------------------------------------------------------------


def has_free_seat(confirmed: int, capacity: int) -> bool:
    """True while fewer than ``capacity`` are confirmed (the SQL ``WHERE`` says the same)."""
    return confirmed < capacity


def status_for_newcomer(confirmed: int, capacity: int, waiting_list: bool) -> str | None:
    """``"confirmed"``, ``"waiting"``, or None when the event is full and has no waiting list."""
    if has_free_seat(confirmed, capacity):
        return CONFIRMED
    return WAITING if waiting_list else None


def seats_to_fill(confirmed: int, capacity: int, waiting: int) -> int:
    """How many people to promote from the waiting list now (after a cancellation, or when the
    organisers raise the capacity). Lowering the capacity below ``confirmed`` demotes nobody."""
    return max(0, min(capacity - confirmed, waiting))


def free_seats(confirmed: int, capacity: int) -> int:
    """Seats left (never negative, even when organisers confirmed beyond the capacity)."""
    return max(0, capacity - confirmed)


# --- Applying them in the database ------------------------------------------------------------


def lock_registrations(event_id: int) -> RegistrationSettings:
    """Start the serialised part of a transaction for ``event_id`` and return its settings row.

    Call it before reading anything the decision depends on (counter, duplicates, queue). The
    lock is held until the session commits or rolls back, so callers commit promptly and send
    mail afterwards.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.dbapi_connection
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if not raw.in_transaction:
            _take_turn(db.session, connection.engine.url.database)
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        # Already inside a write transaction: it holds SQLite's write lock since its first write.
    settings = db.session.scalar(
        db.select(RegistrationSettings)
        .where(RegistrationSettings.event_id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if settings is None:
        raise LookupError(f"event {event_id} has no registration settings")
    return settings


def claim_seat(event_id: int) -> bool:
    """Take a seat if one is free; False when the event is full. Call under the lock."""
    result = db.session.execute(
        update(RegistrationSettings)
        .where(RegistrationSettings.event_id == event_id,
               RegistrationSettings.confirmed_count < RegistrationSettings.capacity)
        .values(confirmed_count=RegistrationSettings.confirmed_count + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def take_seat_anyway(event_id: int) -> None:
    """Count a seat even beyond the capacity: an organiser's decision (walk-in, override)."""
    db.session.execute(
        update(RegistrationSettings).where(RegistrationSettings.event_id == event_id)
        .values(confirmed_count=RegistrationSettings.confirmed_count + 1)
        .execution_options(synchronize_session=False)
    )


def release_seat(event_id: int) -> None:
    """Give a seat back (cancellation, deletion). Call under the lock."""
    db.session.execute(
        update(RegistrationSettings)
        .where(RegistrationSettings.event_id == event_id, RegistrationSettings.confirmed_count > 0)
        .values(confirmed_count=RegistrationSettings.confirmed_count - 1)
        .execution_options(synchronize_session=False)
    )


def seat_count(event_id: int) -> tuple[int, int]:
    """``(confirmed, capacity)`` as the database holds them now."""
    row = db.session.execute(
        db.select(RegistrationSettings.confirmed_count, RegistrationSettings.capacity)
        .where(RegistrationSettings.event_id == event_id)
    ).one()
    return row[0], row[1]


# --- Taking turns on SQLite -------------------------------------------------------------------
#
# SQLite lets a waiting writer poll: it sleeps 1, 2, 5 … up to 100 ms between tries, so under a
# burst the lock often stands free while every waiter sleeps, and a few unlucky ones wait for
# seconds. Registrations therefore queue for their turn first — a thread lock within the worker,
# then an flock(2) on a file beside the database across workers — which the kernel hands to the
# next waiter the moment it is released. The turn ends with the transaction (commit or rollback).

_TURN_KEY = "fagkonferanse.registration_turn"
_turns: dict[str, _Turn] = {}
_turns_lock = threading.Lock()


class _Turn:
    """One queue per database file: a thread lock, then an exclusive flock on ``<db>.turn``."""

    def __init__(self, path: str):
        self.path = path
        self.thread_lock = threading.Lock()
        self.fd: int | None = None
        self.pid: int | None = None  # the descriptor belongs to one process (gunicorn forks)

    def acquire(self) -> None:
        if not self.thread_lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise TimeoutError("registrations are queued for longer than the database's busy timeout")
        try:
            if self.pid != os.getpid():
                self.fd, self.pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            self.thread_lock.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.thread_lock.release()


def _take_turn(session: Session, database: str | None) -> None:
    if not database or database == ":memory:" or _TURN_KEY in session.info:
        return
    with _turns_lock:
        turn = _turns.setdefault(database, _Turn(database + ".turn"))
    turn.acquire()
    session.info[_TURN_KEY] = turn


@event.listens_for(Session, "after_transaction_end")
def _end_turn(session: Session, transaction) -> None:
    if transaction.parent is None and _TURN_KEY in session.info:
        session.info.pop(_TURN_KEY).release()
