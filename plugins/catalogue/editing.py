"""Changing a sheet's content: the organiser's form and approved exhibitor proposals.

A sheet's editable content is a flat mapping of *fields*: the project name, funding scheme and
body, the target groups, and one field per template section (``"section:prosjekt"`` …). Flat
fields let a proposal be compared, merged and shown field by field.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from fagkonferanse import Stand, db, diff, record, utcnow

from .models import STATUSES, ProjectSheet
from .sections import SHEET_SECTIONS
from .textformat import blocks_to_text

ENTITY = "project_sheet"
SECTION = "section:"
TEXT_FIELDS = ("project_name", "funding_scheme", "funding_body")
FIELDS = (*TEXT_FIELDS, "target_groups", *(SECTION + key for key, _ in SHEET_SECTIONS))


class StaleEdit(Exception):
    """The sheet changed after the form was opened; nothing was written."""


def field_label(name: str) -> str:
    """The Norwegian label of a content field, as the forms and the review show it."""
    labels = {"project_name": _("Prosjektnavn"), "funding_scheme": _("Tilskuddsordning"),
              "funding_body": _("Tilskuddsgiver"), "target_groups": _("Målgrupper"),
              "status": _("Synlighet"), "stand": _("Stand")}
    if name.startswith(SECTION):
        return str(dict(SHEET_SECTIONS)[name[len(SECTION):]])
    return labels[name]


def content(sheet: ProjectSheet) -> dict[str, Any]:
    """The sheet's editable content as flat fields (sections missing on the sheet are ``[]``)."""
    values: dict[str, Any] = {
        "project_name": sheet.project_name,
        "funding_scheme": sheet.funding_scheme,
        "funding_body": sheet.funding_body,
        "target_groups": list(sheet.target_groups or []),
    }
    for key, _heading in SHEET_SECTIONS:
        values[SECTION + key] = list(sheet.sections.get(key, []))
    return values


def apply_content(sheet: ProjectSheet, values: dict[str, Any]) -> None:
    """Write flat fields back; sections are stored in template order, empty ones left out."""
    sheet.project_name = values["project_name"]
    sheet.funding_scheme = values["funding_scheme"] or None
    sheet.funding_body = values["funding_body"] or None
    sheet.target_groups = list(values["target_groups"])
    sheet.sections = {key: values[SECTION + key] for key, _heading in SHEET_SECTIONS if values[SECTION + key]}


def as_text(name: str, value: Any) -> str:
    """A field's value as the forms write it (for the audit log and the review's diff)."""
    if name.startswith(SECTION):
        return blocks_to_text(value)
    if name == "target_groups":
        return "\n".join(value)
    return value or ""


def labelled(values: dict[str, Any]) -> dict[str, str]:
    """``{label: text}`` of flat fields, for :func:`fagkonferanse.audit.services.diff`."""
    return {field_label(name): as_text(name, values[name]) for name in FIELDS if name in values}


def save_sheet(sheet: ProjectSheet, values: dict[str, Any], expected_version: int, editor: str,
               status: str | None = None, stand_id: int | None | bool = False) -> dict[str, list[Any]]:
    """Save an organiser's form: content, and optionally visibility and stand.

    Raises :class:`StaleEdit` when the sheet changed since the form was opened (checked here and,
    for a race with another request, by the database's version check at flush).
    Returns the audit entry's changes; an unchanged form writes nothing.
    """
    if expected_version != sheet.version:
        raise StaleEdit()
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    with db.session.no_autoflush:  # one flush at the end: one version step per save
        before = _snapshot(sheet)
        apply_content(sheet, values)
        if status is not None:
            sheet.status = status
        if stand_id is not False:
            sheet.stand_id = stand_id
        changes = diff(before, _snapshot(sheet))
        if not changes:
            db.session.expire(sheet)  # nothing to save: drop the assignments, no version bump
            return {}
        sheet.edited_at, sheet.edited_by = utcnow(), editor
        record("update", ENTITY, sheet.id, _("Endret prosjektarket «%(name)s»", name=sheet.project_name),
               changes, event_id=sheet.event_id)
    flush_checked()
    return changes


def flush_checked() -> None:
    """Flush, turning the ORM's version conflict into :class:`StaleEdit` (and rolling back)."""
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise StaleEdit() from error


def _snapshot(sheet: ProjectSheet) -> dict[str, str]:
    values = labelled(content(sheet))
    values[field_label("status")] = sheet.status
    stand = db.session.get(Stand, sheet.stand_id) if sheet.stand_id else None
    values[field_label("stand")] = stand.organisation.name if stand else ""
    return values
