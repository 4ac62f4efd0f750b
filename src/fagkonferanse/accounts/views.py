"""Login, logout, change of password and ending logins on other browsers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.security import check_password_hash

from ..extensions import db
from ..ratelimits import client_address, limited
from . import sessions
from .forms import ChangePasswordForm, LoginForm
from .guard import safe_next
from .services import authenticate, set_password

bp = Blueprint("accounts", __name__)


def _address_and_account() -> str:
    """Who a password guesser is: the address and the account it tries."""
    return f"{client_address()}/{(request.form.get('email') or '').strip().lower()[:254]}"


@bp.route("/login", methods=["GET", "POST"])
@limited("login", key=_address_and_account, only_failures=True)
@limited("login-address", only_failures=True)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        organiser = authenticate(form.email.data, form.password.data)
        if organiser is not None:
            session.clear()  # a fresh CSRF token for the organiser: nothing carried over from before
            response = redirect(safe_next(request.args.get("next"), url_for("admin.dashboard")))
            sessions.start(organiser, response)
            return response
        form.password.errors.append(_("Feil e-post eller passord."))
    return render_template("accounts/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout():
    response = redirect(url_for("events.home"))
    sessions.end(getattr(current_user, "current_session", None), response)
    session.clear()
    flash(_("Du er logget ut."), "success")
    return response


@bp.route("/admin/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Passordet stemmer ikke."))
        elif check_password_hash(current_user.password_hash, form.new_password.data):
            form.new_password.errors.append(_("Velg et annet passord enn det du har nå."))
        else:
            set_password(current_user, form.new_password.data)
            current_user.must_change_password = False
            ended = sessions.end_all(current_user, except_for=current_user.current_session)
            db.session.commit()
            flash(_("Passordet er endret.") + (" " + _("Du er logget ut i alle andre nettlesere.") if ended else ""),
                  "success")
            return redirect(url_for("admin.dashboard"))
    return _password_page(form), 200 if request.method == "GET" else 400


@bp.post("/admin/password/logout-everywhere")
def logout_everywhere():
    """End every login of this organiser, this browser's too (a lost phone, a shared computer)."""
    sessions.end_all(current_user)
    db.session.commit()
    response = redirect(url_for("accounts.login"))
    sessions.end(None, response)
    session.clear()
    flash(_("Du er logget ut i alle nettlesere."), "success")
    return response


def _password_page(form: ChangePasswordForm) -> str:
    return render_template("accounts/password.html", form=form, logins=sessions.sessions_of(current_user),
                           this_login=current_user.current_session, describe_browser=sessions.describe_browser)
