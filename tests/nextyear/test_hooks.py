"""The hooks of next year's conference, implemented by a throwaway plugin."""

from __future__ import annotations

import pytest

from fagkonferanse.events.copying import event_by_slug
from fagkonferanse.events.retention import anonymise_attendees
from fagkonferanse.extensions import db

from ..conftest import make_app
from ..test_plugins import LOCAL_PLUGINS
from .conftest import SLUG_2016, SLUG_2017, copy_2017


@pytest.fixture
def plugin_app(instance):
    app = make_app(instance, PLUGIN_FOLDERS=[str(LOCAL_PLUGINS)])
    yield app
    with app.app_context():
        db.engine.dispose()


def calls(app, name):
    plugin = app.extensions["fagkonferanse.plugins"].get_plugin("throwaway_plugin")
    return [value for hook, value in plugin.CALLS if hook == name]


def test_event_copied_and_attendees_anonymised_reach_plugins(plugin_app):
    with plugin_app.app_context():
        copy_2017(parts=("stands",))
        anonymise_attendees(event_by_slug(SLUG_2016), hook=plugin_app.extensions["fagkonferanse.plugins"].hook)
    assert calls(plugin_app, "event_copied")[-1] == (SLUG_2016, SLUG_2017, ["stands", "venue"], 5)  # 2016 had five stands
    assert calls(plugin_app, "attendees_anonymised")[-1] == SLUG_2016


def test_a_plugin_names_the_pages_its_archives_keep(plugin_app):
    with plugin_app.app_context():
        copy_2017()
    client = plugin_app.test_client()
    assert client.get(f"/arkiv/{SLUG_2016}/throwaway").status_code == 200
    assert client.get(f"/arkiv/{SLUG_2016}/throwaway/answers").status_code == 404
