"""The programme editor at /admin/programme: the day as a timed list, and one item at a time.

Each view reads top to bottom: load the event and item → validate the form → plan against the
rules → (preview) → write and record → redirect. Nothing is written before the last step.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from ...events.models import Event
from ...events.services import current_event_or_404, organisations
from ...extensions import db
from ...venue.services import locations
from .. import rules
from ..models import ProgrammeItem
from ..services import programme_items, speakers
from .editing import (
    ProgrammeChanged,
    Proposal,
    Refused,
    StaleEdit,
    delete_item,
    move_items,
    plan_save,
    plan_shift,
    programme_conflicts,
    save_item,
    swap,
)
from .editing import fingerprint as plan_fingerprint
from ...formfields import ConfirmForm
from .forms import ItemForm, MoveForm, ShiftForm
from .labels import kind_label

bp = Blueprint("programme_admin", __name__, url_prefix="/admin/programme")


@bp.get("")
def index():
    event = current_event_or_404()
    return render_template(
        "admin/programme/index.html", event=event, items=programme_items(event),
        conflicts=programme_conflicts(event), kind_label=kind_label,
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    event = current_event_or_404()
    form = _item_form(event)
    if request.method == "GET":
        form.start.data = _suggested_start(event)
    return _handle_item_form(event, None, form)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
def edit(item_id: int):
    event = current_event_or_404()
    item = _item_or_404(event, item_id)
    form = _item_form(event)
    if request.method == "GET":
        form.fill_from(item)
    return _handle_item_form(event, item, form)


@bp.post("/<int:item_id>/move")
def move(item_id: int):
    """The "earlier"/"later" buttons: swap with the neighbour in the same location."""
    event = current_event_or_404()
    item = _item_or_404(event, item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return _index_with_error(event, _("Flyttingen kunne ikke leses. Last siden på nytt og prøv igjen."), 400)
    try:
        swap(event, item, form.direction.data, form.version.data)
        db.session.commit()
    except StaleEdit:
        return _index_with_error(event, _stale_message(item), 409)
    except (StaleDataError, ProgrammeChanged):
        db.session.rollback()
        return _index_with_error(event, _programme_changed_message(), 409)
    except rules.CannotMove as error:
        return _index_with_error(event, str(error), 400)
    except Refused as refused:
        db.session.rollback()
        return _index_with_error(event, " ".join(v.message for v in refused.violations), 400)
    flash(_("«%(title)s» er flyttet.", title=item.title), "success")
    return redirect(url_for(".index", _anchor=f"item-{item.id}"), 303)


@bp.route("/<int:item_id>/shift", methods=["GET", "POST"])
def shift(item_id: int):
    """Move an item, or it and the rest of the day, by some minutes: previewed, then confirmed."""
    event = current_event_or_404()
    item = _item_or_404(event, item_id)
    form = ShiftForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("admin/programme/shift.html", event=event, item=item, form=form), status
    moves, violations = plan_shift(event, item, form.minutes.data, form.scope.data == "following")
    fingerprint = plan_fingerprint(moves)
    preview = {"event": event, "item": item, "form": form, "moves": moves, "violations": violations,
               "fingerprint": fingerprint}
    if not moves or violations:
        return render_template("admin/programme/shift_preview.html", **preview), 400
    if form.decision.data != "shift":
        return render_template("admin/programme/shift_preview.html", **preview), 200
    if form.plan.data != fingerprint:
        return render_template("admin/programme/shift_preview.html", changed_since=True, **preview), 409
    minutes = form.minutes.data
    summary = ngettext("Flyttet %(num)s punkt %(minutes)s min fra «%(title)s»",
                       "Flyttet %(num)s punkter %(minutes)s min fra «%(title)s»",
                       len(moves), minutes=f"{minutes:+d}", title=item.title)
    try:
        move_items(event, moves, summary, item)
        db.session.commit()
    except (StaleDataError, ProgrammeChanged):
        db.session.rollback()
        return _index_with_error(event, _programme_changed_message(), 409)
    flash(ngettext("%(num)s punkt er flyttet.", "%(num)s punkter er flyttet.", len(moves)), "success")
    return redirect(url_for(".index", _anchor=f"item-{item.id}"), 303)


@bp.route("/<int:item_id>/delete", methods=["GET", "POST"])
def delete(item_id: int):
    event = current_event_or_404()
    item = _item_or_404(event, item_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = item.title
        delete_item(event, item)
        db.session.commit()
        flash(_("«%(title)s» er slettet.", title=title), "success")
        return redirect(url_for(".index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/programme/delete.html", event=event, item=item, form=form), status


# --- The add/edit flow ---------------------------------------------------------------------------


def _handle_item_form(event: Event, item: ProgrammeItem | None, form: ItemForm):
    """Validate → plan → offer "shift the following items" if the end moved → save.

    The preview posts the same form again with ``decision`` ("shift", "keep" or "edit") and the
    preview's fingerprint, so nothing is kept on the server between the two requests.
    """
    template = "admin/programme/form.html"
    if not form.validate_on_submit() or form.decision.data == "edit":
        status = 400 if request.method == "POST" and form.decision.data != "edit" else 200
        return render_template(template, event=event, item=item, form=form), status
    if item is not None and form.version.data != item.version:
        return _conflict(event, item, form, _stale_message(item))
    proposal, end_field = _proposal(form, event, item)
    if proposal is None:
        return render_template(template, event=event, item=item, form=form), 400
    plan = plan_save(event, item, proposal)
    decision = form.decision.data
    if decision == "shift" and form.plan.data != plan.fingerprint:
        if not plan.offered:
            return _conflict(event, item, form, _programme_changed_message())
        return render_template("admin/programme/save_preview.html", event=event, item=item, form=form,
                               plan=plan, changed_since=True), 409
    if plan.offered and decision not in ("shift", "keep") and not (plan.keep_violations and plan.shift_violations):
        return render_template("admin/programme/save_preview.html", event=event, item=item, form=form,
                               plan=plan), 200
    wants_shift = decision == "shift"
    violations = plan.violations(wants_shift)
    if violations:
        _attach(form, violations, plan.slot, end_field)
        return render_template(template, event=event, item=item, form=form), 400
    return _save(event, item, form, proposal, plan.offered if wants_shift else [])


def _save(event: Event, item: ProgrammeItem | None, form: ItemForm, proposal: Proposal, moves: list):
    """Write a checked plan; a concurrent change found at the last moment refuses it whole."""
    try:
        saved = save_item(event, item, proposal, moves, form.version.data if item is not None else None)
        db.session.commit()
    except StaleEdit:
        return _conflict(event, item, form, _stale_message(item))
    except (StaleDataError, ProgrammeChanged):
        db.session.rollback()
        current = db.session.get(ProgrammeItem, item.id) if item is not None else None
        return _conflict(event, current, form, _programme_changed_message())
    flash(_("«%(title)s» er lagret.", title=saved.title), "success")
    return redirect(url_for(".index", _anchor=f"item-{saved.id}"), 303)


def _proposal(form: ItemForm, event: Event, item: ProgrammeItem | None) -> tuple[Proposal | None, str]:
    """The form's values on the event day, and which field gave the end ("duration" or "end").

    The proposal is None (with the message on the form) when duration and end disagree.
    """
    start = dt.datetime.combine(event.date, form.start.data)
    end = dt.datetime.combine(event.date, form.end.data) if form.end.data is not None else None
    try:
        end, end_field = rules.resolve_end(start, form.duration.data, end,
                                           rules.Slot.from_item(item) if item else None)
    except ValueError as error:
        form.duration.errors.append(str(error))
        form.end.errors.append(str(error))
        return None, "end"
    return Proposal(
        title=form.title.data, kind=form.kind.data, start=start, end=end,
        location_id=form.location.data, speaker_ids=_ordered(form.speakers.data, item, "speakers"),
        organisation_ids=_ordered(form.organisations.data, item, "organisations"),
        description=form.description.data or "",
        title_en=form.title_en.data or "", description_en=form.description_en.data or "",
    ), end_field


def _ordered(chosen: list[int], item: ProgrammeItem | None, relation: str) -> tuple[int, ...]:
    """Checkboxes come in list order: keep the stored order of those already linked, new ones last."""
    current = [row.id for row in getattr(item, relation)] if item is not None else []
    kept = [row_id for row_id in current if row_id in chosen]
    return tuple(kept + [row_id for row_id in chosen if row_id not in kept])


def _attach(form: ItemForm, violations: list[rules.Violation], slot: rules.Slot, end_field: str) -> None:
    """Put each rule's message next to the field it is about (the end, or the duration if used)."""
    for violation in violations:
        name = end_field if violation.field == "end" else violation.field
        message = violation.message
        if violation.slot.id != slot.id:  # a following item that would move
            message = f"«{violation.slot.title}»: {message}"
        getattr(form, name).errors.append(message)


