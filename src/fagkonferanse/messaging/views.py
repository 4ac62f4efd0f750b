"""``/admin/messages``: write to a group, see what was sent, and set the reminder the day before."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..events.services import current_event_or_404
from ..extensions import db
from ..registration.settings import to_local
from . import groups, services
from .compose import default_reminder_intro, default_reminder_subject
from .forms import MessageForm, ReminderForm
from .models import REMINDER, Message
from .preview import languages, previews

bp = Blueprint("messages", __name__, url_prefix="/admin/messages")


@bp.get("/")
def index():
    event = current_event_or_404()
    reminder = services.reminder_for(event)
    db.session.commit()
    return render_template("admin/messages/index.html", event=event, messages=services.sent_messages(event),
                           reminder=reminder, reminder_state=services.reminder_state(event, reminder),
                           reminder_at=to_local(services.reminder_moment(event, reminder), event),
                           describe=groups.describe, pending=services.pending_by_message(event))


@bp.route("/new", methods=["GET", "POST"])
def new():
    event = current_event_or_404()
    form = MessageForm(data=None if request.method == "POST" else {
        "group": request.args.get("group", "confirmed"), "form_key": secrets.token_hex(16),
        "body": _("Hei {navn},\n\n")})
    if request.method == "POST" and form.validate_on_submit():
        existing = db.session.scalar(db.select(Message).where(Message.form_key == form.form_key.data))
        if existing is not None:  # the same form sent twice: it went the first time
            return redirect(url_for(".show", message_id=existing.id), 303)
        people = groups.recipients(event, form.group.data, form.group_value.data)
        if request.form.get("action") == "send" and people and str(len(people)) == form.expected.data:
            try:
                message = services.send_to_group(event, form.group.data, form.group_value.data, form.texts(),
                                                  sent_by=current_user.email, form_key=form.form_key.data or None)
            except IntegrityError:  # the same form, sent at the same moment from another tab
                db.session.rollback()
                return redirect(url_for(".index"), 303)
            flash(ngettext("Meldingen er lagt i kø til %(num)s person.",
                           "Meldingen er lagt i kø til %(num)s personer.", message.recipients), "success")
            return redirect(url_for(".show", message_id=message.id), 303)
        changed = request.form.get("action") == "send" and str(len(people)) != form.expected.data
        draft = Message(event_id=event.id, group=form.group.data, **form.texts())
        form.expected.data = str(len(people))
        return render_template("admin/messages/new.html", event=event, form=form, people=people,
                               previews=previews(people, draft), languages=languages(people), changed=changed,
                               values=_values(event))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/messages/new.html", event=event, form=form, people=None, previews=[],
                           languages=[], changed=False, values=_values(event)), status


def _values(event) -> dict[str, list[tuple[str, int]]]:
    return {"municipality": groups.values_of(event, "municipality"),
            "organisation": groups.values_of(event, "organisation")}


@bp.get("/<int:message_id>")
def show(message_id: int):
    event = current_event_or_404()
    message = db.session.get(Message, message_id)
    if message is None or message.event_id != event.id:
        abort(404)
    waiting, retrying = services.pending_by_message(event).get(message.id, (0, 0))
    return render_template("admin/messages/show.html", event=event, message=message, waiting=waiting,
                           retrying=retrying, not_sent=services.not_sent(message, waiting, retrying), last_error=services.last_error(message) if retrying else None,
                           group=groups.describe(message.group, message.group_value))


@bp.route("/reminder", methods=["GET", "POST"])
def reminder():
    event = current_event_or_404()
    settings = services.reminder_for(event)
    form = ReminderForm(obj=settings)
    if form.validate_on_submit():
        form.populate_obj(settings)
        record("edit", "reminder", settings.id, "Påminnelsen dagen før", event_id=event.id)
        db.session.commit()
        flash(_("Påminnelsen er lagret."), "success")
        return redirect(url_for(".reminder"), 303)
    people = groups.recipients(event, "confirmed")
    draft = Message(event_id=event.id, kind=REMINDER, group="confirmed", subject=form.subject.data or "",
                    body=form.body.data or "", subject_en=form.subject_en.data or "", body_en=form.body_en.data or "")
    db.session.commit()
    status = 400 if request.method == "POST" else 200
    return render_template("admin/messages/reminder.html", event=event, form=form, settings=settings,
                           state=services.reminder_state(event, settings),
                           reminder_at=to_local(services.reminder_moment(event, settings), event),
                           previews=previews(people, draft), count=len(people),
                           default_subject=default_reminder_subject(event), default_intro=default_reminder_intro(),
                           ), status
