"""The conference's own texts, next year's conference and its retention time (Flask-WTF: every
form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..formfields import strip


class EventTextsForm(FlaskForm):
    """The title and foreword, each with its optional English version.

    ``stored`` is the fingerprint of the texts as the form showed them (see
    :func:`fagkonferanse.events.editing.texts_fingerprint`): the event has no version column.
    """

    title = StringField(_l("Tittel"), filters=[strip],
                        validators=[DataRequired(message=_l("Konferansen trenger en tittel.")), Length(max=300)])
    title_en = StringField(_l("Tittel (engelsk, valgfritt)"), filters=[strip], validators=[Length(max=300)])
    foreword = TextAreaField(_l("Forord"), filters=[strip], validators=[Length(max=10000)],
                             render_kw={"rows": 12})
    foreword_en = TextAreaField(_l("Forord (engelsk, valgfritt)"), filters=[strip], validators=[Length(max=10000)],
                                render_kw={"rows": 12})
    stored = HiddenField()


class NewConferenceForm(FlaskForm):
    """Next year's conference: what it is called, when and where, and what to copy from which."""

    title = StringField(_l("Tittel"), filters=[strip],
                        validators=[DataRequired(message=_l("Konferansen trenger en tittel.")), Length(max=300)])
    date = DateField(_l("Dato"), validators=[DataRequired(message=_l("Skriv datoen, for eksempel 8.11.2017."))])
    venue = StringField(_l("Sted"), filters=[strip],
                        validators=[DataRequired(message=_l("Skriv hvor konferansen holdes.")), Length(max=200)])
    building = StringField(_l("Bygg"), filters=[strip],
                           validators=[DataRequired(message=_l("Skriv hvilket bygg.")), Length(max=100)])
    slug = StringField(_l("Adresse (valgfritt)"), filters=[strip], validators=[Length(max=80)])
    source = SelectField(_l("Kopier fra"), choices=[], validate_choice=False)
    copy_venue = BooleanField(_l("Bygget med etasjer, plantegninger og rom"), default=True)
    copy_stands = BooleanField(_l("Standene med organisasjonene og plassen på planen"), default=True)
    copy_registration = BooleanField(_l("Påmeldingsinnstillingene og tilleggsspørsmålene"), default=True)
    copy_programme = BooleanField(_l("Programmets skjelett: punktene med tider og rom, uten foredragsholdere"),
                                  default=True)
    make_current = BooleanField(_l("Vis den nye konferansen på nettstedet med én gang"), default=False)


class RetentionForm(FlaskForm):
    """How long a conference keeps its attendees' personal data."""

    days = IntegerField(_l("Dager etter konferansen"), validators=[
        InputRequired(message=_l("Skriv et antall dager.")),
        NumberRange(min=0, max=3650, message=_l("Velg mellom 0 og 3650 dager."))])