def _conflict(event: Event, item: ProgrammeItem | None, form: ItemForm, message: str):
    """Two organisers saving at once: refuse the second, keep their input, show what is stored."""
    return render_template("admin/programme/form.html", event=event, item=item, form=form,
                           conflict=message, current=item), 409


def _programme_changed_message() -> str:
    return _("Programmet ble endret av noen andre mens du lagret. Ingenting er lagret; prøv igjen.")


def _stale_message(item: ProgrammeItem) -> str:
    return _("«%(title)s» ble endret av noen andre etter at du åpnet siden. Ingenting er lagret; "
             "se over det som er lagret nå og prøv igjen.", title=item.title)


# --- Helpers -------------------------------------------------------------------------------------


def _item_form(event: Event) -> ItemForm:
    form = ItemForm()
    places = sorted(locations(event), key=lambda place: place.floor)  # by floor, each in name order
    form.location.choices = [SelectChoice("", _("Ikke bestemt (hele konferansen)"))] + [
        SelectChoice(place.id, _("%(name)s (%(floor)s. etasje)", name=place.name, floor=place.floor))
        for place in places
    ]
    form.speakers.choices = [
        SelectChoice(person.id, f"{person.name} ({person.affiliation})" if person.affiliation else person.name)
        for person in speakers(event)
    ]
    form.organisations.choices = [
        SelectChoice(org.id, org.name) for org in organisations()
    ]
    return form


def _suggested_start(event: Event) -> dt.time:
    """A new item starts when the day's last item ends (or at 09.00 on an empty day)."""
    items = programme_items(event)
    ends = [item.end for item in items if item.end is not None]
    return max(ends).time() if ends else dt.time(9, 0)


def _item_or_404(event: Event, item_id: int) -> ProgrammeItem:
    item = db.session.get(ProgrammeItem, item_id)
    if item is None or item.event_id != event.id:
        abort(404)
    return item


def _index_with_error(event: Event, message: str, status: int):
    return render_template(
        "admin/programme/index.html", event=event, items=programme_items(event),
        conflicts=programme_conflicts(event), kind_label=kind_label, error=message,
    ), status
