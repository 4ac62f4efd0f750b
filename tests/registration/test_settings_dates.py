"""Dates in the registration settings: a year no conference uses is a form error, never a 500.

``0001-01-01T00:00`` overflowed when Oslo time was converted to UTC (OverflowError in to_utc).
"""

from __future__ import annotations

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.registration.settings import settings_for

from ..conftest import csrf_token

SETTINGS = "/admin/registration/"
MESSAGE = "Velg en dato mellom år 2000 og 2100."


def settings_form(admin_client, **values) -> dict[str, str]:
    form = {"csrf_token": csrf_token(admin_client, SETTINGS), "capacity": "120", "privacy_notice": "",
            "opens_at": "", "closes_at": "", "mode_organisation": "required", "mode_municipality": "optional",
            "mode_job_title": "optional", "mode_dietary": "optional", "mode_accessibility": "optional",
            "mode_lunch": "optional"}
    return {**form, **values}


def stored_window(app):
    with app.app_context():
        settings = settings_for(current_event())
        return settings.opens_at, settings.closes_at


@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59", "2101-01-01T00:00"])
def test_a_date_outside_the_years_a_conference_uses_is_a_form_error(app, admin_client, field, value):
    before = stored_window(app)
    response = admin_client.post(SETTINGS, data=settings_form(admin_client, **{field: value}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.count(MESSAGE) == 1 and f'value="{value}"' in page  # what was typed stays in the form
    assert stored_window(app) == before


def test_the_first_and_last_minute_of_the_range_are_accepted(app, admin_client):
    response = admin_client.post(SETTINGS, data=settings_form(
        admin_client, opens_at="2000-01-01T00:00", closes_at="2100-12-31T23:59"))
    assert response.status_code == 303
    opens, closes = stored_window(app)
    assert (str(opens), str(closes)) == ("1999-12-31 23:00:00", "2100-12-31 22:59:00")  # UTC


def test_the_browser_is_told_the_range(admin_client):
    page = admin_client.get(SETTINGS).get_data(as_text=True)
    assert page.count('min="2000-01-01T00:00"') == 2 and page.count('max="2100-12-31T23:59"') == 2
