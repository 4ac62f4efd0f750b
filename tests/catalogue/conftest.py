"""Helpers for the catalogue plugin's tests (the ``app`` fixture already holds the 2016 catalogue)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fagkonferanse.extensions import db

BOOKLET = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_7cea0bc938596cf3.txt"
PLUGIN_DIR = Path(__file__).resolve().parents[2] / "plugins" / "catalogue"


def plugin():
    """The catalogue plugin package as the application loads it."""
    return sys.modules["fagkonferanse_plugins.catalogue"]


def booklet_text() -> str:
    if not BOOKLET.exists():
        pytest.skip(f"booklet text not found at {BOOKLET} (shared seeds not mounted)")
    return BOOKLET.read_text(encoding="utf-8")


def sheet(slug: str):
    """A sheet of the current event, inside an app context."""
    from fagkonferanse.events.services import current_event

    models = sys.modules["fagkonferanse_plugins.catalogue.models"]
    return db.session.scalar(db.select(models.ProjectSheet).where(
        models.ProjectSheet.event_id == current_event().id, models.ProjectSheet.slug == slug))


def count(model_name: str) -> int:
    models = sys.modules["fagkonferanse_plugins.catalogue.models"]
    model = getattr(models, model_name)
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def ctx(app):
    """An application context for tests that call services directly."""
    with app.app_context():
        yield app
