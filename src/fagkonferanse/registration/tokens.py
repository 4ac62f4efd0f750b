"""The two secrets of a ticket, and reading a check-in code back from whatever a scanner typed.

* The **management secret** (``/ticket/<secret>``) is 24 random bytes, URL-safe base64: 192 bits.
* The **check-in code** (in the door QR code and on the badge) is 20 random bytes in lower-case
  base32: 160 bits, 32 characters of ``a–z`` and ``2–7``. Letters and digits only, because a
  USB barcode scanner "types" with the computer's keyboard layout: on a Norwegian layout a scanner
  set up for US English turns ``-`` into ``+`` and ``:`` into ``Ø``, but letters and digits come
  through unchanged. So a code is found at the end of a mangled URL too, and Caps Lock is
  harmless (codes are compared in lower case).

Both come from :mod:`secrets`, so they are never sequential and say nothing about the person.
"""

from __future__ import annotations

import base64
import re
import secrets

MANAGE_SECRET_BYTES = 24
CHECKIN_CODE_BYTES = 20
CHECKIN_CODE_LENGTH = 32  # base32 of 20 bytes, no padding
CHECKIN_PATH = "/c/"

_CODE_AT_END = re.compile(r"([a-z2-7]{%d})[^a-z0-9]*$" % CHECKIN_CODE_LENGTH)
_CODE = re.compile(r"[a-z2-7]{%d}" % CHECKIN_CODE_LENGTH)


def new_manage_secret() -> str:
    """A fresh secret for the attendee's ticket link."""
    return secrets.token_urlsafe(MANAGE_SECRET_BYTES)


def new_checkin_code() -> str:
    """A fresh code for the door: what the QR code and the badge carry."""
    return base64.b32encode(secrets.token_bytes(CHECKIN_CODE_BYTES)).decode("ascii").lower()


def new_passport_token() -> str:
    """A fresh token for the stand passport cookie (replaced when the passport is switched off)."""
    return secrets.token_urlsafe(16)


def is_checkin_code(text: str) -> bool:
    """Exactly a check-in code (lower case), nothing around it."""
    return bool(_CODE.fullmatch(text))


def code_from_scan(text: str) -> str | None:
    """The check-in code in what a scanner or a person typed, or None.

    Accepts the bare code or the whole check-in URL (``https://…/c/<code>``), with surrounding
    whitespace, any case, and a URL prefix mangled by a keyboard-layout mismatch.
    """
    cleaned = (text or "").strip().lower()
    if not cleaned or len(cleaned) > 500:
        return None
    match = _CODE_AT_END.search(cleaned)
    if match is None:
        return None
    start = match.start(1)
    if start and cleaned[start - 1].isalnum():
        return None  # part of a longer word, not a code
    return match.group(1)


def checkin_url(base_url: str, code: str) -> str:
    """The absolute address in the door QR code: ``BASE_URL/c/<code>`` (no personal data)."""
    return f"{base_url.rstrip('/')}{CHECKIN_PATH}{code}"
