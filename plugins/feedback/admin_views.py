"""The organisers' page ``/admin/feedback``: the invitation, the results and the questions.

The core guards everything under ``/admin`` (login) and every form (CSRF); these views load,
call :mod:`.questions`, :mod:`.answering` or :mod:`.results`, and render.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from fagkonferanse import conference_day, current_event_or_404, current_language, db, find_in_event, record

from . import answering, questions
from .models import FeedbackQuestion, FeedbackTicket
from .questions import KIND_LABELS, QuestionError
from .results import MIN_ANSWERS, decimal, results

bp = Blueprint("feedback_admin", __name__, url_prefix="/admin/feedback")


def _counts(event) -> dict[str, int]:
    invited = db.session.scalar(db.select(db.func.count(FeedbackTicket.invited_at))
                                .where(FeedbackTicket.event_id == event.id))
    return {"checked_in": len(answering.checked_in(event)), "invited": invited}


def _page(event, form=None, error: str | None = None, status: int = 200):
    """The page; after a refused new question, with that form as filled in and what is wrong."""
    page = render_template(
        "feedback/admin.html", event=event, counts=_counts(event), results=results(event),
        settings=questions.settings_for(event), questions=questions.questions_of(event),
        is_open=answering.is_open(event), opens=conference_day(event).day_end, kind_labels=KIND_LABELS,
        min_answers=MIN_ANSWERS, decimal=lambda value: decimal(value, current_language()), form=form or {},
        error=error, question=None, locked=False)
    db.session.commit()  # the default questions, the first time they are needed
    return page, status


@bp.get("/")
def index():
    return _page(current_event_or_404())


@bp.post("/invite")
def invite():
    """Mail the link to everyone checked in who has not had it (nor answered)."""
    event = current_event_or_404()
    if not answering.is_open(event):
        flash(_("Invitasjonen kan sendes når dagen er over."), "error")
        return redirect(url_for(".index"), 303)
    count = answering.invite_everyone(event)
    record("send", "feedback", None, f"Invitasjon til tilbakemelding sendt til {count}", event_id=event.id)
    db.session.commit()
    flash(ngettext("Invitasjonen er sendt til %(num)s deltaker.", "Invitasjonen er sendt til %(num)s deltakere.", count)
          if count else _("Alle som er sjekket inn og har e-postadresse, har fått invitasjonen allerede."), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/settings")
def settings():
    """Rating each programme item on or off (a checkbox: absent means off)."""
    event = current_event_or_404()
    rate_items = request.form.get("rate_items") == "y"
    questions.settings_for(event).rate_items = rate_items
    record("update", "feedback", None, "Tilbakemelding: vurdering av programpostene " + ("på" if rate_items else "av"),
           event_id=event.id)
    db.session.commit()
    flash(_("Lagret."), "success")
    return redirect(url_for(".index") + "#questions", 303)


def _question_text():
    return questions.clean(request.form.get("text", "")[:1000], request.form.get("text_en", "")[:1000],
                           request.form.get("kind", ""))


@bp.post("/questions")
def add_question():
    event = current_event_or_404()
    try:
        question = questions.add_question(event, _question_text())
    except QuestionError as error:
        db.session.rollback()
        return _page(event, request.form, str(error), 400)
    record("create", "feedback_question", question.id, f"Spørsmål lagt til: {question.text}", event_id=event.id)
    db.session.commit()
    flash(_("Spørsmålet er lagt til."), "success")
    return redirect(url_for(".index") + "#questions", 303)


def _question_or_404(question_id: int) -> tuple:
    event = current_event_or_404()
    question = find_in_event(FeedbackQuestion, event, question_id)
    if question is None:
        abort(404)
    return event, question


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
def edit_question(question_id: int):
    event, question = _question_or_404(question_id)
    error = None
    if request.method == "POST":
        try:
            questions.update_question(question, _question_text())
        except QuestionError as problem:
            error = str(problem)
        else:
            record("update", "feedback_question", question.id, f"Spørsmål endret: {question.text}", event_id=event.id)
            db.session.commit()
            flash(_("Spørsmålet er lagret."), "success")
            return redirect(url_for(".index") + "#questions", 303)
    form = request.form if request.method == "POST" else {
        "text": question.text, "text_en": question.text_en, "kind": question.kind}
    return render_template("feedback/question.html", event=event, question=question, form=form, error=error,
                           kind_labels=KIND_LABELS, locked=questions.has_answers(question)), 400 if error else 200


@bp.post("/questions/<int:question_id>/<action>")
def change_question(question_id: int, action: str):
    """Move a question up or down, or delete it (its answers stay stored, no longer shown)."""
    if action not in ("up", "down", "delete"):
        abort(404)
    event, question = _question_or_404(question_id)
    if action == "delete":
        text = question.text
        questions.delete(question)
        record("delete", "feedback_question", question_id, f"Spørsmål fjernet: {text}", event_id=event.id)
        flash(_("Spørsmålet er fjernet."), "success")
    else:
        questions.move(question, -1 if action == "up" else 1)
    db.session.commit()
    return redirect(url_for(".index") + "#questions", 303)
