"""Mail to attendees: through SMTP when ``MAIL_SERVER`` is set, otherwise into ``instance/outbox/``.

Every message is an :class:`email.message.EmailMessage`. Without SMTP (and whenever SMTP fails)
it is written as an ``.eml`` file, so nothing is lost: an organiser can open the files or send
them later, and the tests read them. Messages are queued with the change that causes them and
sent after its commit by :mod:`.outbox`, never while the registration lock is held.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import tempfile
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from uuid import uuid4

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..identity import absolute_url
from ..private_files import private_folder
from ..clock import utcnow
from ..extensions import db
from ..programme.models import ProgrammeItem
from ..plugin_types import MAIL_KIND_LENGTH, MailKind
from .models import CONFIRMED, WAITING, Registration

log = logging.getLogger(__name__)

# Python's header folding leaves a double space before a folded encoded word ("levekår"), which
# mail clients show; headers up to RFC 5322's hard limit are never folded.
POLICY = default_policy.clone(max_line_length=998)

# Which message goes out when; each has templates/registration/mail/<kind>.txt. Plugins add
# kinds of their own (the ``mail_kinds`` hook).
KINDS = ("confirmed", "waiting", "promoted", "cancelled", "resend", "address")
# Mail whose text organisers wrote (messaging): the outbox row names the message.
WRITTEN_KINDS = ("message", "reminder")


def plugin_mail_kinds() -> dict[str, MailKind]:
    """The kinds of mail plugins own, by name."""
    from ..app import plugin_manager

    kinds = {}
    for group in plugin_manager().hook.mail_kinds():
        for kind in group or ():
            if kind.name in KINDS + WRITTEN_KINDS or kind.name in kinds or len(kind.name) > MAIL_KIND_LENGTH:
                raise ValueError(f"mail kind {kind.name!r} is taken or longer than {MAIL_KIND_LENGTH} characters")
            kinds[kind.name] = kind
    return kinds


def check_kind(kind: str) -> None:
    """Raise ValueError unless ``kind`` is the core's or a plugin's."""
    if kind not in KINDS and kind not in WRITTEN_KINDS and kind not in plugin_mail_kinds():
        raise ValueError(f"unknown mail kind {kind!r}")


def outbox_dir() -> Path:
    """Where messages go without SMTP: ``MAIL_OUTBOX`` or ``<instance>/outbox``."""
    configured = current_app.config.get("MAIL_OUTBOX")
    return Path(configured) if configured else Path(current_app.instance_path) / "outbox"


def ticket_url(registration: Registration) -> str:
    """The attendee's personal ticket link (absolute, from ``BASE_URL``; works in CLI too)."""
    return absolute_url("registration.ticket", secret=registration.manage_secret)


def door_url(registration: Registration) -> str:
    """What the door QR code holds: ``BASE_URL/c/<check-in code>``."""
    return absolute_url("checkin.code_link", code=registration.checkin_code)


def mail_language(registration: Registration) -> str:
    """The language the person registered in, or the site's default if it no longer offers it."""
    if registration.language in current_app.config["LANGUAGES"]:
        return registration.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def compose(registration: Registration, kind: str, *, message_id: int | None = None) -> EmailMessage:
    """The message of ``kind`` for ``registration``, in the language they registered in
    (``message_id``: the organisers' message, for the kinds whose text they wrote)."""
    event = registration.event
    language = mail_language(registration)
    if kind in WRITTEN_KINDS:
        from ..messaging.compose import compose_message
        from ..messaging.models import Message

        written = db.session.get(Message, message_id) if message_id is not None else None
        if written is None:
            raise ValueError(f"{kind} mail without its message")
        with force_locale(language):
            subject, body = compose_message(registration, written, language)
        subject = " ".join(subject.split())  # written by a person: one header line
        return _message(registration, language, subject, body)
    if kind not in KINDS:
        plugin_kind = plugin_mail_kinds().get(kind)
        if plugin_kind is None:
            raise ValueError(f"unknown mail kind {kind!r}")
        with force_locale(language):
            subject = plugin_kind.subject(registration)
            extra = plugin_kind.context(registration) if plugin_kind.context else {}
            body = render_template(plugin_kind.template, registration=registration, event=event,
                                   ticket_url=ticket_url(registration), **extra)
        return _message(registration, language, subject, body)
    # Forced, not taken from the request: the mail may be caused by someone else (an organiser,
    # or another person's cancellation that promotes this one), whose page is in another language.
    with force_locale(language):
        subjects = {
            "confirmed": _("Du er påmeldt: %(title)s", title=event.title),
            "waiting": _("Du står på venteliste: %(title)s", title=event.title),
            "promoted": _("Du har fått plass: %(title)s", title=event.title),
            "cancelled": _("Avmelding registrert: %(title)s", title=event.title),
            "resend": _("Billettlenken din: %(title)s", title=event.title),
            "address": _("Ny e-postadresse på påmeldingen: %(title)s", title=event.title),
        }
        body = render_template(
            f"registration/mail/{kind}.txt",
            registration=registration,
            event=event,
            ticket_url=ticket_url(registration),
            doors_open=_doors_open(registration),
            position=_position(registration),
            is_confirmed=registration.status == CONFIRMED,
            is_waiting=registration.status == WAITING,
        )
    return _message(registration, language, subjects[kind], body)


def _message(registration: Registration, language: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = current_app.config.get("MAIL_FROM") or "fagkonferanse <noreply@localhost>"
    message["To"] = Address(display_name=registration.name, addr_spec=registration.email)
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(str(message["From"]))[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body, cte="quoted-printable")
    message["Content-Language"] = language  # after set_content, which clears every Content-* header
    return message


def send(message: EmailMessage, *, fall_back: bool = True) -> Path | None:
    """SMTP when configured, the outbox folder otherwise; returns the file if it went there.

    When SMTP fails the message goes to the outbox folder (logged, never lost), or with
    ``fall_back=False`` the error is raised, for a caller that keeps the message to retry later.
    """
    config = current_app.config
    if config.get("MAIL_SERVER"):
        try:
            _send_smtp(message, config)
            return None
        except (OSError, smtplib.SMTPException) as error:
            if not fall_back:
                raise
            log.warning("SMTP failed (%s); the message is kept in the outbox", error)
    return write_to_outbox(message)


def _send_smtp(message: EmailMessage, config) -> None:
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587)
    timeout = float(config.get("MAIL_TIMEOUT") or 10)
    if config.get("MAIL_USE_SSL"):
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def write_to_outbox(message: EmailMessage) -> Path:
    """Write ``message`` as ``<outbox>/<UTC time>-<random>.eml``, atomically."""
    folder = private_folder(outbox_dir())
    target = folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid4().hex[:12]}.eml"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(message.as_bytes())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def remove_outbox_messages(address: str | None) -> int:
    """Delete unsent messages to ``address`` (part of deleting a person's data)."""
    folder = outbox_dir()
    if not address or not folder.is_dir():
        return 0
    from email import message_from_binary_file

    removed = 0
    for path in folder.glob("*.eml"):
        with path.open("rb") as stream:
            parsed = message_from_binary_file(stream, policy=default_policy)
        if parseaddr(str(parsed.get("To", "")))[1].lower() == address.lower():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _doors_open(registration: Registration):
    """When the day starts (the first programme item), in the event's time."""
    return db.session.scalar(
        db.select(db.func.min(ProgrammeItem.start)).where(ProgrammeItem.event_id == registration.event_id)
    )


def _position(registration: Registration) -> int | None:
    from .services import waiting_position

    return waiting_position(registration) if registration.status == WAITING else None

