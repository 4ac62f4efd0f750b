"""The report's two rules, as plain functions: small groups are hidden, and an organisation's
free-text name says roughly what kind of body it is.

Small groups: a count of 1 to 4 could point at a person ("the one attendee from Rygge"), so the
report — page, PDF and CSV alike — shows it as "under 5"; 0 stays 0, since it points at nobody.

Organisation type: registrations have no type field, only the name people typed. A short list of
words, tried in order, sorts the names well enough for a funder's overview; the report says the
types are read "ut fra organisasjonsnavnet".
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

SMALLEST_SHOWN = 5

# The types in the order the report lists them, and their labels (Norwegian msgids).
MUNICIPAL, NAV, STATE, EDUCATION, VOLUNTARY, OTHER, UNKNOWN = (
    "municipal", "nav", "state", "education", "voluntary", "other", "unknown")
TYPE_LABELS = {
    MUNICIPAL: _l("Kommune"),
    NAV: _l("NAV"),
    STATE: _l("Statlig"),
    EDUCATION: _l("Utdanning og forskning"),
    VOLUNTARY: _l("Frivillig og ideell"),
    OTHER: _l("Annet"),
    UNKNOWN: _l("Ikke oppgitt"),
}

# Tried top to bottom; the first hit decides ("NAV Moss kommune" is NAV, not the municipality,
# since a NAV office is run jointly and its people count themselves as NAV). Patterns match the
# start of a word, so "Husbanken" is state but "Husbankens venner" still is too (good enough).
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (NAV, re.compile(r"\bnav\b", re.IGNORECASE)),
    (STATE, re.compile(r"\b(fylkesmann\w*|statsforvalter\w*|husbanken|imdi|bufetat|bufdir|\w*direktorat\w*|"
                       r"\w*departement\w*)", re.IGNORECASE)),
    (MUNICIPAL, re.compile(r"(kommune\w*|\bbydel\w*)", re.IGNORECASE)),
    (EDUCATION, re.compile(r"(høgskole\w*|høyskole\w*|universitet\w*|skole\b|skolen\b|\bhiø\b|\buio\b|\bntnu\b)",
                           re.IGNORECASE)),
    (VOLUNTARY, re.compile(r"(forening\w*|stiftelse\w*|røde kors|kirkens bymisjon|frivillig\w*|\blag\b)",
                           re.IGNORECASE)),
)


def organisation_type(name: str | None) -> str:
    """The type of the body named ``name`` (one of the keys of :data:`TYPE_LABELS`).

    Empty → ``UNKNOWN``; no rule matching → ``OTHER``. See the module docstring for why a rule of
    words and not a field.
    """
    text = (name or "").strip()
    if not text:
        return UNKNOWN
    for kind, pattern in _RULES:
        if pattern.search(text):
            return kind
    return OTHER


def is_suppressed(count: int) -> bool:
    """True for a group too small to show: 1 to 4."""
    return 0 < count < SMALLEST_SHOWN


def shown_count(count: int) -> str:
    """A count as the report prints it: "under 5" for 1 to 4, else the number in plain digits
    ("0", "1234": the same in the page, the PDF and the CSV, which a spreadsheet reads)."""
    if is_suppressed(count):
        return str(_l("under %(limit)s", limit=SMALLEST_SHOWN))
    return str(count)
