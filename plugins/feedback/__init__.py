"""Built-in plugin: anonymous feedback from the attendees after the day.

Everyone checked in at the door may answer a short form once the day's programme has ended: the
day as a whole and each programme item on a 1–5 scale, and a few free-text questions, which the
organisers edit. The link (``/tilbakemelding/<token>``) arrives by mail when an organiser sends
the invitation, and stands on the ticket page. Answers are stored without anything that leads
back to the person, once per ticket; the organisers' page and the conference report show counts
and averages, and nothing with fewer than five answers behind it.

Module map: ``models`` · ``questions`` (what the form asks, the organisers' edits) ·
``answering`` (who may answer, reading and storing the form, the invitation) · ``results``
(counts, averages, what is held back) · ``views`` (the attendee's form) · ``admin_views``.
"""

from __future__ import annotations

from pathlib import Path

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from fagkonferanse import (
    PEOPLE,
    MailKind,
    NavLink,
    PageSection,
    ReportTable,
    absolute_url,
    current_language,
    db,
    hookimpl,
)

from . import admin_views, answering, models, questions, views
from .results import MIN_ANSWERS, ScaleResult, decimal, results

HERE = Path(__file__).resolve().parent


@hookimpl
def register_blueprints(app):
    return [views.bp, views.static_bp, admin_views.bp]


@hookimpl
def template_folders():
    return [str(HERE / "templates")]


@hookimpl
def migration_folders():
    return [str(HERE / "migrations" / "versions")]


@hookimpl
def navigation_links(area, request):
    if area != "admin":
        return None
    return [NavLink(_("Tilbakemeldinger"), url_for("feedback_admin.index"), order=26, group=PEOPLE)]


@hookimpl
def dashboard_items(event):
    count = db.session.scalar(db.select(db.func.count()).select_from(models.FeedbackResponse)
                              .where(models.FeedbackResponse.event_id == event.id))
    return [NavLink(_("Tilbakemeldinger"), url_for("feedback_admin.index"), order=65,
                    detail=ngettext("%(num)s svar", "%(num)s svar", count))]


@hookimpl
def ticket_page_sections(registration, request):
    """The link once the day is over, for someone checked in; thanks once they have answered."""
    if answering.refusal(registration) is not None:
        return None
    ticket = answering.ticket_for(registration)
    db.session.commit()
    html = render_template("feedback/_ticket_section.html", ticket=ticket)
    return [PageSection(_("Tilbakemelding"), Markup(html), order=20)]


@hookimpl
def mail_kinds():
    return [MailKind(answering.MAIL_KIND, _mail_subject, "feedback/mail.txt", _mail_context)]


def _mail_subject(registration) -> str:
    return _("Hvordan var dagen? %(title)s", title=registration.event.title)


def _mail_context(registration) -> dict:
    ticket = answering.ticket_of(registration)  # None only if forgotten since it was queued
    return {"feedback_url": absolute_url("feedback.form", token=ticket.token) if ticket else None}


@hookimpl
def personal_data(registration):
    """Whether the person was invited and has answered; never what (nothing links the answers)."""
    ticket = answering.ticket_of(registration)
    if ticket is None:
        return None
    return {"feedback": {
        "invited_at": ticket.invited_at.isoformat() + "Z" if ticket.invited_at else None,
        "answered": ticket.answered,
        "note": _("Svarene lagres uten noe som knytter dem til deg, og kan derfor ikke vises her."),
    }}


@hookimpl
def event_copied(source, target, parts):
    """Next year's form asks this year's questions: they come with the registration."""
    if source is not None and "registration" in parts:
        questions.copy_questions(source, target)


@hookimpl
def attendees_anonymised(event):
    """Who was invited and who answered goes with the names; the anonymous answers stay."""
    answering.forget(event)


@hookimpl
def report_tables(event, stand):
    """The day as a whole (the scale questions) and each programme item: answers, average and
    the count of each value. Under five answers only their number is given (the report writes
    "under 5"): the average and the spread of so few would show what each person answered."""
    if stand is not None or not questions.is_set_up(event):
        return None  # nothing per stand; and no form yet, no answers (the report reads, never makes rows)
    found = results(event)
    columns = (_("Svar"), _("Snitt"), "1", "2", "3", "4", "5")

    def row(result):
        if not result.shown:
            return (result.label.text, result.answers, *("–",) * 6)
        return (result.label.text, result.answers, decimal(result.average, current_language()),
                *(result.counts[value] for value in range(1, 6)))

    scale_questions = [result for result in found.questions if isinstance(result, ScaleResult)]
    tables = []
    if scale_questions:
        tables.append(ReportTable(
            "feedback-questions", _("Tilbakemeldinger: dagen"), (_("Spørsmål"), *columns),
            tuple(row(result) for result in scale_questions), chart="",
            note=_("%(num)s svar i alt. Skala 1–5, der 5 er best.", num=found.responses), order=60))
    if found.items:
        tables.append(ReportTable(
            "feedback-items", _("Tilbakemeldinger: programpostene"), (_("Programpost"), *columns),
            tuple(row(result) for result in found.items), chart="bars",
            note=_("Snitt og fordeling vises fra %(num)s svar.", num=MIN_ANSWERS), order=61))
    return tables
