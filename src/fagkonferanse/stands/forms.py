"""The stand form (Flask-WTF: it carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ..colours import normalise
from ..formfields import strip



def optional_id(value: object) -> int | None:
    """Coerce a select's value to an id, with the empty choice meaning "none"."""
    if value in (None, "", "None"):
        return None
    return int(value)  # type: ignore[arg-type]


class StandForm(FlaskForm):
    """A stand. Choices for organisation and location are set per event by the view."""

    organisation = SelectField(_l("Virksomhet"), coerce=optional_id)
    new_organisation = StringField(_l("… eller en ny virksomhet"), filters=[strip],
                                   validators=[Length(max=200)])
    location = SelectField(_l("Standplass"), coerce=optional_id)
    short_text = TextAreaField(_l("Kort tekst"), filters=[strip], validators=[Length(max=2000)])
    short_text_en = TextAreaField(_l("Kort tekst (engelsk, valgfritt)"), filters=[strip],
                                  validators=[Length(max=2000)])
    accent_colour = StringField(_l("Farge på plakaten (valgfritt)"), filters=[strip],
                                render_kw={"placeholder": "#0b5c8c", "autocomplete": "off"})
    logo = FileField(_l("Logo (PNG, JPEG eller SVG)"))
    remove_logo = BooleanField(_l("Fjern logoen"))

    def validate(self, extra_validators=None) -> bool:
        """Exactly one of "existing organisation" and "new organisation"; a colour as "#rrggbb"."""
        if not super().validate(extra_validators):
            return False
        if self.organisation.data is None and not self.new_organisation.data:
            self.organisation.errors.append(_l("Velg en virksomhet, eller skriv navnet på en ny."))
            return False
        if self.organisation.data is not None and self.new_organisation.data:
            self.new_organisation.errors.append(
                _l("Velg en virksomhet i listen eller skriv en ny, ikke begge."))
            return False
        if self.accent_colour.data and normalise(self.accent_colour.data) is None:
            self.accent_colour.errors.append(_l("Skriv fargen som heksadesimal kode, for eksempel #0b5c8c."))
            return False
        return True

