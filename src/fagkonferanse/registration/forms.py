"""The registration form, built per event from the organisers' field settings and questions.

Every field is cleaned by :mod:`.validation`, the same rules the desk and the CSV import use.
Forms render with ``novalidate`` so the server's messages (in Norwegian, next to the field) are the
ones people see; ``required``/``aria`` attributes still tell assistive technology what is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, Field, IntegerField, RadioField, SelectChoice,
                     SelectField, StringField, TextAreaField)
from wtforms.validators import InputRequired, Optional, ValidationError

from ..formfields import LocalDateTimeField, NumberRange

from .models import Registration, RegistrationQuestion, RegistrationSettings
from .roles import AUTOMATIC, ROLE_LABELS
from .settings import CONFIGURABLE_FIELDS, HIDDEN, OPTIONAL, REQUIRED, field_mode
from .validation import InvalidValue, clean_email, clean_text

QUESTION_KINDS = ("text", "yesno", "choice")
ANSWER_MAX_LENGTH = 500
YES, NO = "ja", "nei"


class Cleaned:
    """A WTForms validator that runs a cleaning function and keeps its result as the field data."""

    def __init__(self, clean: Callable[[Any], Any]):
        self.clean = clean

    def __call__(self, form: FlaskForm, field: Field) -> None:
        try:
            field.data = self.clean(field.data)
        except InvalidValue as error:
            raise ValidationError(str(error)) from None


class OneOf:
    """The answer must be one of the offered choices (or empty when optional)."""

    def __init__(self, values: list[str], required: bool):
        self.values, self.required = values, required

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data:
            field.data = ""
            if self.required:
                raise ValidationError(_("Velg et svar."))
        elif field.data not in self.values:
            raise ValidationError(_("Velg et av svarene."))


def _text_rule(max_length: int, required: bool, multiline: bool = False) -> Cleaned:
    return Cleaned(lambda value: clean_text(value, max_length, multiline=multiline, required=required))


def _email_rule(required: bool) -> Cleaned:
    def clean(value: Any) -> str | None:
        if not required and not (value or "").strip():
            return None
        return clean_email(value)

    return Cleaned(clean)


def _label(text: str, mode: str) -> str:
    return text if mode == REQUIRED else _("%(label)s (valgfritt)", label=text)


def _kw(mode: str, **extra: Any) -> dict[str, Any]:
    kw = {key: value for key, value in extra.items() if value is not None}
    if mode == REQUIRED:
        kw["required"] = True
    return kw


class RegistrationForm(FlaskForm):
    """Base of the generated forms: turns the submitted fields into a ``details`` dict."""

    question_ids: list[int] = []
    detail_names: list[str] = []

    def details(self) -> dict[str, Any]:
        values = {name: self[name].data for name in self.detail_names}
        if "lunch" in values:
            values["lunch"] = bool(values["lunch"])
        if "stand_id" in values:
            values["stand_id"] = int(values["stand_id"]) if values["stand_id"] else None
        values["answers"] = {str(qid): self[f"q_{qid}"].data or "" for qid in self.question_ids}
        return values


def build_form_class(settings: RegistrationSettings, questions: list[RegistrationQuestion], *,
                     purpose: str = "register") -> type[RegistrationForm]:
    """A form class for this event.

    ``purpose``: ``"register"`` (the public form, with consent), ``"edit"`` (the attendee's own
    edit page: same fields, no consent box), ``"organiser"`` (every field, only the name
    required, e-mail optional for people without one) or ``"walk-in"`` (as organiser, plus the
    desk's confirmation that the person consents).
    """
    organiser = purpose in ("organiser", "walk-in")
    attrs: dict[str, Any] = {}
    names = ["name", "email"]
    attrs["name"] = StringField(_("Navn"), validators=[_text_rule(200, True)],
                                render_kw={"autocomplete": "name", "required": True})
    email_mode = OPTIONAL if organiser else REQUIRED
    attrs["email"] = EmailField(_label(_("E-post"), email_mode), validators=[_email_rule(not organiser)],
                                render_kw=_kw(email_mode, autocomplete="email"))
    for spec in CONFIGURABLE_FIELDS:
        mode = field_mode(settings, spec.name)
        if organiser:
            mode = OPTIONAL
        if mode == HIDDEN:
            continue
        names.append(spec.name)
        if spec.name == "lunch":
            attrs["lunch"] = BooleanField(str(spec.label), default=True)
        elif spec.multiline:
            attrs[spec.name] = TextAreaField(_label(str(spec.label), mode),
                                             validators=[_text_rule(spec.max_length, mode == REQUIRED, True)],
                                             render_kw=_kw(mode, rows=3, maxlength=spec.max_length))
        else:
            extra = {"list": "municipalities"} if spec.name == "municipality" else {}
            attrs[spec.name] = StringField(_label(str(spec.label), mode),
                                           validators=[_text_rule(spec.max_length, mode == REQUIRED)],
                                           render_kw=_kw(mode, autocomplete=spec.autocomplete,
                                                         maxlength=spec.max_length, **extra))
    question_ids = []
    for question in questions:
        required = question.required and not organiser
        mode = REQUIRED if required else OPTIONAL
        label = _label(question.label, mode)
        if question.kind == "text":
            attrs[f"q_{question.id}"] = StringField(label, validators=[_text_rule(ANSWER_MAX_LENGTH, required)],
                                                    render_kw=_kw(mode, maxlength=ANSWER_MAX_LENGTH))
        else:
            choices = [SelectChoice(YES, _("Ja")), SelectChoice(NO, _("Nei"))] if question.kind == "yesno" else \
                [SelectChoice(choice) for choice in question.choices]
            attrs[f"q_{question.id}"] = RadioField(label, choices=choices, validate_choice=False,
                                                   validators=[OneOf([choice.value for choice in choices], required)])
        question_ids.append(question.id)
    if purpose == "register":
        attrs["consent"] = BooleanField(
            _("Jeg har lest personvernerklæringen og samtykker til at opplysningene mine behandles slik den beskriver."),
            validators=[_consent_given], render_kw={"required": True},
        )
    elif purpose == "walk-in":
        attrs["consent"] = BooleanField(_("Personen har fått personverninformasjonen og samtykker"),
                                        validators=[_consent_confirmed], render_kw={"required": True})
    attrs["question_ids"] = question_ids
    attrs["detail_names"] = names
    return type("GeneratedRegistrationForm", (RegistrationForm,), attrs)


def _consent_given(form: FlaskForm, field: Field) -> None:
    if not field.data:
        raise ValidationError(_("Du må samtykke for å kunne melde deg på."))


def _consent_confirmed(form: FlaskForm, field: Field) -> None:
    if not field.data:
        raise ValidationError(_("Bekreft at personen samtykker."))


def with_badge_fields(form_class: type[RegistrationForm], stands: list[tuple[int, str]],
                      automatic_role: str | None) -> type[RegistrationForm]:
    """The organisers' form with the badge's role and the stand of an exhibitor's staff.

    ``stands`` are (id, organisation) of the event's stands; ``automatic_role`` is what the data
    gives this person when no role is chosen (None for someone not registered yet), shown as
    "Automatisk (Foredragsholder)". Attendees never see these fields.
    """
    automatic = (_("Automatisk (%(role)s)", role=ROLE_LABELS[automatic_role]) if automatic_role
                 else _("Automatisk"))
    role_choices = [SelectChoice(AUTOMATIC, automatic)] + [SelectChoice(key, label) for key, label in ROLE_LABELS.items()]
    stand_choices = [SelectChoice("", _("Ingen stand"))] + [SelectChoice(str(number), name) for number, name in stands]
    attrs: dict[str, Any] = {
        "role": SelectField(_("Rolle på navneskiltet"), choices=role_choices, default=AUTOMATIC, validate_choice=False,
                            validators=[OneOf([choice.value for choice in role_choices], False)]),
        "stand_id": SelectField(_("Stand (for utstillernes folk)"), choices=stand_choices, default="",
                                validate_choice=False,
                                validators=[OneOf([choice.value for choice in stand_choices], False)]),
        "detail_names": [*form_class.detail_names, "role", "stand_id"],
    }
    return type("OrganiserRegistrationForm", (form_class,), attrs)


def form_data_of(registration: Registration) -> dict[str, Any]:
    """A registration's values as form data (for the edit pages)."""
    data = {name: getattr(registration, name) for name in
            ("name", "email", "organisation", "municipality", "job_title", "dietary", "accessibility", "lunch")}
    data["role"] = registration.role or AUTOMATIC
    data["stand_id"] = str(registration.stand_id) if registration.stand_id else ""
    for key, value in (registration.answers or {}).items():
        data[f"q_{key}"] = value
    return data


# --- The organisers' forms --------------------------------------------------------------------

FIELD_MODE_LABELS = {REQUIRED: _l("Påkrevd"), OPTIONAL: _l("Valgfritt"), HIDDEN: _l("Ikke spør")}


def build_settings_form_class() -> type[FlaskForm]:
    """Capacity, waiting list, opening hours, field modes and the privacy notice."""
    attrs: dict[str, Any] = {
        "capacity": IntegerField(_l("Antall plasser"), validators=[
            InputRequired(_l("Skriv antall plasser.")),
            NumberRange(min=0, max=100_000, message=_l("Antall plasser må være mellom 0 og 100 000."))]),
        "waiting_list": BooleanField(_l("Venteliste når det er fullt")),
        "opens_at": LocalDateTimeField(_l("Påmeldingen åpner"), validators=[Optional()]),
        "closes_at": LocalDateTimeField(_l("Påmeldingen stenger"), validators=[Optional()]),
        "privacy_notice": TextAreaField(_l("Personvernerklæring"), validators=[_text_rule(5000, False, True)],
                                        render_kw={"rows": 6}),
    }
    for spec in CONFIGURABLE_FIELDS:
        attrs[f"mode_{spec.name}"] = SelectField(
            str(spec.label), choices=[SelectChoice(mode, FIELD_MODE_LABELS[mode]) for mode in spec.modes],
            default=spec.default_mode)
    return type("RegistrationSettingsForm", (FlaskForm,), attrs)


class QuestionForm(FlaskForm):
    """An organiser's extra question: free text, yes/no, or one of several answers."""

    label = StringField(_l("Spørsmål"), validators=[_text_rule(300, True)])
    kind = SelectField(_l("Svartype"), default="text", choices=[
        SelectChoice("text", _l("Fritekst")), SelectChoice("yesno", _l("Ja/nei")),
        SelectChoice("choice", _l("Velg ett av flere svar"))])
    choices = TextAreaField(_l("Svaralternativer (ett per linje, bare for «Velg ett av flere»)"),
                            validators=[_text_rule(2000, False, True)], render_kw={"rows": 4})
    required = BooleanField(_l("Påkrevd"))

    def validate_choices(self, field: Field) -> None:
        if self.kind.data == "choice" and len(self.choice_list()) < 2:
            raise ValidationError(_("Skriv minst to svaralternativer, ett per linje."))

    def choice_list(self) -> list[str]:
        seen: list[str] = []
        for line in (self.choices.data or "").splitlines():
            line = line.strip()[:200]
            if line and line not in seen:
                seen.append(line)
        return seen


class LostLinkForm(FlaskForm):
    """"I lost my ticket link": the address to send a fresh one to."""

    email = EmailField(_l("E-post"), validators=[_email_rule(True)],
                       render_kw={"autocomplete": "email", "required": True, "aria-required": "true"})
