"""E-mail addresses and phone numbers in a sheet's contact section, as links.

The booklet writes contacts freely ("tlf: 93454812, mail: Marie.Skeid@nav.no", "Telefon 977 05
813", "mob. 91604523"). A template shows each piece of text as a :class:`Segment`; segments with
an ``href`` become ``mailto:`` / ``tel:`` links. The text itself is never turned into HTML here,
so the template's autoescaping still applies.

Only Norwegian numbers with exactly eight digits (optionally after +47 / 0047) become ``tel:``
links; the booklet has a few misprints with seven or nine digits, and a link that rings a wrong
number is worse than plain text.

An address is linked whole, as printed, or not at all. RFC 6531 allows any letter in it, and the
booklet prints "Bjørn.tore.utne@moss.kommune.no": an ASCII-only pattern started after the "ø" and
linked "rn.tore.utne@…", somebody else's address. Letters are matched as letters (``\\w`` with
Python's Unicode rules), an address may not start in the middle of a word, and the ``mailto:``
target is percent-encoded UTF-8 as RFC 6068 asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

# A domain label: letters, digits and inner hyphens (Unicode letters too: IDNA, "bærum.no").
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
EMAIL = rf"(?<![\w.%+-])[\w.%+-]+@{_LABEL}(?:\.{_LABEL})*\.[^\W\d_]{{2,}}(?!\w)"
# Digits in groups separated by single spaces, optionally after a country code.
PHONE = r"(?:\+|00)?\d(?:[ \u00a0]?\d){6,11}"
_PIECES = re.compile(rf"(?P<email>{EMAIL})|(?<![\w@+])(?<!\d[.,])(?P<phone>{PHONE})(?![\w@])")


@dataclass(frozen=True)
class Segment:
    text: str
    href: str | None = None
    kind: str = "text"  # "text", "email" or "phone"


def contact_segments(text: str) -> list[Segment]:
    """``text`` cut into plain pieces and linkable e-mail addresses and phone numbers."""
    segments: list[Segment] = []
    position = 0
    for match in _PIECES.finditer(text):
        link = _link(match)
        if link is None:
            continue
        if match.start() > position:
            segments.append(Segment(text[position:match.start()]))
        segments.append(link)
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def _link(match: re.Match[str]) -> Segment | None:
    if match.group("email"):
        address = match.group("email")
        return Segment(address, mailto_href(address), "email")
    digits = re.sub(r"\D", "", match.group("phone"))
    if digits.startswith("0047"):
        digits = digits[4:]
    elif match.group("phone").startswith("+") and digits.startswith("47"):
        digits = digits[2:]
    if len(digits) != 8:
        return None
    return Segment(match.group("phone"), f"tel:+47{digits}", "phone")


def mailto_href(*addresses: str) -> str:
    """``mailto:`` with the addresses percent-encoded (UTF-8), readable by every mail program."""
    return "mailto:" + ",".join(quote(address, safe="@") for address in addresses)


def emails(text: str) -> list[str]:
    """Every e-mail address in ``text`` (for the organiser's "send to exhibitor" form)."""
    return re.findall(EMAIL, text)
