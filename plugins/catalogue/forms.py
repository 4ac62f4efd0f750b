"""Forms of the catalogue (Flask-WTF: every form carries a CSRF token).

The sheet form has a textarea per template section in the plain-text format of
``textformat`` (blank line between paragraphs, "- " for list items, two more spaces per level).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from fagkonferanse import NumberRange, strip

from .editing import SECTION
from .exhibitors import DEFAULT_DAYS, MAX_DAYS
from .models import STATUS_HIDDEN, STATUS_PUBLISHED
from .sections import SHEET_SECTIONS
from .textformat import TextFormatError, blocks_to_text, text_to_blocks

MAX_SECTION = 20_000
MAX_GROUPS = 20

FORMAT_HINT = _l("Skriv en tom linje mellom avsnitt. Start en linje med «- » for et punkt i en liste, "
                 "og med to mellomrom foran («  - ») for et underpunkt.")



def valid_blocks(form, field) -> None:
    """The section text must convert to blocks; the message names the line."""
    try:
        text_to_blocks(field.data or "")
    except TextFormatError as error:
        line = str(error).split(":")[0].removeprefix("line ")
        raise ValidationError(_l("Linje %(line)s: teksten kan ikke lagres slik (for dype lister eller "
                                 "kontrolltegn).", line=line)) from error


def valid_groups(form, field) -> None:
    groups = _lines(field.data)
    if len(groups) > MAX_GROUPS:
        raise ValidationError(_l("Høyst %(count)s målgrupper.", count=MAX_GROUPS))
    if any(len(group) > 300 for group in groups):
        raise ValidationError(_l("En målgruppe kan være høyst 300 tegn."))


def _lines(text: str | None) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


class SheetContentForm(FlaskForm):
    """The editable content of a sheet; section fields are added below, one per heading."""

    project_name = StringField(_l("Prosjektnavn"), filters=[strip], validators=[
        DataRequired(message=_l("Prosjektet trenger et navn.")), Length(max=300)])
    funding_scheme = StringField(_l("Tilskuddsordning"), filters=[strip], validators=[Optional(), Length(max=200)])
    funding_body = StringField(_l("Tilskuddsgiver"), filters=[strip], validators=[Optional(), Length(max=300)])
    target_groups = TextAreaField(_l("Målgrupper"), validators=[Optional(), Length(max=6000), valid_groups])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._size_textareas()

    def _size_textareas(self) -> None:
        """Tall enough for the text, so a long section can be read without scrolling a tiny box."""
        for field in self.section_fields():
            lines = sum(1 + len(line) // 60 for line in (field.data or "").splitlines())
            field.render_kw = {"rows": min(30, max(5, lines + 1)), "aria-describedby": "format-hint"}

    def section_fields(self) -> list:
        return [self[f"section_{key}"] for key, _heading in SHEET_SECTIONS]

    def fill(self, values: dict[str, Any], version: int) -> None:
        """Show flat content fields (``editing.content``) in the form."""
        self.project_name.data = values["project_name"]
        self.funding_scheme.data = values["funding_scheme"] or ""
        self.funding_body.data = values["funding_body"] or ""
        self.target_groups.data = "\n".join(values["target_groups"])
        for key, _heading in SHEET_SECTIONS:
            self[f"section_{key}"].data = blocks_to_text(values[SECTION + key])
        self.version.data = version
        self._size_textareas()

    def values(self) -> dict[str, Any]:
        """The submitted content as flat fields (call after validation)."""
        values: dict[str, Any] = {
            "project_name": self.project_name.data,
            "funding_scheme": self.funding_scheme.data or None,
            "funding_body": self.funding_body.data or None,
            "target_groups": _lines(self.target_groups.data),
        }
        for key, _heading in SHEET_SECTIONS:
            values[SECTION + key] = text_to_blocks(self[f"section_{key}"].data or "")
        return values


for _key, _heading in SHEET_SECTIONS:
    setattr(SheetContentForm, f"section_{_key}",
            # strip_whitespace=False: Python counts control characters such as \x1f as whitespace,
            # and a section of only those must reach valid_blocks, not be waved through as empty.
            TextAreaField(_heading, validators=[Optional(strip_whitespace=False), Length(max=MAX_SECTION),
                                                valid_blocks]))


class OrganiserSheetForm(SheetContentForm):
    """What an organiser edits: the content, plus visibility and the stand (choices per event)."""

    status = SelectField(_l("Synlighet"), choices=[SelectChoice(STATUS_PUBLISHED, _l("Vises i katalogen")),
                                                   SelectChoice(STATUS_HIDDEN, _l("Skjult"))])
    stand = SelectField(_l("Vises på standen til"), coerce=lambda v: None if v in (None, "", "None") else int(v))


class ExhibitorForm(SheetContentForm):
    """What an exhibitor sends through a private link: the content, and who they are."""

    submitted_by = StringField(_l("Ditt navn"), filters=[strip], validators=[
        DataRequired(message=_l("Skriv navnet ditt, så arrangøren vet hvem forslaget er fra.")), Length(max=200)])
    submitted_email = StringField(_l("Din e-postadresse (valgfritt)"), filters=[strip], validators=[
        Optional(), Email(message=_l("Skriv en gyldig e-postadresse.")), Length(max=254)])
    message = TextAreaField(_l("Melding til arrangøren (valgfritt)"), validators=[Optional(), Length(max=4000)])


class LinkForm(FlaskForm):
    recipient = StringField(_l("Sendes til (navn eller e-post, for din egen oversikt)"), filters=[strip],
                            validators=[Optional(), Length(max=300)])
    days = IntegerField(_l("Gyldig i antall dager"), default=DEFAULT_DAYS, validators=[
        InputRequired(message=_l("Skriv et antall dager.")),
        NumberRange(min=1, max=MAX_DAYS, message=_l("Mellom 1 og %(max)s dager.", max=MAX_DAYS))])


class ActionForm(FlaskForm):
    """A button that changes something (revoke a link): the CSRF token is the whole form."""


class ApproveForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class RejectForm(FlaskForm):
    note = TextAreaField(_l("Begrunnelse (valgfritt, for arrangørene)"), validators=[Optional(), Length(max=2000)])
