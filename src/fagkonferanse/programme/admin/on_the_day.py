"""On the day: "we are running late" in two taps, cancelling an item, and the notices attendees see.

The dashboard offers +5, +10 and +15 minutes (or another number) from the item on now; one tap
shows what moves, a second moves it, announces it on the programme, the item pages and the hall
screens ("Programmet er forskjøvet 10 minutter fra kl. 11.15"), and the iCal feed carries the
new times. A cancelled item stays on the programme, struck through with a note.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from ...audit.services import record
from ...events.services import current_event_or_404
from ...extensions import db
from ...formfields import ConfirmForm
from ..models import Delay, ProgrammeItem
from ..services import delays_of_the_day, local_now, now_and_next, programme_items
from .editing import ENTITY, ProgrammeChanged, move_items, plan_shift
from .editing import fingerprint as plan_fingerprint
from .forms import CancelForm, LateForm

bp = Blueprint("on_the_day", __name__, url_prefix="/admin/today")

QUICK_MINUTES = (5, 10, 15)


def on_the_day_card(event) -> dict:
    """What the dashboard shows on the conference's date: now, next, the late buttons, the notices."""
    items = programme_items(event)
    moment = local_now(event)
    if moment.date() != event.date:
        return {}
    marker = now_and_next(items, moment)
    return {"marker": marker, "from_item": marker.now or marker.next, "quick": QUICK_MINUTES,
            "delays": delays_of_the_day(event), "form": _late_form(event, items, marker.now or marker.next)}


@bp.route("/late", methods=["POST"])
def running_late():
    """Shift the chosen item and the rest of the day: a preview first, then the move itself."""
    event = current_event_or_404()
    items = programme_items(event)
    form = _late_form(event, items, None)
    if not form.validate_on_submit():
        flash(" ".join(str(error) for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for("admin.dashboard"), 303)
    item = next(found for found in items if found.id == form.item.data)
    moves, violations = plan_shift(event, item, form.minutes.data, with_following=True)
    fingerprint = plan_fingerprint(moves)
    preview = {"event": event, "item": item, "form": form, "moves": moves, "violations": violations,
               "fingerprint": fingerprint}
    if not moves or violations:
        return render_template("admin/programme/late_preview.html", **preview), 400
    if form.decision.data != "shift":
        return render_template("admin/programme/late_preview.html", **preview), 200
    if form.plan.data != fingerprint:
        return render_template("admin/programme/late_preview.html", changed_since=True, **preview), 409
    minutes, from_time = form.minutes.data, item.start
    summary = ngettext("Forsinkelse: %(num)s punkt flyttet %(minutes)s min fra «%(title)s»",
                       "Forsinkelse: %(num)s punkter flyttet %(minutes)s min fra «%(title)s»",
                       len(moves), minutes=f"{minutes:+d}", title=item.title)
    try:
        move_items(event, moves, summary, item)
        db.session.add(Delay(event_id=event.id, minutes=minutes, from_time=from_time))
        db.session.commit()
    except (StaleDataError, ProgrammeChanged):
        db.session.rollback()
        flash(_("Programmet ble endret av noen andre i mellomtiden. Ingenting er flyttet; prøv igjen."), "error")
        return redirect(url_for("admin.dashboard"), 303)
    flash(ngettext("%(num)s punkt er flyttet, og deltakerne ser at programmet er forskjøvet.",
                   "%(num)s punkter er flyttet, og deltakerne ser at programmet er forskjøvet.", len(moves)),
          "success")
    return redirect(url_for("admin.dashboard"), 303)


@bp.post("/delays/<int:delay_id>/remove")
def remove_delay(delay_id: int):
    """Take a running-late notice down (the times stay as they are)."""
    event = current_event_or_404()
    delay = db.session.get(Delay, delay_id) if delay_id else None
    if delay is None or delay.event_id != event.id or not ConfirmForm().validate_on_submit():
        abort(404 if delay is None or delay.event_id != event.id else 400)
    db.session.delete(delay)
    record("delete", "programme_delay", delay_id, _("Meldingen om forsinkelse er fjernet"), event_id=event.id)
    db.session.commit()
    flash(_("Meldingen om forsinkelse er fjernet. Tidene i programmet er som før."), "success")
    return redirect(url_for("admin.dashboard"), 303)


@bp.route("/items/<int:item_id>/cancel", methods=["GET", "POST"])
def cancel(item_id: int):
    """Call an item off: it stays on the programme, struck through, with a note for attendees."""
    event = current_event_or_404()
    item = _item_or_404(event, item_id)
    form = CancelForm()
    if request.method == "GET":
        form.note.data = item.cancel_note
    if form.validate_on_submit():
        set_cancelled(item, True, form.note.data or "")
        db.session.commit()
        flash(_("«%(title)s» er avlyst.", title=item.title), "success")
        return redirect(url_for("programme_admin.index", _anchor=f"item-{item.id}"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/programme/cancel.html", event=event, item=item, form=form), status


@bp.post("/items/<int:item_id>/reinstate")
def reinstate(item_id: int):
    event = current_event_or_404()
    item = _item_or_404(event, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    set_cancelled(item, False, "")
    db.session.commit()
    flash(_("«%(title)s» er ikke lenger avlyst.", title=item.title), "success")
    return redirect(url_for("programme_admin.index", _anchor=f"item-{item.id}"), 303)


def set_cancelled(item: ProgrammeItem, cancelled: bool, note: str) -> None:
    """Mark an item cancelled (with a note) or held again, with an audit entry. Not committed."""
    before = [item.cancelled, item.cancel_note]
    item.cancelled, item.cancel_note = cancelled, note.strip() if cancelled else ""
    summary = (_("Avlyste «%(title)s»", title=item.title) if cancelled
               else _("Gjenopptok «%(title)s»", title=item.title))
    record("update", ENTITY, item.id, summary, {"avlyst": [before, [item.cancelled, item.cancel_note]]},
           event_id=item.event_id)


def _late_form(event, items: list[ProgrammeItem], default: ProgrammeItem | None) -> LateForm:
    form = LateForm()
    form.item.choices = [SelectChoice(item.id, f"{item.start:%H.%M} {item.title}") for item in items
                         if not item.cancelled]
    if default is not None and request.method == "GET":
        form.item.data = default.id
    return form


def _item_or_404(event, item_id: int) -> ProgrammeItem:
    item = db.session.get(ProgrammeItem, item_id) if item_id else None
    if item is None or item.event_id != event.id:
        abort(404)
    return item
