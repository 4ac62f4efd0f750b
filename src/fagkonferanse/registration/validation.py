"""Cleaning what people type, shared by the web form, the desk and the CSV import.

Text is kept exactly as typed — Øyvind, Марія and 李 stay as they are — except surrounding
whitespace. Control characters are refused (a NUL byte would break PostgreSQL, a line break
would break a mail header); line breaks are allowed in the longer free-text fields only.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class InvalidValue(ValueError):
    """A value that cannot be stored; the message says why, in the user's language."""


def clean_text(value: object, max_length: int, *, multiline: bool = False, required: bool = False) -> str:
    """Stripped text of at most ``max_length`` characters without control characters."""
    text = "" if value is None else str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    if required and not text:
        raise InvalidValue(_("Må fylles ut."))
    pattern = _CONTROL if multiline else _CONTROL_OR_NEWLINE
    if pattern.search(text):
        raise InvalidValue(_("Inneholder tegn som ikke kan brukes (kontrolltegn)."))
    if len(text) > max_length:
        raise InvalidValue(_("Kan ikke være lengre enn %(max)s tegn.", max=max_length))
    return text


def clean_email(value: object) -> str:
    """A syntactically valid e-mail address, lower-cased (no DNS look-up: it must work offline)."""
    # Imported here, not at the top: ~25 ms that every command would pay at start-up.
    from email_validator import EmailNotValidError, validate_email

    text = clean_text(value, 254, required=True)
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidValue(_("Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.")) from None
    return result.normalized.lower()


def clean_name(value: object) -> str:
    """A person's name: required, one line, at most 200 characters, any script."""
    return clean_text(value, 200, required=True)
