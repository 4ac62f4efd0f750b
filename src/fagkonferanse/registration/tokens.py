"""The secrets of a ticket, and reading a door code back from whatever a scanner or a person typed.

* The **management secret** (``/ticket/<secret>``) is 24 random bytes, URL-safe base64: 192 bits.
* The **check-in code** (in the door QR code and on the badge) is 20 random bytes in lower-case
  base32: 160 bits, 32 characters of ``a–z`` and ``2–7``. Letters and digits only, because a
  USB barcode scanner "types" with the computer's keyboard layout: on a Norwegian layout a scanner
  set up for US English turns ``-`` into ``+`` and ``:`` into ``Ø``, but letters and digits come
  through unchanged. So a code is found at the end of a mangled URL too, and Caps Lock is
  harmless (codes are compared in lower case).

* The **door code** (``K7QM-4XT2``: on the ticket, the badge and in the confirmation mail) is
  what a person can read out or type at the door when the QR code will not scan: 7 random
  characters and a check character from an alphabet of 31 without the look-alikes 0, O, 1, I and
  L. The check character makes the weighted sum of all eight ``≡ 0 (mod 31)``; 31 being prime,
  every single mistyped character and every swap of two neighbours is refused by the check,
  never taken for someone else's code. Typed in any case, with or without spaces or dashes.

All come from :mod:`secrets`, so they are never sequential and say nothing about the person.
"""

from __future__ import annotations

import base64
import re
import secrets

MANAGE_SECRET_BYTES = 24
CHECKIN_CODE_BYTES = 20
CHECKIN_CODE_LENGTH = 32  # base32 of 20 bytes, no padding
CHECKIN_PATH = "/c/"

DOOR_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31: prime, and no 0/O, 1/I/L
DOOR_CODE_LENGTH = 8
_DOOR_VALUE = {char: value for value, char in enumerate(DOOR_ALPHABET)}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")

_CODE_AT_END = re.compile(r"([a-z2-7]{%d})[^a-z0-9]*$" % CHECKIN_CODE_LENGTH)
_CODE = re.compile(r"[a-z2-7]{%d}" % CHECKIN_CODE_LENGTH)


def new_manage_secret() -> str:
    """A fresh secret for the attendee's ticket link."""
    return secrets.token_urlsafe(MANAGE_SECRET_BYTES)


def new_checkin_code() -> str:
    """A fresh code for the door: what the QR code and the badge carry."""
    return base64.b32encode(secrets.token_bytes(CHECKIN_CODE_BYTES)).decode("ascii").lower()


def new_door_code() -> str:
    """A fresh door code, undivided (``K7QM4XT2``): 7 random characters and the check character."""
    body = [secrets.choice(DOOR_ALPHABET) for _ in range(DOOR_CODE_LENGTH - 1)]
    return "".join(body) + _check_character(body)


def _check_character(body: list[str] | str) -> str:
    """The character ``c`` at position 8 for which ``Σ position × value ≡ 0 (mod 31)``."""
    partial = sum(position * _DOOR_VALUE[char] for position, char in enumerate(body, start=1))
    inverse_of_8 = pow(DOOR_CODE_LENGTH, -1, len(DOOR_ALPHABET))
    return DOOR_ALPHABET[(-partial * inverse_of_8) % len(DOOR_ALPHABET)]


def door_code_from_typing(text: str) -> str | None:
    """The door code in what a person typed (``k7qm-4xt2``, ``K7QM 4XT2``), if the check holds."""
    cleaned = _SEPARATORS.sub("", (text or "").strip()).upper()
    if len(cleaned) != DOOR_CODE_LENGTH or any(char not in _DOOR_VALUE for char in cleaned):
        return None
    total = sum(position * _DOOR_VALUE[char] for position, char in enumerate(cleaned, start=1))
    return cleaned if total % len(DOOR_ALPHABET) == 0 else None


def looks_like_door_code(text: str) -> bool:
    """Eight characters of the door alphabet once separators are gone: a door code, or a typo of one."""
    cleaned = _SEPARATORS.sub("", (text or "").strip()).upper()
    return len(cleaned) == DOOR_CODE_LENGTH and all(char in _DOOR_VALUE or char in "01OIL" for char in cleaned)


def grouped(code: str) -> str:
    """``K7QM-4XT2``: how a door code is printed and shown."""
    return f"{code[:4]}-{code[4:]}"


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
    if " " in cleaned and _CODE.fullmatch(spaceless := "".join(cleaned.split())):
        return spaceless  # the long code typed as the ticket shows it, in groups
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
