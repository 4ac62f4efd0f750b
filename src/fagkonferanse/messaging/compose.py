"""A message as one person reads it: their language, their name, their ticket and door code.

Organisers write plain text with a few fields in braces (``{navn}``, ``{billettlenke}``,
``{dørkode}``; English aliases ``{name}``, ``{ticket_link}``, ``{door_code}``). The text is
never a template: braces around anything else stay as written, and the form warns about them.
"""

from __future__ import annotations

import re

from flask import render_template
from flask_babel import gettext as _

from ..content import localized
from ..i18n import format_clock, format_day
from ..identity import absolute_url
from ..programme.services import programme_items
from ..registration.mail import ticket_url
from ..registration.models import CONFIRMED, Registration
from ..registration.tokens import grouped
from .models import REMINDER, Message, ReminderSettings

FIELDS = ("navn", "billettlenke", "dørkode")
ALIASES = {"name": "navn", "ticket_link": "billettlenke", "door_code": "dørkode"}
_FIELD = re.compile(r"\{([^{}\s]{1,40})\}")


def unknown_fields(text: str) -> list[str]:
    """The ``{…}`` in ``text`` that are not fields, in order (the form names them)."""
    return [name for name in _FIELD.findall(text or "") if name.casefold() not in FIELDS
            and name.casefold() not in ALIASES]


def fill_in(text: str, registration: Registration) -> str:
    """``text`` with the fields replaced by ``registration``'s values."""
    def value(match: re.Match) -> str:
        name = match.group(1).casefold()
        name = ALIASES.get(name, name)
        if name == "navn":
            return registration.name
        if name == "billettlenke":
            return ticket_url(registration)
        if name == "dørkode":
            if registration.status != CONFIRMED:
                return _("(du får koden når du har fått plass)")
            return grouped(registration.door_code)
        return match.group(0)
    return _FIELD.sub(value, text or "")


def wording(message: Message | ReminderSettings, language: str) -> tuple[str, str]:
    """The subject and body written for ``language``: the English ones for English readers when
    the organisers wrote them, the Norwegian ones otherwise."""
    if language == "en" and message.body_en.strip():
        return (message.subject_en.strip() or message.subject), message.body_en
    return message.subject, message.body


def compose_message(registration: Registration, message: Message, language: str) -> tuple[str, str]:
    """Subject and plain-text body of ``message`` for ``registration``; called in their locale."""
    event = registration.event
    subject, body = wording(message, language)
    if message.kind == REMINDER:
        subject, body = subject or default_reminder_subject(event), body or default_reminder_intro()
        items = [item for item in programme_items(event) if not item.cancelled]
        when = format_day(event.date)
        if items:
            when += ", " + _("registreringen åpner %(time)s", time=format_clock(items[0].start))
        programme = [f"{format_clock(item.start)}  {localized(item, 'title', language)}"
                     + (f" ({item.location.name})" if item.location else "") for item in items]
        text = render_template("messaging/mail/reminder.txt", registration=registration, event=event,
                               intro=fill_in(body, registration), ticket_url=ticket_url(registration),
                               when=when, programme=programme, stands_url=absolute_url("stands.stand_list"),
                               programme_url=absolute_url("programme.programme"))
    else:
        text = render_template("messaging/mail/message.txt", registration=registration, event=event,
                               body=fill_in(body, registration), ticket_url=ticket_url(registration))
    return fill_in(subject, registration), text


def default_reminder_subject(event) -> str:
    return _("Velkommen i morgen: %(title)s", title=event.title)


def default_reminder_intro() -> str:
    return _("Hei {navn},\n\nvelkommen i morgen! Her er det du trenger for dagen.")
