"""Readable names for the programme's stored codes, shared by forms, pages and the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ITEM_KIND_LABELS = {
    "talk": _l("Foredrag"),
    "welcome": _l("Velkommen og åpning"),
    "registration": _l("Registrering"),
    "break": _l("Pause"),
    "meal": _l("Måltid"),
    "stands": _l("Stands"),
    "information": _l("Informasjon"),
    "students": _l("Studentinnslag"),
    "summary": _l("Oppsummering"),
    "closing": _l("Avslutning (punkt uten slutt)"),
}


def kind_label(kind: str) -> str:
    """The label of an item kind; an unknown code (from a plugin or import) shows as itself."""
    return str(ITEM_KIND_LABELS.get(kind, kind))
