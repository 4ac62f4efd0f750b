"""The attendee's form at ``/tilbakemelding/<token>``: answer once, anonymously.

Views are thin: load the ticket, ask :mod:`.answering` whether this person may answer, read the
form, store it. Every page is personal (its address is the attendee's link): never cached, never
indexed. The token says nothing about the person.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for

from fagkonferanse import conference_day, db

from . import answering
from .answering import Refusal
from .models import TEXT
from .questions import questions_of, rated_items

bp = Blueprint("feedback", __name__, url_prefix="/tilbakemelding")
# The stylesheet, beside the core's under /static/ (cached like them; never behind the guard).
static_bp = Blueprint("feedback_static", __name__, static_folder="static", static_url_path="/static/feedback")


def _private(body: str, status: int = 200) -> Response:
    response = Response(body, status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _refused(ticket, reason: Refusal, status: int) -> Response:
    """The page for someone who may not answer (now): why, in their words."""
    event = ticket.registration.event
    return _private(render_template("feedback/refused.html", event=event, reason=reason.value,
                                    opens=conference_day(event).day_end), status)


def _form_page(ticket, answers=None, status: int = 200) -> Response:
    event = ticket.registration.event
    asked = questions_of(event)
    return _private(render_template(
        "feedback/form.html", event=event, ticket=ticket, questions=asked, items=rated_items(event),
        text_names={f"q-{question.id}" for question in asked if question.kind == TEXT},
        answers=answers, form=request.form if answers is not None else {}), status)


def _ticket_or_404(token: str):
    """The ticket the link names. Its own conference, not the current one: feedback on last
    year's day still works after next year's conference is made."""
    return answering.by_token(token)


@bp.get("/<token>")
def form(token: str):
    ticket = _ticket_or_404(token)
    if ticket is None:
        return _private(render_template("feedback/unknown.html"), 404)
    reason = answering.refusal(ticket)
    if reason is Refusal.ANSWERED:
        return _private(render_template("feedback/answered.html", event=ticket.registration.event))
    if reason is not None:
        return _refused(ticket, reason, 403)
    page = _form_page(ticket)
    db.session.commit()  # the default questions, when this was the first time they were needed
    return page


@bp.post("/<token>")
def send(token: str):
    ticket = _ticket_or_404(token)
    if ticket is None:
        return _private(render_template("feedback/unknown.html"), 404)
    reason = answering.refusal(ticket)
    if reason is Refusal.ANSWERED:
        return _private(render_template("feedback/answered.html", event=ticket.registration.event), 409)
    if reason is not None:
        return _refused(ticket, reason, 403)
    answers = answering.read_form(ticket.registration.event, request.form)
    if answers.errors:
        return _form_page(ticket, answers, 400)
    if not answering.submit(ticket, answers):
        # Another submit of the same link got there first (two tabs, a double click).
        return _private(render_template("feedback/answered.html", event=ticket.registration.event), 409)
    return redirect(url_for(".thanks", token=token), 303)


@bp.get("/<token>/takk")
def thanks(token: str):
    ticket = _ticket_or_404(token)
    if ticket is None:
        return _private(render_template("feedback/unknown.html"), 404)
    if not ticket.answered:
        return redirect(url_for(".form", token=token), 303)
    return _private(render_template("feedback/thanks.html", event=ticket.registration.event))
