"""Helpers for the production tests: what the whole database holds, and filling in real forms."""

from __future__ import annotations

from sqlalchemy import text as sql

from fagkonferanse.extensions import db

from ..admin.conftest import form_values


def database_snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, as sorted text tuples: equal snapshots mean nothing changed."""
    with app.app_context():
        snapshot = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(sql(f'SELECT * FROM "{table.name}"')).all()
            snapshot[table.name] = sorted(tuple(str(value) for value in row) for row in rows)
        db.session.remove()
    return snapshot


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def form_on(client, path: str, action: str | None = None) -> dict[str, list[str]]:
    """The fields of the form on ``path`` as a browser would send them unchanged."""
    return form_values(client.get(path).get_data(as_text=True), action)
