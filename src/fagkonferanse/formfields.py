"""Form pieces shared by every domain's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, ValidationError, validators

_FAR_OUT = 10**300  # beyond any range a form asks for; a float cannot hold more than about 1.8e308

# Dates organisers type (when registration opens and closes) lie within these years: anything
# else is a typo, and year 1 or 9999 cannot even be moved between time zones (Python's datetime
# overflows: "0001-01-01T00:00" was a 500).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
# What a browser's datetime-local input sends, with or without seconds.
DATETIME_LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class NumberRange(validators.NumberRange):
    """WTForms' ``NumberRange``, without its crash on a number of more than 308 digits.

    WTForms checks ``math.isnan(data)``, which cannot turn such an int into a float: typing
    400 nines into "Etasje" was a 500. A number that long is out of range, with the field's message.
    """

    def __call__(self, form, field) -> None:
        if isinstance(field.data, int) and not -_FAR_OUT < field.data < _FAR_OUT:
            field.data = None
        super().__call__(form, field)


def strip(value: str | None) -> str | None:
    """A field filter: leading and trailing spaces are never meant."""
    return value.strip() if isinstance(value, str) else value


class ConfirmForm(FlaskForm):
    """A confirmation (delete, deactivate …): nothing but the CSRF token."""


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock date and time from a datetime-local input, between ``EARLIEST_YEAR`` and
    ``LATEST_YEAR``: a date outside is a form error, never an overflow when it is converted to UTC.

    The browser is told the same range (``min``/``max``), so its date picker offers no other.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATETIME_LOCAL_FORMATS)
        render_kw = {"min": f"{EARLIEST_YEAR}-01-01T00:00", "max": f"{LATEST_YEAR}-12-31T23:59",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def pre_validate(self, form) -> None:
        if self.data is not None and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            raise ValidationError(_l("Velg en dato mellom år %(first)s og %(last)s.",
                                     first=EARLIEST_YEAR, last=LATEST_YEAR))
