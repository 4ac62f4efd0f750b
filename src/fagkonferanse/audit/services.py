"""Recording and reading audit entries."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from ..extensions import db
from .models import AuditEntry


def record(action: str, entity: str, entity_id: int | None, summary: str,
           changes: dict[str, Any] | None = None, event_id: int | None = None) -> AuditEntry:
    """Add an audit entry for the logged-in organiser (in the caller's transaction)."""
    organiser = current_user if getattr(current_user, "is_authenticated", False) else None
    entry = AuditEntry(
        organiser_id=organiser.id if organiser else None,
        organiser_email=organiser.email if organiser else "",
        event_id=event_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        changes=_jsonable(changes or {}),
    )
    db.session.add(entry)
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose values differ."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def recent_entries(event_id: int, limit: int = 200) -> list[AuditEntry]:
    return list(db.session.scalars(
        db.select(AuditEntry).where((AuditEntry.event_id == event_id) | AuditEntry.event_id.is_(None))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ))


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        if value is None or isinstance(value, bool | int | float | str):
            return value
        return str(value)

    return {key: plain(value) for key, value in changes.items()}
