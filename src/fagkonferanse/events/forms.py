"""The conference's own texts (Flask-WTF: the form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

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
