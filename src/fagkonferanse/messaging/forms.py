"""The organisers' forms: a message to a group, and the reminder's settings."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..formfields import strip
from .compose import unknown_fields
from .groups import BY_NAME, GROUPS

SUBJECT_MAX, BODY_MAX = 200, 10_000


def known_fields_only(form, field) -> None:
    unknown = unknown_fields(field.data or "")
    if unknown:
        raise ValidationError(_("Ukjent felt: %(fields)s. Bruk {navn}, {billettlenke} eller {dørkode}.",
                                fields=", ".join("{" + name + "}" for name in unknown)))


def one_line(value: str | None) -> str | None:
    return " ".join(value.split()) if value else value


class MessageForm(FlaskForm):
    group = SelectField(_l("Hvem skal få meldingen?"), choices=[SelectChoice(group.name, group.label) for group in GROUPS])
    group_value = StringField(_l("Kommune eller organisasjon"), filters=[strip],
                              render_kw={"list": "group-values", "autocomplete": "off"},
                              validators=[Length(max=200)])
    subject = StringField(_l("Emne"), filters=[one_line], validators=[InputRequired(_l("Skriv et emne.")),
                                                                       Length(max=SUBJECT_MAX), known_fields_only])
    body = TextAreaField(_l("Melding"), filters=[strip], validators=[InputRequired(_l("Skriv meldingen.")),
                                                                    Length(max=BODY_MAX), known_fields_only])
    subject_en = StringField(_l("Emne på engelsk"), filters=[one_line],
                             validators=[Optional(), Length(max=SUBJECT_MAX), known_fields_only])
    body_en = TextAreaField(_l("Melding på engelsk"), filters=[strip],
                            validators=[Optional(), Length(max=BODY_MAX), known_fields_only])
    form_key = HiddenField()
    expected = HiddenField()

    def validate_group_value(self, field) -> None:
        group = BY_NAME.get(self.group.data)
        if group is not None and group.needs_value and not field.data:
            raise ValidationError(_("Skriv hvilken kommune eller organisasjon."))

    def validate_body_en(self, field) -> None:
        if (self.subject_en.data or "").strip() and not field.data:
            raise ValidationError(_("Skriv meldingen på engelsk, eller la det engelske emnet stå tomt."))

    def texts(self) -> dict[str, str]:
        return {"subject": self.subject.data, "body": self.body.data,
                "subject_en": self.subject_en.data or "", "body_en": self.body_en.data or ""}


class ReminderForm(FlaskForm):
    enabled = BooleanField(_l("Send påminnelse dagen før"))
    send_time = TimeField(_l("Klokkeslett dagen før"), validators=[InputRequired(_l("Skriv et klokkeslett."))])
    subject = StringField(_l("Emne"), filters=[one_line], validators=[Optional(), Length(max=SUBJECT_MAX),
                                                                       known_fields_only])
    body = TextAreaField(_l("Innledning"), filters=[strip], validators=[Optional(), Length(max=BODY_MAX),
                                                                         known_fields_only])
    subject_en = StringField(_l("Emne på engelsk"), filters=[one_line],
                             validators=[Optional(), Length(max=SUBJECT_MAX), known_fields_only])
    body_en = TextAreaField(_l("Innledning på engelsk"), filters=[strip],
                            validators=[Optional(), Length(max=BODY_MAX), known_fields_only])
