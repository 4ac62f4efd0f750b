"""Forms for the programme editor and the speakers (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    SelectChoice,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ...formfields import strip
from ..models import ITEM_KINDS
from .labels import ITEM_KIND_LABELS

# Browsers send 10:15 from a time input; people typing by hand write 10.15 the Norwegian way.
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
MAX_MINUTES = 24 * 60



def optional_id(value: object) -> int | None:
    """Coerce a select's value to an id, with the empty choice meaning "none"."""
    if value in (None, "", "None"):
        return None
    return int(value)  # type: ignore[arg-type]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes: easier on a phone than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_choice_message", _l("Finnes ikke lenger og kan ikke velges: %(value)s."))
        kwargs.setdefault("invalid_value_message", _l("Ugyldig valg."))
        super().__init__(*args, **kwargs)


def within(low: int, high: int, message):
    """A range check that stays quiet when the value was not a number (one message, not two)."""
    def check(form, field) -> None:
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(message)
    return check


def time_field(label, required: bool) -> TimeField:
    """A clock time accepted as 10:15 or 10.15, with a Norwegian message for anything else."""
    return TimeField(
        label, format=TIME_FORMATS,
        validators=[InputRequired(message=_l("Fyll inn et klokkeslett."))] if required else [Optional()],
        invalid_value_message=_l("Skriv klokkeslettet som 10.15 eller 10:15."),
    )


class ItemForm(FlaskForm):
    """One programme item. Choices for location, speakers and organisations are set per event."""

    title = StringField(_l("Tittel"), filters=[strip],
                        validators=[DataRequired(message=_l("Punktet trenger en tittel.")), Length(max=300)])
    title_en = StringField(_l("Tittel (engelsk, valgfritt)"), filters=[strip], validators=[Length(max=300)])
    kind = SelectField(_l("Type"), choices=[SelectChoice(kind, ITEM_KIND_LABELS[kind]) for kind in ITEM_KINDS])
    start = time_field(_l("Start"), required=True)
    duration = IntegerField(
        _l("Varighet i minutter"),
        validators=[Optional(), within(-MAX_MINUTES, MAX_MINUTES, _l("Varigheten kan være høyst et døgn."))],
        render_kw={"min": 1, "max": MAX_MINUTES},
    )
    end = time_field(_l("Slutt"), required=False)
    location = SelectField(_l("Sted"), coerce=optional_id)
    speakers = MultiCheckboxField(_l("Foredragsholdere"), coerce=int)
    organisations = MultiCheckboxField(_l("Presentert av"), coerce=int)
    description = TextAreaField(_l("Beskrivelse"), filters=[strip], validators=[Length(max=5000)])
    description_en = TextAreaField(_l("Beskrivelse (engelsk, valgfritt)"), filters=[strip],
                                   validators=[Length(max=5000)])
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    # Set by the buttons of the "shift the following items" preview, never shown in the form.
    decision = HiddenField()
    plan = HiddenField()

    def fill_from(self, item) -> None:
        """Show a stored item, with both duration and end so either can be changed."""
        self.title.data, self.title_en.data = item.title, item.title_en
        self.kind.data = item.kind
        self.start.data = item.start.time()
        self.end.data = item.end.time() if item.end else None
        self.duration.data = int(item.duration / dt.timedelta(minutes=1)) if item.end else None
        self.location.data = item.location_id
        self.speakers.data = [speaker.id for speaker in item.speakers]
        self.organisations.data = [organisation.id for organisation in item.organisations]
        self.description.data, self.description_en.data = item.description, item.description_en
        self.version.data = item.version


class MoveForm(FlaskForm):
    """The "earlier" and "later" buttons on the programme list."""

    direction = SelectField(choices=[SelectChoice("earlier"), SelectChoice("later")])
    version = IntegerField(validators=[InputRequired()])


class ShiftForm(FlaskForm):
    """Move one item, or it and the rest of the day, by some minutes ("we are running late")."""

    minutes = IntegerField(
        _l("Minutter"),
        validators=[InputRequired(message=_l("Skriv hvor mange minutter.")),
                    within(-12 * 60, 12 * 60, _l("Høyst 12 timer i hver retning."))],
    )
    scope = RadioField(
        _l("Hva skal flyttes?"), default="following",
        choices=[SelectChoice("following", _l("Dette punktet og alle som starter samtidig eller senere")),
                 SelectChoice("item", _l("Bare dette punktet"))],
    )
    decision = HiddenField()
    plan = HiddenField()



class LateForm(FlaskForm):
    """"We are running late": move an item and the rest of the day by some minutes, and say so."""

    minutes = IntegerField(
        _l("Minutter"),
        validators=[InputRequired(message=_l("Skriv hvor mange minutter.")),
                    within(-60, 180, _l("Skriv et antall minutter fra -60 til 180."))],
    )
    item = SelectField(_l("Fra punktet"), coerce=int,
                       validators=[InputRequired(message=_l("Velg punktet forsinkelsen gjelder fra."))])
    decision = HiddenField()
    plan = HiddenField()


class CancelForm(FlaskForm):
    """Call an item off, with a note attendees read on the programme."""

    note = StringField(_l("Melding til deltakerne (valgfritt)"), filters=[strip], validators=[Length(max=300)],
                       render_kw={"placeholder": _l("For eksempel: Foredragsholderen er syk.")})


class SpeakerForm(FlaskForm):
    """A speaker, and the items they are on."""

    name = StringField(_l("Navn"), filters=[strip],
                       validators=[DataRequired(message=_l("Skriv navnet.")), Length(max=200)])
    affiliation = StringField(_l("Arbeidssted"), filters=[strip], validators=[Length(max=200)])
    role = StringField(_l("Stilling eller rolle"), filters=[strip], validators=[Length(max=200)])
    role_en = StringField(_l("Stilling eller rolle (engelsk, valgfritt)"), filters=[strip],
                          validators=[Length(max=200)])
    bio = TextAreaField(_l("Om foredragsholderen"), filters=[strip], validators=[Length(max=5000)])
    bio_en = TextAreaField(_l("Om foredragsholderen (engelsk, valgfritt)"), filters=[strip],
                           validators=[Length(max=5000)])
    items = MultiCheckboxField(_l("Programpunkter"), coerce=int)
