"""Seats and the waiting list: the rules as plain functions, and the SQL that applies them safely.

The rule is simple — a newcomer gets a seat while fewer than ``capacity`` are confirmed and
nobody waits, otherwise a place in the queue — but it must hold when hundreds press "Meld meg på"
in the same second, on several app servers, with every commit fsync'd.

**Seats are rows.** An event has a pool of :class:`~.models.Seat` rows: one per seat of the
capacity, plus one per person organisers confirmed beyond it. A confirmed registration holds
exactly one seat row, nobody else holds any, and the pool always has ``max(0, capacity − held)``
free rows (:func:`size_pool`). ``RegistrationSettings.confirmed_count`` counts the held rows.

**Newcomers share, rare operations are alone.** Two kinds of transaction:

* *Newcomers* (:func:`lock_registrations` with ``shared=True``: a first registration from the
  public form) take the event's lock in **shared** mode and a free seat with
  ``SELECT … FOR UPDATE SKIP LOCKED LIMIT 1`` (:func:`claim_seat`): concurrent newcomers take
  different rows and never wait for each other's commit.
* *Rare operations* (cancel, promote, restore, organiser overrides, capacity changes, import,
  deletion, a duplicate or a returning address) take it **exclusively**: they wait for every
  newcomer in flight, newcomers arriving meanwhile wait for them, and they run as the old single
  lock did (re-size the pool, promote the queue first come first served, then act).

On PostgreSQL the event's lock is a transaction-level advisory lock (``pg_advisory_xact_lock`` /
``…_shared`` on (``LOCK_SPACE``, event id)), held to commit or rollback; the exclusive mode also
takes the settings row ``FOR UPDATE``. Shared holders write nothing shared: no hot row. On SQLite
every writer is alone anyway (``BEGIN IMMEDIATE``, in turn, see below), so both modes are the
same and newcomers run the rare path too.

**The interleavings, and why nobody is overbooked or jumps the queue (PostgreSQL).**

1. *Two newcomers, one free seat.* Both run ``SKIP LOCKED``: one locks the row, the other skips
   it, finds none and joins the queue. It never waits for a seat row: waiting there (a plain
   ``FOR UPDATE``) would keep a lock on every taken row it re-checked, and waiters would queue
   on each other's commits in a chain, or deadlock (seen with 8 processes × 24 threads). A seat
   is written by one transaction at a time (its row lock), and only free rows are taken: no seat
   is held twice, and held seats never exceed the pool.
2. *Queue order.* A newcomer who gets a seat is stamped (``queued_at``) with the time before it
   looked; one who goes to the queue with the time after it found no seat. By (1) the loser
   looked after the winner locked the seat, so every seat-holder of the rush sorts before every
   queued person of it, and the queue is served in (``queued_at``, id) order.
3. *No newcomer takes a seat while someone waits.* Seats become free in rare operations (alone),
   which end by promoting the queue into them, and when a newcomer holding one rolls back. A
   duplicate address (4) retries alone, and a rare operation promotes before anything else, so
   the newcomer queued meanwhile gets that seat at once. A newcomer that finds someone waiting
   queues behind them — or, should a free seat that nobody in flight is taking exist too (a
   holder that failed otherwise), redoes itself as a rare operation, which promotes first: the next registration heals it, as
   does any cancellation or settings change.
4. *One registration per address.* The unique (event, email) index decides between two newcomers
   with one address: the second insert waits for the first and fails on its commit; that
   transaction rolls back (its seat with it) and retries as a rare operation, which promotes the
   queue into that seat if someone joined it meanwhile (3), finds the registration and answers
   "duplicate". A cancelled address starting over is a rare
   operation from the start.
5. *Capacity changes, cancellations, overrides* are rare operations: raising the capacity adds
   free rows and promotes the queue into them (first come, first served); lowering removes free
   rows only (nobody is demoted); a cancellation deletes its seat row, re-sizes the pool (so a
   seat freed while organisers' extra seats are held beyond the capacity does not reappear) and
   promotes in the same transaction; an override adds a held row beyond the pool.
6. *A newcomer against a rare operation.* The exclusive lock waits for shared holders and the
   other way round, so a newcomer sees the pool either before or after the whole rare
   operation, never half of it.
"""

from __future__ import annotations

import fcntl
import os
import threading

from sqlalchemy import delete, event, func, insert, select, text, update
from sqlalchemy.orm import Session

from ..extensions import db
from .models import CONFIRMED, WAITING, Registration, RegistrationSettings, Seat

# How long a request waits for the SQLite write lock before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000
# The first key of the events' advisory locks on PostgreSQL (the second is the event id).
LOCK_SPACE = 0x5EA7


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


def lock_registrations(event_id: int, *, shared: bool = False) -> RegistrationSettings:
    """Start the serialised part of a transaction for ``event_id`` and return its settings row.

    Call it before reading anything the decision depends on (seats, duplicates, queue). The lock
    is held until the session commits or rolls back, so callers commit promptly and send mail
    afterwards. ``shared`` is for newcomers only (see the module docstring): they may take a free
    seat with :func:`claim_seat` and nothing else.
    """
    connection = db.session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        raw = connection.connection.dbapi_connection
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if not raw.in_transaction:
            _take_turn(db.session, connection.engine.url.database)
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        # Already inside a write transaction: it holds SQLite's write lock since its first write.
    elif dialect == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        connection.execute(text(f"SELECT {function}(:space, :event)"), {"space": LOCK_SPACE, "event": event_id})
    query = (db.select(RegistrationSettings).where(RegistrationSettings.event_id == event_id)
             .execution_options(populate_existing=True))
    settings = db.session.scalar(query if shared else query.with_for_update(of=RegistrationSettings))
    if settings is None:
        raise LookupError(f"event {event_id} has no registration settings")
    return settings


