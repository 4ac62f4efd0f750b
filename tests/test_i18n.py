"""Dates and times are written the Norwegian way ("onsdag 9. november 2016", "kl. 08.30")."""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale

from fagkonferanse.i18n import format_clock, format_day, format_time_range


def test_norwegian_dates_and_times(app):
    with app.test_request_context("/"):
        assert format_day(dt.date(2016, 11, 9)) == "onsdag 9. november 2016"
        assert format_day(dt.date(2016, 11, 9), short=True) == "9. november 2016"
        assert format_clock(dt.time(8, 30)) == "kl. 08.30"
        assert format_time_range(dt.datetime(2016, 11, 9, 12), dt.datetime(2016, 11, 9, 14)) == "kl. 12.00–14.00"
        assert format_time_range(dt.datetime(2016, 11, 9, 15), None) == "kl. 15.00"


def test_english_dates_and_times(app):
    with app.test_request_context("/"), force_locale("en"):
        assert format_day(dt.date(2016, 11, 9)) == "Wednesday 9 November 2016"
        assert format_clock(dt.time(8, 30)) == "08:30"
