"""The attendee list for organisers: search and filters, edit, cancel, resend, delete, CSV in and
out, and the caterer's lunch summary. Every page here is behind the /admin guard."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..events.services import current_event_or_404
from ..extensions import db
from ..stands.services import stands
from . import attendees, importing, services
from .forms import build_form_class, form_data_of, with_badge_fields
from .models import STATUSES, Registration
from .roles import role_label, role_rules, roles_of
from .settings import MUNICIPALITY_SUGGESTIONS, questions_for, settings_for
from .validation import InvalidValue

bp = Blueprint("attendees", __name__, url_prefix="/admin/attendees")

PAGE_SIZE = 200


def _filters() -> attendees.Filters:
    status = request.args.get("status", "")
    return attendees.Filters(
        query=(request.args.get("q") or "")[:200],
        status=status if status in STATUSES else "",
        organisation=(request.args.get("organisation") or "")[:200],
        municipality=(request.args.get("municipality") or "")[:100],
    )


def _organiser_form_class(event, person: Registration | None = None):
    """Every field of the registration, and the badge's role and stand (organisers only)."""
    base = build_form_class(settings_for(event), questions_for(event), purpose="organiser")
    automatic = role_rules(event).automatic(person.name, person.stand_id) if person else None
    choices = [(stand.id, stand.organisation.name) for stand in stands(event)]
    return with_badge_fields(base, sorted(choices, key=lambda choice: choice[1]), automatic)


def _person_or_404(registration_id: int) -> Registration:
    person = db.session.get(Registration, registration_id)
    if person is None or person.event_id != current_event_or_404().id:
        abort(404)
    return person


@bp.get("/")
def attendee_list():
    event = current_event_or_404()
    filters = _filters()
    people = attendees.filtered(event, filters)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    organisations, municipalities = attendees.choices(event)
    shown = people[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return render_template(
        "admin/attendees/list.html", event=event, filters=filters, total=len(people),
        people=shown, roles=roles_of(event, shown), role_label=role_label, page=page,
        pages=max(1, -(-len(people) // PAGE_SIZE)), organisations=organisations, municipalities=municipalities,
        counts=services.status_counts(event), settings=settings_for(event), status_label=attendees.status_label,
    )


@bp.get("/export.csv")
def export():
    event = current_event_or_404()
    body = attendees.export_csv(event, attendees.filtered(event, _filters()))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="deltakere-{event.slug}.csv"',
        "Cache-Control": "no-store"})


@bp.get("/lunch")
def lunch():
    event = current_event_or_404()
    return render_template("admin/attendees/lunch.html", event=event, summary=attendees.lunch_summary(event))


@bp.route("/new", methods=["GET", "POST"])
def new():
    """An organiser adds someone (a speaker, a guest): a seat by the normal rule, no rate limit."""
    event = current_event_or_404()
    form = _organiser_form_class(event)()
    if form.validate_on_submit():
        outcome = services.register(event, form.details(), source="organiser", consent=False, check_window=False,
                                    notify=bool(request.form.get("send_ticket")))
        if outcome.result == services.DUPLICATE:
            flash(_("Denne e-postadressen er allerede påmeldt."), "error")
            return redirect(url_for(".edit", registration_id=outcome.registration.id), 303)
        if outcome.registration is None:
            flash(_("Det er fullt, og ventelisten er slått av. Øk antall plasser først."), "error")
        else:
            flash(_("%(name)s er lagt til (%(status)s).", name=outcome.registration.name,
                    status=attendees.status_label(outcome.result)), "success")
            return redirect(url_for(".edit", registration_id=outcome.registration.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/attendees/edit.html", event=event, form=form, person=None,
                           municipalities=MUNICIPALITY_SUGGESTIONS), status


@bp.route("/<int:registration_id>", methods=["GET", "POST"])
def edit(registration_id: int):
    event = current_event_or_404()
    person = _person_or_404(registration_id)
    form = _organiser_form_class(event, person)(data=form_data_of(person))
    if form.validate_on_submit():
        old_email = person.email
        try:
            services.update_details(person, form.details(), by_organiser=True)
        except InvalidValue as error:
            form.email.errors.append(str(error))
        else:
            flash(_("Endringene er lagret."), "success")
            if person.email and person.email != old_email:
                flash(_("Den nye adressen har fått en ny billettlenke; de gamle lenkene virker ikke lenger."),
                      "success")
            return redirect(url_for(".edit", registration_id=person.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/attendees/edit.html", event=event, form=form, person=person,
        municipalities=MUNICIPALITY_SUGGESTIONS, status_label=attendees.status_label,
        position=services.waiting_position(person) if person.status == "waiting" else None,
    ), status


@bp.post("/<int:registration_id>/<action>")
def act(registration_id: int, action: str):
    """Cancel, give a seat, restore, resend or delete — one button each on the edit page."""
    person = _person_or_404(registration_id)
    name = person.name
    if action == "cancel":
        promoted = services.cancel(person, by_organiser=True)
        flash(_("%(name)s er meldt av.", name=name), "success")
        if promoted:
            flash(_("%(name)s fikk plass fra ventelisten og har fått e-post.", name=promoted[0].name), "success")
    elif action == "confirm":
        services.confirm_anyway(person)
        flash(_("%(name)s har fått plass.", name=name), "success")
    elif action == "restore":
        status = services.restore(person)
        if status is None:
            flash(_("Det er fullt, og ventelisten er slått av."), "error")
        else:
            flash(_("%(name)s er gjenopprettet (%(status)s).", name=name, status=attendees.status_label(status)),
                  "success")
    elif action == "resend":
        if not person.email:
            flash(_("Personen har ingen e-postadresse."), "error")
        else:
            services.resend(person)
            flash(_("En ny billettlenke er sendt til %(email)s; de gamle lenkene virker ikke lenger.",
                    email=person.email), "success")
    elif action == "delete":
        if request.form.get("confirm") != "yes":
            flash(_("Kryss av for å bekrefte slettingen."), "error")
            return redirect(url_for(".edit", registration_id=registration_id), 303)
        services.delete_person(person, by_organiser=True)
        flash(_("%(name)s er slettet fra alle lister.", name=name), "success")
        return redirect(url_for(".attendee_list"), 303)
    else:
        abort(404)
    return redirect(url_for(".edit", registration_id=registration_id), 303)


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    event = current_event_or_404()
    if request.method == "GET":
        return render_template("admin/attendees/import.html", event=event)
    upload = request.files.get("file")
    send_tickets = request.form.get("send_tickets") == "yes"
    if upload is None or not upload.filename:
        return _import_failed(event, _("Velg en CSV-fil."), 400)
    try:
        parsed = importing.parse_csv(upload.read(importing.MAX_BYTES + 1), importing.stand_lookup(event))  # bounded: parse_csv refuses more
        if parsed.problems:
            return render_template("admin/attendees/import.html", event=event, parsed=parsed,
                                   filename=upload.filename), 400
        summary = importing.import_people(event, parsed, send_tickets=send_tickets)
    except importing.ImportFailed as error:
        return _import_failed(event, str(error), 400)
    flash(_("Importert: %(created)s nye (%(waiting)s på venteliste), %(updated)s oppdatert.",
            created=summary.created, waiting=summary.waiting, updated=summary.updated), "success")
    return redirect(url_for(".attendee_list"), 303)


def _import_failed(event, message: str, status: int):
    return render_template("admin/attendees/import.html", event=event, failure=message), status
