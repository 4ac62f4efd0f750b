"""``/admin/badges``: everyone who gets a badge, their role, and whether it is printed.

Organisers change roles here as on the attendee page — both write the registration's own role
field, the one store ("Automatisk (…)" leaves it to the programme and the stands) — pick people
to print for (the print centre then opens with them chosen), and make the app forget printing
(everyone's, or the chosen people's) so those badges print again. The core's guard requires an
organiser for every page under ``/admin``.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from fagkonferanse import (
    AUTOMATIC,
    CONFIRMED,
    Registration,
    choose_role,
    current_event_or_404,
    db,
    record,
)

from . import people as printing_state
from .arrival import settings_for
from .people import badge_holders, forget_printed, print_records, print_status
from .roles import ROLES

# static/: the door page's script (door.js), served under /admin/badges/static/ behind the guard.
bp = Blueprint("badges_admin", __name__, url_prefix="/admin/badges", static_folder="static",
               static_url_path="/static")


def _selected_ids(holders) -> list[int]:
    """The checked people, limited to those who have a badge (unknown numbers are ignored)."""
    known = {holder.id for holder in holders}
    return [int(value) for value in request.form.getlist("people") if value.isdigit() and int(value) in known]


@bp.get("")
def index():
    event = current_event_or_404()
    holders = badge_holders(event)
    printed = print_records(holder.id for holder in holders)
    rows = [(holder, print_status(holder, printed), printed.get(holder.id), ROLES[holder.automatic_role])
            for holder in holders]
    counts = {state: sum(1 for row in rows if row[1] == state)
              for state in (printing_state.NEVER, printing_state.PRINTED, printing_state.CHANGED)}
    return render_template("badges/admin.html", event=event, rows=rows, roles=ROLES, counts=counts,
                           settings=settings_for(event))


@bp.post("/roles")
def save_roles():
    """Save the role selects into each registration's role: "" is automatic, anything else an
    organiser's choice."""
    event = current_event_or_404()
    changed = 0
    everyone_with_a_badge = db.select(Registration).where(Registration.event_id == event.id,
                                                         Registration.status == CONFIRMED)
    for registration in db.session.scalars(everyone_with_a_badge):
        value = request.form.get(f"role-{registration.id}")
        if value is None or value != AUTOMATIC and value not in ROLES:
            continue
        before = registration.role
        if choose_role(registration, value):
            record("badge-role", "registration", registration.id, f"Rolle på navneskilt: {value or 'automatisk'}",
                   changes={"role": [before or None, value or None]}, event_id=event.id)
            changed += 1
    db.session.commit()
    flash(ngettext("%(num)s rolle er endret.", "%(num)s roller er endret.", changed) if changed
          else _("Ingen roller er endret."), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/selection")
def selection():
    """Print the checked people's badges (in the print centre), or forget that they were printed."""
    event = current_event_or_404()
    ids = _selected_ids(badge_holders(event))
    if not ids:
        flash(_("Kryss av for minst én person først."), "error")
        return redirect(url_for(".index"), 303)
    if request.form.get("action") == "reset":
        count = forget_printed(event, ids)
        flash(ngettext("%(num)s navneskilt blir skrevet ut på nytt ved «Bare de som ikke er skrevet ut».",
                        "%(num)s navneskilt blir skrevet ut på nytt ved «Bare de som ikke er skrevet ut».", count),
              "success")
        return redirect(url_for(".index"), 303)
    people = ",".join(str(number) for number in ids)
    return redirect(url_for("printing.document", name="badges", people=people, _="1"), 303)


@bp.post("/reset")
def reset_all():
    """Forget every printed badge: "not printed yet" then prints everyone again."""
    count = forget_printed(current_event_or_404())
    flash(ngettext("Utskriften av %(num)s navneskilt er glemt.", "Utskriftene av %(num)s navneskilt er glemt.", count), "success")
    return redirect(url_for(".index"), 303)
