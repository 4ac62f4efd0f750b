"""A second conference: 2017, made by copying 2016 and then made current (see events/copying.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from fagkonferanse import plugin_manager
from fagkonferanse.events.copying import NewEvent, create_event, event_by_slug
from fagkonferanse.events.services import make_current
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem

SLUG_2016 = "levekar-og-mangfold-2016"
SLUG_2017 = "levekar-og-mangfold-2017"
TITLE_2017 = "Levekår og mangfold 2017"
# The 2016 opening, retitled for 2017: the 2017 pages show the new title, the archive the old.
OLD_OPENING = "Dekan og prorektor ved Høgskolen i Østfold"
NEW_OPENING = "Velkommen til 2017 ved rektor"


def copy_2017(*, current: bool = True, parts=("venue", "stands", "registration", "programme")):
    """The 2017 conference copied from 2016 (in an app context; committed)."""
    source = event_by_slug(SLUG_2016)
    event, _copied = create_event(NewEvent(TITLE_2017, dt.date(2017, 11, 8), "Høgskolen i Østfold", "H-bygget",
                                           slug=SLUG_2017), source, parts, hook=plugin_manager().hook)
    opening = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.event_id == event.id,
                                                               ProgrammeItem.title == OLD_OPENING))
    if opening is not None:  # the programme was copied
        opening.title = NEW_OPENING
    if current:
        make_current(event)
    db.session.commit()
    return event


@pytest.fixture
def app_2017(app):
    """The app with 2017 current and 2016 an archive."""
    with app.app_context():
        copy_2017()
    return app
