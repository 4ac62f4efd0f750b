"""Speakers at /admin/speakers: list, add, edit (with the items they are on) and delete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from ...events.models import Event
from ...events.services import current_event_or_404
from ...extensions import db
from ...i18n import format_time_range
from ..models import Speaker
from ..services import programme_items, speakers
from .editing import Refused
from ...formfields import ConfirmForm
from .forms import SpeakerForm
from .speaker_editing import SpeakerDetails, delete_speaker, save_speaker

bp = Blueprint("speakers_admin", __name__, url_prefix="/admin/speakers")


@bp.get("")
def index():
    event = current_event_or_404()
    return render_template("admin/speakers/index.html", event=event, speakers=speakers(event))


@bp.route("/new", methods=["GET", "POST"])
def create():
    event = current_event_or_404()
    return _handle_form(event, None, _speaker_form(event))


@bp.route("/<int:speaker_id>/edit", methods=["GET", "POST"])
def edit(speaker_id: int):
    event = current_event_or_404()
    speaker = _speaker_or_404(event, speaker_id)
    form = _speaker_form(event, speaker)
    return _handle_form(event, speaker, form)


@bp.route("/<int:speaker_id>/delete", methods=["GET", "POST"])
def delete(speaker_id: int):
    event = current_event_or_404()
    speaker = _speaker_or_404(event, speaker_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = speaker.name
        delete_speaker(event, speaker)
        db.session.commit()
        flash(_("%(name)s er slettet.", name=name), "success")
        return redirect(url_for(".index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/speakers/delete.html", event=event, speaker=speaker, form=form), status


def _handle_form(event: Event, speaker: Speaker | None, form: SpeakerForm):
    template = "admin/speakers/form.html"
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template(template, event=event, speaker=speaker, form=form), status
    details = SpeakerDetails(
        name=form.name.data, affiliation=form.affiliation.data or "", role=form.role.data or "",
        bio=form.bio.data or "", role_en=form.role_en.data or "", bio_en=form.bio_en.data or "",
        item_ids=tuple(form.items.data or ()),
    )
    try:
        saved = save_speaker(event, speaker, details)
        db.session.commit()
    except Refused as refused:
        db.session.rollback()
        form.items.errors.extend(f"«{v.slot.title}» {v.slot.when}: {v.message}" for v in refused.violations)
        return render_template(template, event=event, speaker=speaker, form=form), 400
    flash(_("%(name)s er lagret.", name=saved.name), "success")
    return redirect(url_for(".index", _anchor=f"speaker-{saved.id}"), 303)


def _speaker_form(event: Event, speaker: Speaker | None = None) -> SpeakerForm:
    form = SpeakerForm(obj=speaker) if request.method == "GET" else SpeakerForm()
    if request.method == "GET" and speaker is not None:
        form.items.data = [item.id for item in speaker.items]
    form.items.choices = [
        SelectChoice(item.id, f"{format_time_range(item.start, item.end)} {item.title}")
        for item in programme_items(event)
    ]
    return form


def _speaker_or_404(event: Event, speaker_id: int) -> Speaker:
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.event_id != event.id:
        abort(404)
    return speaker
