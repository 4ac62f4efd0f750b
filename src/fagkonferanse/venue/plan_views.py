"""The floor-plan editor at /admin/plans: floors, their drawings, the places' shapes, the stands.

Organisers only (every /admin page needs a login). Each action is an ordinary form post with a
CSRF token that redirects back to the editor (303); plan-editor.js only fills those forms in
from the drawing, so the keyboard, a screen reader and a browser without scripts get the same
result as a mouse.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from ..events.models import Event
from ..events.services import current_event_or_404
from ..extensions import db
from ..formfields import ConfirmForm
from ..i18n import current_language
from ..stands.models import Stand
from ..stands.services import stands
from ..uploads.images import ImageRefused
from . import plan_editing as editing
from .models import Floor, Location
from .plan import building_plans
from .plan_forms import NEW_PLACE, FloorForm, ImageForm, NewFloorForm, PositionForm, ShapeForm
from .plan_svg import Drawing, render_plan
from .services import DuplicateName, LocationDetails, kind_label, save_location

bp = Blueprint("plans_admin", __name__, url_prefix="/admin/plans")
EDITOR = "admin/venue/plan_editor.html"


@bp.get("")
def index():
    event = current_event_or_404()
    form = NewFloorForm()
    form.building.data = event.building
    return _index(event, form)


@bp.post("/new")
def create_floor():
    event = current_event_or_404()
    form = NewFloorForm()
    if not form.validate_on_submit():
        return _index(event, form, 400)
    floor = editing.ensure_floor(event, form.building.data, form.number.data)
    db.session.commit()
    return redirect(url_for(".edit", floor_id=floor.id), 303)


@bp.get("/<int:floor_id>")
def edit(floor_id: int):
    event = current_event_or_404()
    return _editor(event, _floor_or_404(event, floor_id))


@bp.post("/<int:floor_id>/shape")
def save_shape(floor_id: int):
    event = current_event_or_404()
    floor = _floor_or_404(event, floor_id)
    form = _shape_form(floor)
    if not form.validate_on_submit():
        return _editor(event, floor, 400, shape_form=form)
    try:
        if form.location.data == NEW_PLACE:
            place = save_location(event, None, LocationDetails(name=form.new_name.data, building=floor.building,
                                                               floor=floor.number, kind=form.new_kind.data))
        else:
            place = _location_or_404(event, int(form.location.data))
        editing.save_outline(event, floor, place, form.points.data)
    except (DuplicateName, editing.PlanError) as error:
        db.session.rollback()
        (form.new_name if isinstance(error, DuplicateName) else form.points).errors.append(str(error))
        return _editor(event, _floor_or_404(event, floor_id), 400, shape_form=form)
    db.session.commit()
    flash(_("%(name)s er tegnet på planen.", name=place.name), "success")
    return redirect(url_for(".edit", floor_id=floor.id, _anchor="plan-editor"), 303)


@bp.post("/<int:floor_id>/shape/<int:location_id>/clear")
def clear_shape(floor_id: int, location_id: int):
    event = current_event_or_404()
    floor = _floor_or_404(event, floor_id)
    place = _location_or_404(event, location_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    editing.clear_outline(event, place)
    db.session.commit()
    flash(_("%(name)s er tatt av planen (stedet finnes fortsatt).", name=place.name), "success")
    return redirect(url_for(".edit", floor_id=floor.id), 303)


@bp.post("/<int:floor_id>/place")
def place_stand(floor_id: int):
    event = current_event_or_404()
    floor = _floor_or_404(event, floor_id)
    form = _position_form(event)
    if not form.validate_on_submit():
        return _editor(event, floor, 400, position_form=form)
    stand = _stand_or_404(event, form.stand.data)
    try:
        editing.place_stand(event, floor, stand, form.x.data, form.y.data)
    except editing.PlanError as error:
        db.session.rollback()
        form.x.errors.append(str(error))
        return _editor(event, _floor_or_404(event, floor_id), 400, position_form=form)
    db.session.commit()
    flash(_("Standen til %(name)s er flyttet til %(x)s, %(y)s (%(place)s).", name=stand.organisation.name,
            x=f"{stand.plan_x:g}", y=f"{stand.plan_y:g}", place=stand.location.name), "success")
    return redirect(url_for(".edit", floor_id=floor.id, _anchor=f"stand-marker-{stand.id}"), 303)


@bp.post("/<int:floor_id>/stands/<int:stand_id>/clear")
def clear_stand(floor_id: int, stand_id: int):
    event = current_event_or_404()
    floor = _floor_or_404(event, floor_id)
    stand = _stand_or_404(event, stand_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    editing.clear_position(event, stand)
    db.session.commit()
    flash(_("Standen til %(name)s står midt på plassen sin igjen.", name=stand.organisation.name), "success")
    return redirect(url_for(".edit", floor_id=floor.id, _anchor=f"stand-marker-{stand.id}"), 303)


@bp.post("/<int:floor_id>/image")
def upload_image(floor_id: int):
    event = current_event_or_404()
    floor = _floor_or_404(event, floor_id)
    form = ImageForm()
    if not form.validate_on_submit():
        return _editor(event, floor, 400, image_form=form)
    upload = form.image.data
    if upload is None or not getattr(upload, "filename", ""):
        form.image.errors.append(_("Velg en fil å laste opp."))
        return _editor(event, floor, 400, image_form=form)
    try:
        off = editing.set_floor_image(event, floor, upload.read())
    except ImageRefused as refused:
        db.session.rollback()
        form.image.errors.append(str(refused))
        return _editor(event, _floor_or_404(event, floor_id), 400, image_form=form)
    db.session.commit()
    flash(_("Tegningen er lagt under planen."), "success")
    if off:
        flash(_("Disse ligger nå utenfor planen og bør tegnes eller plasseres på nytt: %(names)s.",
                names=", ".join(off)), "error")
    return redirect(url_for(".edit", floor_id=floor.id), 303)


@bp.post("/<int:floor_id>/image/remove")
def remove_image(floor_id: int):
    event = current_event_or_404()
    floor = _floor_or_404(event, floor_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    editing.remove_floor_image(event, floor)
    db.session.commit()
    flash(_("Tegningen er fjernet; formene står igjen."), "success")
    return redirect(url_for(".edit", floor_id=floor.id), 303)


@bp.post("/<int:floor_id>/settings")
def save_settings(floor_id: int):
    event = current_event_or_404()
    floor = _floor_or_404(event, floor_id)
    form = FloorForm()
    if not form.validate_on_submit():
        return _editor(event, floor, 400, floor_form=form)
    try:
        editing.save_floor_settings(event, floor, editing.FloorSettings(
            form.width.data, form.height.data, form.schematic.data, form.note.data or "", form.note_en.data or ""))
    except editing.PlanError as error:
        db.session.rollback()
        form.width.errors.append(str(error))
        return _editor(event, _floor_or_404(event, floor_id), 400, floor_form=form)
    db.session.commit()
    flash(_("Planen er lagret."), "success")
    return redirect(url_for(".edit", floor_id=floor.id), 303)


# --- Pages ------------------------------------------------------------------------------------------


def _index(event: Event, form: NewFloorForm, status: int = 200):
    plans = {(plan.building, plan.number): plan for plan in building_plans(event, current_language())}
    rows = []
    for floor in editing.floors(event):
        places = editing.places_on(floor)
        plan = plans.get((floor.building, floor.number))
        rows.append((floor, sum(1 for place in places if place.outline), len(places),
                     len(plan.markers) + len(plan.undrawn) if plan else 0))
    return render_template("admin/venue/plans.html", event=event, rows=rows, form=form), status


def _editor(event: Event, floor: Floor, status: int = 200, **forms):
    """The editor, with a refused form (and its errors) in place of its blank twin."""
    plans = building_plans(event, current_language())
    plan = next(plan for plan in plans if (plan.building, plan.number) == (floor.building, floor.number))
    floor_form = forms.get("floor_form") or FloorForm(obj=floor)
    page = dict(
        event=event, floor=floor, plan=plan,
        svg=render_plan(plan, Drawing(id_prefix="plan-editor", links=False, editable=True)),
        places=editing.places_on(floor), on_floor=editing.stands_on(floor),
        shape_form=forms.get("shape_form") or _shape_form(floor),
        position_form=forms.get("position_form") or _position_form(event),
        image_form=forms.get("image_form") or ImageForm(), floor_form=floor_form,
        confirm=ConfirmForm(), kind_label=kind_label,
    )
    return render_template(EDITOR, **page), status


def _shape_form(floor: Floor) -> ShapeForm:
    form = ShapeForm()
    form.location.choices = [SelectChoice(str(place.id), place.name + ("" if place.outline else _(" (ikke tegnet)")))
                             for place in editing.places_on(floor)]
    form.location.choices.append(SelectChoice(NEW_PLACE, _("Nytt sted …")))
    return form


def _position_form(event: Event) -> PositionForm:
    form = PositionForm()
    form.stand.choices = [SelectChoice(stand.id, stand.organisation.name) for stand in stands(event)]
    return form


def _floor_or_404(event: Event, floor_id: int) -> Floor:
    floor = db.session.get(Floor, floor_id)
    if floor is None or floor.event_id != event.id:
        abort(404)
    return floor


def _location_or_404(event: Event, location_id: int) -> Location:
    place = db.session.get(Location, location_id)
    if place is None or place.event_id != event.id:
        abort(404)
    return place


def _stand_or_404(event: Event, stand_id: int) -> Stand:
    stand = db.session.get(Stand, stand_id)
    if stand is None or stand.event_id != event.id:
        abort(404)
    return stand
