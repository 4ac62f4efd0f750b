"""Login, logout and change of password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash

from ..extensions import db
from ..ratelimits import client_address, limited
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
            db.session.commit()
            login_user(organiser)
            return redirect(safe_next(request.args.get("next"), url_for("admin.dashboard")))
        form.password.errors.append(_("Feil e-post eller passord."))
    return render_template("accounts/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("Du er logget ut."), "success")
    return redirect(url_for("events.home"))


@bp.route("/admin/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not check_password_hash(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Passordet stemmer ikke."))
        else:
            set_password(current_user, form.new_password.data)
            db.session.commit()
            flash(_("Passordet er endret."), "success")
            return redirect(url_for("admin.dashboard"))
    return render_template("accounts/password.html", form=form), 200 if request.method == "GET" else 400
