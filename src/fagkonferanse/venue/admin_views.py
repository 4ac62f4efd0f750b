"""Locations at /admin/locations: the venue's buildings, floors, rooms, corridors and stairways."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..events.models import Event
from ..events.services import current_event_or_404
from ..extensions import db
from ..formfields import ConfirmForm
from .forms import LocationForm
from .models import Location
from .services import (
    DuplicateName,
    LocationDetails,
    delete_location,
    kind_label,
    locations,
    save_location,
    usage,
)

bp = Blueprint("venue_admin", __name__, url_prefix="/admin/locations")


@bp.get("")
def index():
    event = current_event_or_404()
    rows = locations(event)
    # One table per building, in the list's (Norwegian) order: Jinja's groupby would re-sort by code point.
    buildings = [(building, list(places)) for building, places in groupby(rows, key=lambda place: place.building)]
    return render_template("admin/venue/index.html", event=event, buildings=buildings,
                           usage={place.id: usage(place) for place in rows}, kind_label=kind_label)


@bp.route("/new", methods=["GET", "POST"])
def create():
    event = current_event_or_404()
    form = LocationForm()
    if request.method == "GET":
        form.building.data = event.building
    return _handle_form(event, None, form)


@bp.route("/<int:location_id>/edit", methods=["GET", "POST"])
def edit(location_id: int):
    event = current_event_or_404()
    location = _location_or_404(event, location_id)
    return _handle_form(event, location, LocationForm(obj=location))


@bp.route("/<int:location_id>/delete", methods=["GET", "POST"])
def delete(location_id: int):
    event = current_event_or_404()
    location = _location_or_404(event, location_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = location.name
        delete_location(event, location)
        db.session.commit()
        flash(_("Stedet %(name)s er slettet.", name=name), "success")
        return redirect(url_for(".index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/venue/delete.html", event=event, location=location, form=form,
                           usage=usage(location)), status


def _handle_form(event: Event, location: Location | None, form: LocationForm):
    template = "admin/venue/form.html"
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template(template, event=event, location=location, form=form), status
    details = LocationDetails(name=form.name.data, building=form.building.data, floor=form.floor.data,
                              kind=form.kind.data, description=form.description.data or "",
                              name_en=form.name_en.data or "")
    try:
        saved = save_location(event, location, details)
        db.session.commit()
    except DuplicateName as error:
        db.session.rollback()
        form.name.errors.append(str(error))
        return render_template(template, event=event, location=location, form=form), 400
    flash(_("Stedet %(name)s er lagret.", name=saved.name), "success")
    return redirect(url_for(".index", _anchor=f"location-{saved.id}"), 303)


def _location_or_404(event: Event, location_id: int) -> Location:
    location = db.session.get(Location, location_id)
    if location is None or location.event_id != event.id:
        abort(404)
    return location
