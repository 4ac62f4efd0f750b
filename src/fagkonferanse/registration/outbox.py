"""The mail outbox: a message is a row committed with the change that causes it, sent afterwards.

Composing a message costs a few milliseconds of CPU and sending it an SMTP round trip (or a 10 s
timeout), and a process killed between a registration's commit and its mail would lose the mail
although the seat is taken. So the services only *queue* mail (:func:`queue_mail`) in the same
transaction as the change — both are committed or neither is — and :func:`deliver_pending`
composes and sends it later, deleting each row once sent.

Delivery is a task of the job engine (:mod:`fagkonferanse.jobs`): :func:`mail_committed`
enqueues :func:`deliver_mail` for the rows just committed, which runs at once in commands and
tests (the ``.eml`` is there when the request returns) and in the worker process under ``serve``.
Each minute the worker's sweep (:func:`deliver_due_mail`) sends whatever is due: retries after an
SMTP failure, and rows whose task was lost with a crash.

Delivery is *at least once*: a message whose process dies after sending it and before deleting
its row is sent again by the next delivery round.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask, current_app, has_app_context
from sqlalchemy import ForeignKey, String, Text, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import jobs
from ..clock import utcnow
from ..extensions import db
from . import mail
from .models import CANCELLED, Registration

log = logging.getLogger(__name__)

# An SMTP failure is retried after 30 s, 1, 2, 4 … minutes; after this many attempts the message is
# written to the outbox folder instead (nothing is lost: an organiser can send the file later).
MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 3600

# Rows from earlier rounds (a crash, a retry that is due) an inline delivery also takes: bounded,
# so one request never pays for a long backlog.
LEFTOVERS_PER_REQUEST = 5

# The sweep's round: at most this many messages, then it looks again.
ROUND_SIZE = 50


class OutgoingMail(db.Model):
    """One message to send: which registration, which kind. Composed only when it is sent, so
    it always shows the person's current details and status.

    The row is deleted with the registration (``ON DELETE CASCADE``): deleting a person's data
    deletes their unsent mail.
    """

    __tablename__ = "outgoing_mail"
    __cache_neutral__ = True  # mail appears on no public page (see pagecache)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of mail.KINDS or a plugin's
    # A message organisers wrote to a group (messaging): its text, and its counts of what went out.
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    # Due from this time; a deliverer at work on the row moves it ahead (claim_seconds()).
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)

    registration: Mapped[Registration] = relationship()


# --- Queueing -----------------------------------------------------------------------------------

_QUEUED = "fagkonferanse.queued_mail"  # session.info: the rows this session added, for mail_committed()


def queue_mail(registration: Registration, kind: str) -> OutgoingMail | None:
    """Add ``kind`` mail for ``registration`` to the current transaction (None: no address).

    Call it before the commit of the change that causes the mail, and :func:`mail_committed`
    after that commit.
    """
    mail.check_kind(kind)
    if not registration.email:
        return None  # a walk-in without an address
    now = utcnow()
    outgoing = OutgoingMail(registration=registration, kind=kind, created_at=now, next_attempt_at=now)
    db.session.add(outgoing)
    db.session.info.setdefault(_QUEUED, []).append(outgoing)
    return outgoing


def mail_committed() -> None:
    """After a commit: hand the mail this session queued to the job engine."""
    queued = db.session.info.pop(_QUEUED, [])
    # A rolled-back row is transient again; only committed rows have an identity.
    ids = [state.identity[0] for state in map(inspect, queued) if state.persistent]
    if ids:
        jobs.enqueue(deliver_mail, ids)


@jobs.task
def deliver_mail(ids: list[int]) -> None:
    """Send the messages ``ids``, and a few due from earlier. Run at once (no worker), an SMTP
    failure writes the message to the outbox folder, as nobody will retry it; in a worker it is
    retried by the sweep."""
    app = current_app._get_current_object()
    keep_for_retry = not jobs.is_immediate(app)
    # Run at once, this is the caller's session, whose objects must stay loaded as composing left
    # them: callers read the registration after this (and tests after closing the session).
    session = db.session()
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        deliver_pending(app, ids=ids, keep_for_retry=keep_for_retry)
        deliver_pending(app, limit=LEFTOVERS_PER_REQUEST, keep_for_retry=keep_for_retry)
    finally:
        session.expire_on_commit = expire_on_commit


@jobs.every_minute
def deliver_due_mail() -> int:
    """The worker's sweep: everything due, round after round; how many were sent."""
    app = current_app._get_current_object()
    sent = 0
    while (this_round := deliver_pending(app)):
        sent += this_round
    return sent


# --- Delivering ---------------------------------------------------------------------------------


def claim_seconds(app: Flask) -> float:
    """How long a row being sent is left alone by other deliverers: well beyond an SMTP session's
    timeouts, so that only a deliverer that died gives its rows to the next one."""
    return 5 * float(app.config.get("MAIL_TIMEOUT") or 10)


