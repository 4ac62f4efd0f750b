"""Organisers set the registration rules: seats, waiting list, opening hours, which fields are
asked, the privacy notice, and extra questions (``/admin/registration``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..audit.services import record
from ..events.phase import automatic_closing
from ..events.services import current_event_or_404
from ..extensions import db
from ..i18n import format_clock, format_day
from . import services
from .forms import QuestionForm, build_settings_form_class
from .models import RegistrationQuestion
from .privacy import default_notice
from .settings import CONFIGURABLE_FIELDS, field_mode, questions_for, settings_for, to_local, to_utc

bp = Blueprint("registration_settings", __name__, url_prefix="/admin/registration")


@bp.route("/", methods=["GET", "POST"])
def edit():
    event = current_event_or_404()
    settings = settings_for(event)
    data = {
        "capacity": settings.capacity, "waiting_list": settings.waiting_list,
        "opens_at": to_local(settings.opens_at, event), "closes_at": to_local(settings.closes_at, event),
        "privacy_notice": settings.privacy_notice,
        **{f"mode_{spec.name}": field_mode(settings, spec.name) for spec in CONFIGURABLE_FIELDS},
    }
    form = build_settings_form_class()(data=data)
    if form.validate_on_submit():
        opens, closes = to_utc(form.opens_at.data, event), to_utc(form.closes_at.data, event)
        if opens and closes and closes <= opens:
            form.closes_at.errors.append(_("Påmeldingen må stenge etter at den åpner."))
        else:
            promoted = services.save_settings(event, {
                "capacity": form.capacity.data, "waiting_list": form.waiting_list.data,
                "opens_at": opens, "closes_at": closes, "privacy_notice": form.privacy_notice.data,
                "field_modes": {spec.name: form[f"mode_{spec.name}"].data for spec in CONFIGURABLE_FIELDS},
            })
            flash(_("Innstillingene er lagret."), "success")
            if promoted:
                flash(ngettext("%(num)s fikk plass fra ventelisten og har fått e-post.",
                               "%(num)s fikk plass fra ventelisten og har fått e-post.", len(promoted)), "success")
            return redirect(url_for(".edit"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/attendees/settings.html", event=event, form=form, settings=settings,
        fields=CONFIGURABLE_FIELDS, questions=questions_for(event), question_form=QuestionForm(prefix="new"),
        default_notice=default_notice(event), automatic_closing_hint=_automatic_closing_hint(event),
    ), status


def _automatic_closing_hint(event) -> str:
    """What happens when "Stenger" is left empty: the programme's start closes registration."""
    if event.is_demo:
        return _("Tomt felt: påmeldingen står åpen, fordi dette er demokonferansen.")
    closing = automatic_closing(event)
    if closing is None:
        return _("Tomt felt: påmeldingen står åpen til dere stenger den.")
    local = to_local(closing, event)
    return _("Tomt felt: påmeldingen stenger av seg selv når programmet starter, %(day)s %(time)s.",
             day=format_day(local.date(), short=True), time=format_clock(local))


@bp.post("/questions")
def add_question():
    event = current_event_or_404()
    form = QuestionForm(prefix="new")
    if not form.validate_on_submit():
        flash(_("Spørsmålet ble ikke lagt til: %(errors)s",
                errors=" ".join(error for errors in form.errors.values() for error in errors)), "error")
        return redirect(url_for(".edit") + "#questions", 303)
    position = max((q.position for q in questions_for(event)), default=0) + 1
    question = RegistrationQuestion(event_id=event.id, position=position, label=form.label.data,
                                    kind=form.kind.data, required=form.required.data,
                                    choices=form.choice_list() if form.kind.data == "choice" else [])
    db.session.add(question)
    db.session.flush()
    record("create", "registration_question", question.id, _("Spørsmål lagt til: %(label)s", label=question.label),
           event_id=event.id)
    db.session.commit()
    flash(_("Spørsmålet er lagt til."), "success")
    return redirect(url_for(".edit") + "#questions", 303)


@bp.post("/questions/<int:question_id>/<action>")
def change_question(question_id: int, action: str):
    """Move a question up or down, or delete it (answers already given stay with the people)."""
    event = current_event_or_404()
    question = db.session.get(RegistrationQuestion, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    questions = questions_for(event)
    index = next(i for i, q in enumerate(questions) if q.id == question.id)
    if action == "delete":
        record("delete", "registration_question", question.id, _("Spørsmål fjernet: %(label)s", label=question.label),
               event_id=event.id)
        db.session.delete(question)
        flash(_("Spørsmålet er fjernet."), "success")
    elif action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(questions):
            questions[index], questions[other] = questions[other], questions[index]
            for position, item in enumerate(questions, start=1):
                item.position = position
    else:
        abort(404)
    db.session.commit()
    return redirect(url_for(".edit") + "#questions", 303)