def shares_the_lock() -> bool:
    """True where newcomers can run side by side (PostgreSQL); SQLite has one writer anyway."""
    return db.session.connection().dialect.name == "postgresql"


def free_seat(event_id: int) -> int | None:
    """Lock a free seat row and return its id (None when none is free). Under the lock (any mode);
    give it away with :func:`occupy` in the same transaction.

    ``SKIP LOCKED``: concurrent newcomers take different rows and never wait for each other; a
    seat another transaction holds uncommitted counts as taken (see the module docstring, 1 and 3).
    """
    free = select(Seat.id).where(Seat.event_id == event_id, Seat.registration_id.is_(None)).limit(1)
    return db.session.scalar(free.with_for_update(skip_locked=True))


def occupy(seat_id: int, registration_id: int) -> None:
    db.session.execute(update(Seat).where(Seat.id == seat_id).values(registration_id=registration_id)
                       .execution_options(synchronize_session=False))


def claim_seat(event_id: int, registration_id: int) -> bool:
    """Give ``registration_id`` a free seat; False when none is free. Under the lock (any mode)."""
    seat = free_seat(event_id)
    if seat is None:
        return False
    occupy(seat, registration_id)
    return True


def take_seat_anyway(event_id: int, registration_id: int) -> None:
    """A seat even beyond the capacity: an organiser's decision (walk-in, override). Exclusive lock.

    A free seat if there is one, else an extra row beyond the pool; none more for a registration
    that holds one already (a status set by hand, not through these functions).
    """
    if holds_seat(registration_id):
        return
    if not claim_seat(event_id, registration_id):
        db.session.execute(insert(Seat).values(event_id=event_id, registration_id=registration_id))


def holds_seat(registration_id: int) -> bool:
    """True when the registration holds a seat row (only confirmed ones should; a status set by
    hand, as some tests do, can leave a waiting person holding one)."""
    return db.session.scalar(select(Seat.id).where(Seat.registration_id == registration_id)) is not None


def release_seat(registration_id: int) -> None:
    """Give a seat back (cancellation, deletion). Under the exclusive lock; call
    :func:`size_pool` (or :func:`fill`-ing code that does) before the commit."""
    db.session.execute(delete(Seat).where(Seat.registration_id == registration_id)
                       .execution_options(synchronize_session=False))


def size_pool(event_id: int, capacity: int | None = None, connection=None) -> int:
    """Make the event's free seats ``max(0, capacity − held)``; returns how many are free.

    Under the exclusive lock (or while nobody registers: a new event, a migration).
    """
    run = (connection or db.session).execute
    if capacity is None:
        capacity = run(select(RegistrationSettings.capacity).where(RegistrationSettings.event_id == event_id)).scalar()
    # One counting query: a registration reads this on SQLite (there every newcomer is alone).
    held, total = run(select(func.count(Seat.registration_id), func.count(Seat.id))
                      .where(Seat.event_id == event_id)).one()
    free, wanted = total - held, free_seats(held, capacity or 0)
    if free < wanted:
        run(insert(Seat), [{"event_id": event_id, "registration_id": None}] * (wanted - free))
    elif free > wanted:
        surplus = run(select(Seat.id).where(Seat.event_id == event_id, Seat.registration_id.is_(None))
                      .order_by(Seat.id.desc()).limit(free - wanted)).scalars().all()
        run(delete(Seat).where(Seat.id.in_(surplus)).execution_options(synchronize_session=False))
    return wanted


def free_seat_count(event_id: int) -> int:
    """How many seat rows nobody holds (the pool, as :func:`size_pool` last left it)."""
    return db.session.scalar(select(func.count(Seat.id)).where(Seat.event_id == event_id,
                                                               Seat.registration_id.is_(None)))


def seat_count(event_id: int) -> tuple[int, int]:
    """``(confirmed, capacity)`` as the database holds them now (confirmed = held seats)."""
    held = db.session.scalar(select(func.count(Seat.id)).where(Seat.event_id == event_id,
                                                               Seat.registration_id.is_not(None)))
    seats = db.session.scalar(select(RegistrationSettings.capacity).where(RegistrationSettings.event_id == event_id))
    return held, seats


def someone_waits(event_id: int) -> bool:
    """True when the event's waiting list is not empty (as committed, or written by this transaction)."""
    return db.session.scalar(select(Registration.id).where(Registration.event_id == event_id,
                                                           Registration.status == WAITING).limit(1)) is not None


def seat_left_free(event_id: int) -> bool:
    """True when a free seat row is there that no transaction in flight is taking (``SKIP
    LOCKED``; it stays locked until the caller rolls back). With someone waiting, such a seat came
    free without its promotion (the module docstring, 3). A seat a newcomer in flight holds does
    not count: counting it sent every newcomer of a rush alone once the first one queued."""
    return free_seat(event_id) is not None


@event.listens_for(Session, "after_flush")
def _size_pools_of_new_settings(session: Session, context) -> None:
    """A new event's settings get their pool, and a capacity set through the ORM re-sizes it
    (organisers do that in :func:`.services.save_settings`, under the exclusive lock)."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, RegistrationSettings) and (obj in session.new or _capacity_changed(obj)):
            size_pool(obj.event_id, obj.capacity, session.connection())


def _capacity_changed(settings: RegistrationSettings) -> bool:
    from sqlalchemy import inspect
    return inspect(settings).attrs.capacity.history.has_changes()


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
