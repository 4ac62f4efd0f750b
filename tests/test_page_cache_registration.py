"""The home page says whether registration is open, and its cached copy follows.

The registration settings were cache-neutral when only /register (never cached) showed them;
now the home page's "Meld deg på" / "Påmeldingen er stengt" depends on them, so a change of the
opening or closing time must refresh it — while the seat counter in the same row, which moves
with every registration, must not empty the cache at the lunch-hour rush
(``__cache_neutral_columns__``). Registration also closes by the clock: the page is cached only
until then.
"""

from __future__ import annotations

import datetime as dt

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.pagecache import current_version
from fagkonferanse.registration import capacity
from fagkonferanse.registration.settings import settings_for

from .registration.conftest import configure, register

OPEN = "Meld deg på</a>"
CLOSED = "Påmeldingen er stengt."
YESTERDAY = dt.datetime(2000, 1, 1)


def home(client) -> tuple[str, str]:
    response = client.get("/")
    return response.get_data(as_text=True), response.headers.get("X-Page-Cache", "")


def test_closing_and_reopening_registration_changes_the_cached_home_page(app, client):
    page, _ = home(client)
    assert OPEN in page and CLOSED not in page
    assert home(client)[1] == "hit"
    configure(app, closes_at=YESTERDAY)  # as the organisers' settings page saves it
    page, cache = home(client)
    assert cache == "miss" and CLOSED in page and OPEN not in page
    assert 'href="/ticket/lost"' in page  # the registered can still find their ticket
    configure(app, closes_at=None)
    page, _ = home(client)
    assert OPEN in page and CLOSED not in page


def test_an_opening_time_to_come_is_shown_on_the_cached_home_page(app, client):
    home(client)
    configure(app, opens_at=dt.datetime(2999, 3, 1, 8, 0))  # stored UTC: 09.00 in Oslo
    page, _ = home(client)
    assert "Påmeldingen åpner 1. mars 2999 kl. 09.00." in page and OPEN not in page


def test_registering_keeps_the_cached_pages(app, client):
    """A registration takes a seat row and adds rows that no public page shows: the content
    version stays, and the home page is still a hit."""
    home(client)
    with app.app_context():
        before = current_version()
    assert register(app.test_client(), email="ny@example.no").status_code == 303
    with app.app_context():
        assert current_version() == before
        assert settings_for(current_event()).confirmed_count == 1
    assert home(client)[1] == "hit"


def test_seats_are_neutral_and_the_settings_row_is_not(app):
    with app.app_context():
        event = current_event()
        before = current_version()
        capacity.lock_registrations(event.id)
        capacity.size_pool(event.id, 200)  # seat rows come and go with capacity and registrations
        db.session.commit()
        assert current_version() == before
        settings = settings_for(event)
        settings.capacity = 200  # shown on no cached page today, but only updated_at is declared neutral
        db.session.commit()
        assert current_version() == before + 1


def test_the_home_page_is_cached_only_until_registration_closes_by_the_clock(app, client, monkeypatch):
    from fagkonferanse.registration import settings as settings_module

    now = dt.datetime(2016, 10, 1, 10, 0)  # naive UTC, long before the conference
    monkeypatch.setattr(settings_module.clock, "utc_now", lambda: now)
    configure(app, closes_at=now + dt.timedelta(hours=2))
    response = client.get("/")
    assert OPEN in response.get_data(as_text=True)
    assert response.cache_control.max_age == 2 * 3600 + 1
    assert "Påmeldingsfrist: 1. oktober 2016 kl. 14.00." in response.get_data(as_text=True)


def test_declared_neutral_columns_are_real_attributes(app):
    """A misspelt name in ``__cache_neutral_columns__`` would silently count every change."""
    from sqlalchemy import inspect

    declared = {mapper.class_.__name__: (set(mapper.class_.__dict__["__cache_neutral_columns__"]),
                                         set(inspect(mapper.class_).attrs.keys()))
                for mapper in db.Model.registry.mappers if "__cache_neutral_columns__" in mapper.class_.__dict__}
    assert set(declared) == {"RegistrationSettings"}
    assert all(names <= attributes for names, attributes in declared.values())
