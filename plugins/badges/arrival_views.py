"""Printing on arrival, for organisers: the settings page and the door device's question.

``/admin/badges/settings`` chooses when a check-in prints (off, once, always), the label size
and the server's CUPS printer (empty: the door device's browser prints). ``POST
/admin/badges/arrival`` is what ``static/door.js`` asks after each green check-in at the door;
it answers JSON. Both are under ``/admin``, so the core's guard requires an organiser.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import ValidationError

from fagkonferanse import (
    PrintOptionError,
    Registration,
    current_event_or_404,
    db,
    known_printers,
    record,
    valid_printer_name,
)

from .admin_views import bp
from .arrival import door_message, print_for_door, save_settings, settings_for
from .layouts import parse_size
from .models import ALWAYS, OFF, ONCE

STATIC = Path(__file__).resolve().parent / "static"
SCAN_ID_LENGTH = 64


class ArrivalSettingsForm(FlaskForm):
    on_arrival = RadioField(_l("Skriv ut navneskilt ved innsjekking"), default=OFF, choices=[
        SelectChoice(OFF, _l("Av")),
        SelectChoice(ONCE, _l("Én gang, hvis navneskiltet ikke er skrevet ut (eller er endret siden)")),
        SelectChoice(ALWAYS, _l("Alltid, ved hver innsjekking")),
    ])
    size = StringField(_l("Størrelse på etiketten (mm)"), default="90x55",
                       description=_l("Bredde x høyde i millimeter, for eksempel 90x55 eller 54x86."))
    printer = StringField(_l("Skriver på serveren (CUPS)"), render_kw={"list": "cups-printers", "autocomplete": "off"},
                          description=_l("Navnet skriveren har i CUPS. Tomt: navneskiltet åpnes i utskriftsvinduet "
                                         "på enheten i døra."))

    def validate_size(self, field) -> None:
        try:
            width, height = parse_size(field.data or "")
        except PrintOptionError as error:
            raise ValidationError(str(error)) from None
        field.data = f"{width:g}x{height:g}"

    def validate_printer(self, field) -> None:
        field.data = (field.data or "").strip()
        if field.data and not valid_printer_name(field.data):
            raise ValidationError(_("Et skrivernavn i CUPS har ingen mellomrom og ingen av tegnene / # \\ ' \" "
                                    "og begynner ikke med en bindestrek."))


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    event = current_event_or_404()
    current = settings_for(event)
    form = ArrivalSettingsForm(data={"on_arrival": current.on_arrival, "size": current.size,
                                     "printer": current.printer})
    if form.validate_on_submit():
        values = {"on_arrival": form.on_arrival.data, "size": form.size.data, "printer": form.printer.data}
        changes = save_settings(event, values, current_user.email)
        if changes:
            record("update", "badge_settings", event.id, _("Innstillinger for navneskilt endret"), changes=changes,
                   event_id=event.id)
        db.session.commit()
        flash(_("Innstillingene er lagret."), "success")
        return redirect(url_for(".settings"), 303)
    status = 400 if form.errors else 200
    return render_template("badges/settings.html", event=event, form=form, printers=known_printers()), status


@bp.post("/arrival")
def arrival():
    """The door device asks, after a green check-in: print this person's badge here?

    Form fields ``registration_id`` and ``scan_id`` (and the CSRF token). The answer is JSON:
    ``{"print": true, "url": <the PDF to print>, "message", "link_label"}`` or ``{"print": false,
    "reason", "message"}``; 400 for a malformed request, 404 for someone not of this event.
    """
    event = current_event_or_404()
    raw_id = request.form.get("registration_id", "")
    scan_id = request.form.get("scan_id", "").strip()
    if not raw_id.isdigit() or len(scan_id) > SCAN_ID_LENGTH:
        return jsonify(print=False, reason="bad_request",
                       message=_("Forespørselen mangler registration_id (et tall) eller har for lang scan_id.")), 400
    registration = db.session.get(Registration, int(raw_id))
    if registration is None or registration.event_id != event.id:
        return jsonify(print=False, reason="unknown", message=_("Fant ingen påmelding med dette nummeret.")), 404
    answer = print_for_door(event, registration, scan_id, current_user)
    body = {"print": answer.decision.print, "reason": answer.decision.reason, "message": door_message(answer)}
    if answer.decision.print:
        body["url"] = url_for("printing.job_pdf_to_print", token=answer.job.token)
        body["link_label"] = _("Skriv ut navneskiltet til %(name)s", name=registration.name)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@lru_cache(maxsize=8)
def _version(filename: str) -> str:
    """A digest of a static file for its URL: the files are cached for a year (security.py)."""
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:12]


def door_script_url() -> str:
    return url_for("badges_admin.static", filename="door.js", v=_version("door.js"))
