"""The location form (Flask-WTF: it carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from ..formfields import NumberRange, strip

from .models import LOCATION_KINDS
from .services import LOCATION_KIND_LABELS



class LocationForm(FlaskForm):
    """A room, corridor or stairway: where it is (building, floor) and what kind it is."""

    name = StringField(_l("Navn"), filters=[strip],
                       validators=[DataRequired(message=_l("Stedet trenger et navn.")), Length(max=200)])
    name_en = StringField(_l("Navn (engelsk, valgfritt)"), filters=[strip], validators=[Length(max=200)])
    building = StringField(_l("Bygg"), filters=[strip],
                           validators=[DataRequired(message=_l("Skriv hvilket bygg.")), Length(max=100)])
    floor = IntegerField(
        _l("Etasje"),
        validators=[InputRequired(message=_l("Skriv etasjen som et tall.")),
                    NumberRange(min=-5, max=100, message=_l("Etasjen må være et tall fra -5 til 100."))],
    )
    kind = SelectField(_l("Type"), choices=[SelectChoice(kind, LOCATION_KIND_LABELS[kind]) for kind in LOCATION_KINDS])
    description = StringField(_l("Beskrivelse"), filters=[strip], validators=[Length(max=300)])