def deliver_pending(app: Flask, limit: int = ROUND_SIZE, *, ids: list[int] | None = None,
                    keep_for_retry: bool = True) -> int:
    """Send due mail, oldest first (only ``ids`` if given); returns how many were sent.

    Each row is claimed in its own small transaction (so two deliverers never send the same row
    at once), composed with :func:`mail.compose`, sent with :func:`mail.send` and then deleted.
    On an error the row stays with ``attempts``, ``last_error`` and a later ``next_attempt_at``.
    An SMTP failure is retried later while ``keep_for_retry`` and attempts remain; otherwise the
    message goes to the outbox folder. At least once: a crash between sending and deleting sends
    the message again on the next round.

    Runs in the current session when ``app``'s context is active (call it after a commit: it
    commits), otherwise in a context and session of its own.
    """
    if has_app_context() and current_app._get_current_object() is app:
        return _deliver_due(app, limit, ids, keep_for_retry)
    with app.app_context():
        try:
            return _deliver_due(app, limit, ids, keep_for_retry)
        finally:
            db.session.remove()


def _deliver_due(app: Flask, limit: int, ids: list[int] | None, keep_for_retry: bool) -> int:
    query = db.select(OutgoingMail.id).where(OutgoingMail.next_attempt_at <= utcnow())
    if ids is not None:
        query = query.where(OutgoingMail.id.in_(ids))
    due = db.session.scalars(query.order_by(OutgoingMail.created_at, OutgoingMail.id).limit(limit)).all()
    db.session.commit()  # SQLite: end the read, so each claim starts as a write
    return sum(_deliver_one(app, mail_id, keep_for_retry) for mail_id in due)


def _deliver_one(app: Flask, mail_id: int, keep_for_retry: bool) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        db.update(OutgoingMail).where(OutgoingMail.id == mail_id, OutgoingMail.next_attempt_at <= now)
        .values(next_attempt_at=now + dt.timedelta(seconds=claim_seconds(app)))
        .execution_options(synchronize_session=False))
    db.session.commit()
    if claimed.rowcount != 1:
        return False  # another deliverer has it, or the person was deleted
    outgoing = db.session.get(OutgoingMail, mail_id)
    if outgoing is None:
        return False
    group_message_id = outgoing.message_id
    if group_message_id is not None and outgoing.registration.status == CANCELLED:
        # Written to a group they have since left: they are not written to (the message's page
        # counts them as not sent).
        db.session.delete(outgoing)
        db.session.commit()
        return False
    try:
        message = mail.compose(outgoing.registration, outgoing.kind, message_id=group_message_id)
        db.session.commit()  # end the reads before the send (SQLite: the delete starts as a write)
        last_try = not keep_for_retry or outgoing.attempts + 1 >= MAX_ATTEMPTS
        kept_in_folder = mail.send(message, fall_back=last_try)
    except Exception as error:  # any failure: keep the row, try again later
        db.session.rollback()
        _failed(mail_id, error)
        return False
    db.session.execute(db.delete(OutgoingMail).where(OutgoingMail.id == mail_id))
    if group_message_id is not None:
        from ..messaging.services import count_delivery

        # Without SMTP the folder is where mail goes; with SMTP, the folder means SMTP gave up.
        count_delivery(group_message_id, failed=kept_in_folder is not None and bool(app.config.get("MAIL_SERVER")))
    db.session.commit()
    return True


def _failed(mail_id: int, error: Exception) -> None:
    outgoing = db.session.get(OutgoingMail, mail_id)
    if outgoing is None:
        return
    outgoing.attempts += 1
    delay = min(FIRST_RETRY_SECONDS * 2 ** (outgoing.attempts - 1), LONGEST_RETRY_SECONDS)
    outgoing.next_attempt_at = utcnow() + dt.timedelta(seconds=delay)
    outgoing.last_error = f"{type(error).__name__}: {error}"[:1000]
    log.warning("mail #%s (%s) not sent, attempt %s, next in %s s: %s", mail_id, outgoing.kind,
                outgoing.attempts, delay, outgoing.last_error)
    db.session.commit()


def retry_now() -> int:
    """Make mail that failed and waits for its next attempt due now (``mail deliver --retry-now``)."""
    now = utcnow()
    result = db.session.execute(
        db.update(OutgoingMail).where(OutgoingMail.attempts > 0, OutgoingMail.next_attempt_at > now)
        .values(next_attempt_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def pending(limit: int | None = None) -> list[OutgoingMail]:
    """Unsent mail, oldest first (for ``mail pending`` and the dashboard)."""
    query = db.select(OutgoingMail).order_by(OutgoingMail.created_at, OutgoingMail.id)
    return list(db.session.scalars(query.limit(limit) if limit else query))


def pending_count() -> int:
    """How many messages wait (queued, being sent, or failed and waiting for a retry)."""
    return db.session.scalar(db.select(db.func.count(OutgoingMail.id)))
