"""The conference's texts at /admin/conference: title and foreword, in Norwegian and English."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from .editing import EventTexts, StaleTexts, save_texts, texts_fingerprint
from .forms import EventTextsForm
from .services import current_event_or_404

bp = Blueprint("event_admin", __name__, url_prefix="/admin/conference")

TEMPLATE = "admin/event/form.html"


@bp.route("", methods=["GET", "POST"])
def edit():
    event = current_event_or_404()
    form = EventTextsForm(obj=event) if request.method == "GET" else EventTextsForm()
    if request.method == "GET":
        form.stored.data = texts_fingerprint(event)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template(TEMPLATE, event=event, form=form), status
    texts = EventTexts(title=form.title.data, title_en=form.title_en.data or "",
                       foreword=form.foreword.data or "", foreword_en=form.foreword_en.data or "")
    try:
        save_texts(event, texts, form.stored.data)
    except StaleTexts:
        # Keep what they typed; the next save is checked against what is stored now.
        form.stored.data = texts_fingerprint(event)
        return render_template(TEMPLATE, event=event, form=form, conflict=True), 409
    db.session.commit()
    flash(_("Konferansens tekster er lagret."), "success")
    return redirect(url_for(".edit"), 303)
