"""Organiser accounts at /admin/organisers: list, add, deactivate, let in again, remove."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..audit.services import record
from ..extensions import db
from ..formfields import ConfirmForm
from .forms import OrganiserForm
from .models import Organiser, OrganiserSession
from .services import AccountError, all_organisers, create_organiser, random_password, remove_organiser, set_active

bp = Blueprint("organisers", __name__, url_prefix="/admin/organisers")


@bp.get("")
def index():
    login_counts = dict(db.session.execute(
        db.select(OrganiserSession.organiser_id, db.func.count(OrganiserSession.id))
        .group_by(OrganiserSession.organiser_id)).all())
    return render_template("admin/organisers/index.html", organisers=all_organisers(), login_counts=login_counts,
                           confirm=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = OrganiserForm()
    if form.validate_on_submit():
        password = random_password()
        try:
            organiser = create_organiser(form.email.data, password, form.name.data or "", temporary=True)
        except AccountError as error:
            form.email.errors.append(_message(error))
        else:
            db.session.flush()
            record("create", "organiser", organiser.id, _("Arrangør %(email)s lagt til", email=organiser.email))
            db.session.commit()
            # Shown once, on this answer only (never stored, never in a URL).
            return render_template("admin/organisers/created.html", organiser=organiser, password=password)
    return render_template("admin/organisers/form.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/<int:organiser_id>/deactivate")
def deactivate(organiser_id: int):
    organiser = _organiser_or_404(organiser_id)
    return _apply(organiser, lambda: set_active(organiser, False, by=current_user), "update",
                  _("Arrangør %(email)s deaktivert", email=organiser.email),
                  _("%(email)s er deaktivert og logget ut overalt.", email=organiser.email))


@bp.post("/<int:organiser_id>/activate")
def activate(organiser_id: int):
    organiser = _organiser_or_404(organiser_id)
    return _apply(organiser, lambda: set_active(organiser, True), "update",
                  _("Arrangør %(email)s aktivert igjen", email=organiser.email),
                  _("%(email)s kan logge inn igjen.", email=organiser.email))


@bp.route("/<int:organiser_id>/remove", methods=["GET", "POST"])
def remove(organiser_id: int):
    organiser = _organiser_or_404(organiser_id)
    if request.method == "POST":
        return _apply(organiser, lambda: remove_organiser(organiser, by=current_user), "delete",
                      _("Arrangør %(email)s fjernet", email=organiser.email),
                      _("Kontoen til %(email)s er fjernet.", email=organiser.email))
    return render_template("admin/organisers/remove.html", organiser=organiser, form=ConfirmForm())


def _apply(organiser: Organiser, action, audit_action: str, summary: str, done: str):
    """Change the account, log it and go back to the list; or say why not (no change made)."""
    if not ConfirmForm().validate_on_submit():
        flash(_("Skjemaet var utløpt. Prøv igjen."), "error")
        return redirect(url_for(".index"), 303)
    organiser_id = organiser.id
    try:
        action()
    except AccountError as error:
        db.session.rollback()
        flash(_message(error), "error")
        return redirect(url_for(".index"), 303)
    record(audit_action, "organiser", organiser_id, summary)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for(".index"), 303)


def _organiser_or_404(organiser_id: int) -> Organiser:
    organiser = db.session.get(Organiser, organiser_id) if organiser_id else None
    if organiser is None:
        abort(404)
    return organiser


def _message(error: AccountError) -> str:
    """The reason an account could not be changed, in the organiser's language."""
    messages = {
        "exists": _("Det finnes allerede en arrangør med denne e-postadressen."),
        "not_email": _("Skriv en gyldig e-postadresse."),
        "own_account": _("Du kan ikke deaktivere eller fjerne din egen konto."),
        "last_active": _("Den siste aktive arrangøren kan ikke deaktiveres eller fjernes."),
    }
    return messages.get(error.code, str(error))
