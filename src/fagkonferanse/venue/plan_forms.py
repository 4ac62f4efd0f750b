"""The floor-plan editor's forms (Flask-WTF: each carries a CSRF token).

Every change the drawing editor makes is one of these forms submitted: a dragged stand fills
the position form, a drawn shape fills the points field. So the forms are also the way to do
it all without a mouse (WCAG 2.5.7) or without JavaScript.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FloatField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..formfields import NumberRange, strip
from .models import LOCATION_KINDS
from .plan_editing import MAX_SIZE, MIN_SIZE
from .services import LOCATION_KIND_LABELS

NEW_PLACE = "new"


class PlanNumber(FloatField):
    """A coordinate as Norwegians type it ("120,5" as well as "120.5"), with a message in words."""

    def process_formdata(self, valuelist) -> None:
        if valuelist and valuelist[0].strip():
            try:
                self.data = float(valuelist[0].strip().replace(",", "."))
            except ValueError as error:
                self.data = None
                raise ValueError(_l("Skriv et tall, for eksempel 120 eller 120,5.")) from error
            if self.data != self.data or self.data in (float("inf"), float("-inf")):
                self.data = None
                raise ValueError(_l("Skriv et tall, for eksempel 120 eller 120,5."))
        else:
            self.data = None


class ShapeForm(FlaskForm):
    """A place's shape: an existing place on the floor, or a new one named here, and its points."""

    location = SelectField(_l("Sted"), validate_choice=False)
    new_name = StringField(_l("Navn på det nye stedet"), filters=[strip], validators=[Length(max=200)])
    new_kind = SelectField(_l("Type"), choices=[SelectChoice(kind, LOCATION_KIND_LABELS[kind]) for kind in LOCATION_KINDS])
    points = TextAreaField(_l("Punkter (x,y)"), filters=[strip],
                           validators=[DataRequired(message=_l("Tegn formen på planen, eller skriv punktene.")),
                                       Length(max=20000)])

    def validate(self, extra_validators=None) -> bool:
        """A place from the list, or a name for the new one."""
        if not super().validate(extra_validators):
            return False
        if self.location.data == NEW_PLACE and not self.new_name.data:
            self.new_name.errors.append(_l("Skriv navnet på det nye stedet."))
            return False
        if self.location.data not in {str(choice.value) for choice in self.location.choices}:
            self.location.errors.append(_l("Velg et sted i listen."))
            return False
        return True


class PositionForm(FlaskForm):
    """Where a stand's marker is on the plan, in plan units."""

    stand = SelectField(_l("Stand"), coerce=int, validate_choice=True)
    x = PlanNumber(_l("x"), validators=[InputRequired(message=_l("Skriv x som et tall."))])
    y = PlanNumber(_l("y"), validators=[InputRequired(message=_l("Skriv y som et tall."))])


class FloorForm(FlaskForm):
    """The plan's size in plan units, whether it is schematic, and a note shown under it."""

    width = IntegerField(_l("Bredde"), validators=[
        InputRequired(message=_l("Skriv bredden som et tall.")),
        NumberRange(min=MIN_SIZE, max=MAX_SIZE, message=_l("Bredden må være fra %(min)s til %(max)s."))])
    height = IntegerField(_l("Høyde"), validators=[
        InputRequired(message=_l("Skriv høyden som et tall.")),
        NumberRange(min=MIN_SIZE, max=MAX_SIZE, message=_l("Høyden må være fra %(min)s til %(max)s."))])
    schematic = BooleanField(_l("Planen er skjematisk (ikke en tegning av bygget)"))
    note = TextAreaField(_l("Merknad under planen"), filters=[strip], validators=[Length(max=2000)])
    note_en = TextAreaField(_l("Merknad (engelsk, valgfritt)"), filters=[strip], validators=[Length(max=2000)])


class ImageForm(FlaskForm):
    """An uploaded drawing of the floor."""

    image = FileField(_l("Tegning av etasjen (PNG, JPEG eller SVG)"))


class NewFloorForm(FlaskForm):
    """A floor to draw before any place is on it."""

    building = StringField(_l("Bygg"), filters=[strip],
                           validators=[DataRequired(message=_l("Skriv hvilket bygg.")), Length(max=100)])
    number = IntegerField(_l("Etasje"), validators=[
        InputRequired(message=_l("Skriv etasjen som et tall.")),
        NumberRange(min=-5, max=100, message=_l("Etasjen må være et tall fra -5 til 100."))])

