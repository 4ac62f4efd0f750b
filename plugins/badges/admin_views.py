"""``/admin/badges``: everyone who gets a badge, their role, and whether it is printed.

Organisers change roles here (the derived one is preselected as "automatic"), pick people to
print for (the print centre then opens with them chosen), and make the app forget printing
(everyone's, or the chosen people's) so those badges print again. The core's guard requires an
organiser for every page under ``/admin``.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from fagkonferanse.audit.services import record
from fagkonferanse.events.services import current_event_or_404
from fagkonferanse.extensions import db

from . import people as printing_state
from .people import badge_holders, forget_printed, print_records, print_status
from .roles import ROLES, chosen_roles, choose_role, role_rules

bp = Blueprint("badges_admin", __name__, url_prefix="/admin/badges")


def _selected_ids(holders) -> list[int]:
    """The checked people, limited to those who have a badge (unknown numbers are ignored)."""
    known = {holder.id for holder in holders}
    return [int(value) for value in request.form.getlist("people") if value.isdigit() and int(value) in known]


@bp.get("")
def index():
    event = current_event_or_404()
    holders = badge_holders(event)
    printed = print_records(holder.id for holder in holders)
    rules = role_rules(event)
    rows = [(holder, print_status(holder, printed), printed.get(holder.id),
             ROLES[rules.derive(holder.name, holder.organisation)]) for holder in holders]
    counts = {state: sum(1 for row in rows if row[1] == state)
              for state in (printing_state.NEVER, printing_state.PRINTED, printing_state.CHANGED)}
    return render_template("badges/admin.html", event=event, rows=rows, roles=ROLES, counts=counts)


@bp.post("/roles")
def save_roles():
    """Save the role selects: "" is automatic (derived), anything else an organiser's choice."""
    event = current_event_or_404()
    holders = badge_holders(event)
    chosen = chosen_roles(holder.id for holder in holders)
    changed = 0
    for holder in holders:
        field = f"role-{holder.id}"
        if field not in request.form:
            continue
        value = request.form[field]
        if value and value not in ROLES:
            continue
        if (value or None) != chosen.get(holder.id):
            choose_role(holder.id, value or None, current_user.email)
            record("badge-role", "registration", holder.id, f"Rolle på navneskilt: {value or 'automatisk'}",
                   changes={"role": [chosen.get(holder.id), value or None]}, event_id=event.id)
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
