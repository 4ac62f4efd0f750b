"""Form pieces shared by every domain's forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import validators

_FAR_OUT = 10**300  # beyond any range a form asks for; a float cannot hold more than about 1.8e308


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
