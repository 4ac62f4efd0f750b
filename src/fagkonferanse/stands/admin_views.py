"""Stands at /admin/stands: which organisation stands where."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from ..events.models import Event
from ..events.services import current_event_or_404, organisations
from ..extensions import db
from ..venue.services import locations
from .editing import StandDetails, delete_stand, save_stand
from ..formfields import ConfirmForm
from .forms import StandForm
from ..uploads.images import ImageRefused
from .models import Stand
from .services import stands

bp = Blueprint("stands_admin", __name__, url_prefix="/admin/stands")


@bp.get("")
def index():
    event = current_event_or_404()
    return render_template("admin/stands/index.html", event=event, stands=stands(event))


@bp.route("/new", methods=["GET", "POST"])
def create():
    event = current_event_or_404()
    return _handle_form(event, None, _stand_form(event))


@bp.route("/<int:stand_id>/edit", methods=["GET", "POST"])
def edit(stand_id: int):
    event = current_event_or_404()
    stand = _stand_or_404(event, stand_id)
    form = _stand_form(event)
    if request.method == "GET":
        form.organisation.data = stand.organisation_id
        form.location.data = stand.location_id
        form.short_text.data, form.short_text_en.data = stand.short_text, stand.short_text_en
        form.accent_colour.data = stand.accent_colour
    return _handle_form(event, stand, form)


@bp.route("/<int:stand_id>/delete", methods=["GET", "POST"])
def delete(stand_id: int):
    event = current_event_or_404()
    stand = _stand_or_404(event, stand_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = stand.organisation.name
        delete_stand(event, stand)
        db.session.commit()
        flash(_("Standen til %(name)s er slettet.", name=name), "success")
        return redirect(url_for(".index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/stands/delete.html", event=event, stand=stand, form=form), status


def _handle_form(event: Event, stand: Stand | None, form: StandForm):
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("admin/stands/form.html", event=event, stand=stand, form=form), status
    upload = form.logo.data
    details = StandDetails(organisation_id=form.organisation.data, new_organisation=form.new_organisation.data or "",
                           location_id=form.location.data, short_text=form.short_text.data or "",
                           short_text_en=form.short_text_en.data or "", accent_colour=form.accent_colour.data or "",
                           logo=upload.read() if upload is not None and getattr(upload, "filename", "") else None,
                           remove_logo=form.remove_logo.data)
    try:
        saved = save_stand(event, stand, details)
    except ImageRefused as refused:
        db.session.rollback()
        form.logo.errors.append(str(refused))
        return render_template("admin/stands/form.html", event=event, stand=stand, form=form), 400
    db.session.commit()
    flash(_("Standen til %(name)s er lagret.", name=saved.organisation.name), "success")
    return redirect(url_for(".index", _anchor=f"stand-{saved.id}"), 303)


def _stand_form(event: Event) -> StandForm:
    form = StandForm()
    form.organisation.choices = [SelectChoice("", _("Ny virksomhet (skriv navnet under)"))] + [
        SelectChoice(org.id, org.name) for org in organisations()
    ]
    places = sorted(locations(event), key=lambda place: place.floor)  # by floor, each in name order
    form.location.choices = [SelectChoice("", _("Ikke plassert ennå"))] + [
        SelectChoice(place.id, _("%(name)s (%(floor)s. etasje)", name=place.name, floor=place.floor))
        for place in places
    ]
    return form


def _stand_or_404(event: Event, stand_id: int) -> Stand:
    stand = db.session.get(Stand, stand_id)
    if stand is None or stand.event_id != event.id:
        abort(404)
    return stand
