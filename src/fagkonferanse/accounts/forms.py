"""Login, password and organiser forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..formfields import strip
from .services import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = StringField(_l("E-post"), validators=[DataRequired(), Length(max=254)],
                        render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Passord"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Nåværende passord"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("Nytt passord"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Gjenta nytt passord"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Passordene er ikke like."))],
        render_kw={"autocomplete": "new-password"},
    )


class OrganiserForm(FlaskForm):
    """A new organiser: who they are; the password is made for them and shown once."""

    email = StringField(_l("E-post"), filters=[strip],
                        validators=[DataRequired(message=_l("Skriv e-postadressen.")), Length(max=254),
                                    Email(message=_l("Skriv en gyldig e-postadresse."))],
                        render_kw={"autocomplete": "off"})
    name = StringField(_l("Navn"), filters=[strip], validators=[Length(max=200)])
