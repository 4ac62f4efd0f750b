"""The organisers' conferences at /admin/conferences: every year's conference, which one the site
shows, next year's made by copying, and how long each keeps its attendees."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..app import plugin_manager
from ..audit.services import record
from ..extensions import db
from ..i18n import format_day
from .archive import archive_url, is_past
from .copying import PARTS, CopyError, NewEvent, create_event, event_by_slug
from .forms import NewConferenceForm, RetentionForm
from .models import Event
from .retention import due_date
from .services import current_live_event, make_current

bp = Blueprint("conferences", __name__, url_prefix="/admin/conferences")


@bp.get("")
def index():
    events = list(db.session.scalars(db.select(Event).order_by(Event.date.desc(), Event.id.desc())))
    return render_template("admin/conferences/index.html", events=events, current=current_live_event(),
                           archive_url=archive_url, is_past=is_past, due_date=due_date)


@bp.route("/new", methods=["GET", "POST"])
def new():
    events = list(db.session.scalars(db.select(Event).order_by(Event.date.desc(), Event.id.desc())))
    form = NewConferenceForm()
    form.source.choices = [("", _("Ingenting: start med en tom konferanse"))] + [
        (event.slug, f"{event.title} ({event.date:%d.%m.%Y})") for event in events]
    if request.method == "GET":
        _prefill(form, current_live_event())
    if not form.validate_on_submit():
        return render_template("admin/conferences/new.html", form=form), 400 if request.method == "POST" else 200
    source = event_by_slug(form.source.data) if form.source.data else None
    parts = [part for part in PARTS if getattr(form, f"copy_{part}").data] if source is not None else []
    try:
        event, _copied = create_event(NewEvent(form.title.data, form.date.data, form.venue.data, form.building.data,
                                               form.slug.data or ""), source, parts, hook=plugin_manager().hook)
    except CopyError as error:
        db.session.rollback()
        form.slug.errors = [*form.slug.errors, str(error)]
        return render_template("admin/conferences/new.html", form=form, refused=str(error)), 400
    if form.make_current.data:
        make_current(event)
    db.session.commit()
    flash(_("«%(title)s» er opprettet.", title=event.title) + " " + (
        _("Nettstedet viser den nå.") if form.make_current.data
        else _("Gjør den gjeldende når den skal vises på nettstedet.")), "success")
    return redirect(url_for(".index"), 303)


def _prefill(form: NewConferenceForm, current: Event | None) -> None:
    """Next year's conference is most often this year's, a year on, in the same building."""
    if current is None:
        return
    form.source.data = current.slug
    form.venue.data, form.building.data = current.venue, current.building
    try:
        form.date.data = current.date.replace(year=current.date.year + 1)
    except ValueError:  # 29 February
        form.date.data = current.date + dt.timedelta(days=365)


@bp.post("/<int:event_id>/current")
def choose_current(event_id: int):
    event = db.session.get(Event, event_id) or abort(404)
    make_current(event)
    record("update", "event", event.id, _("«%(title)s» er gjort til gjeldende konferanse", title=event.title),
           event_id=event.id)
    db.session.commit()
    flash(_("Nettstedet viser nå «%(title)s». De andre konferansene ligger i arkivet.", title=event.title), "success")
    return redirect(url_for(".index"), 303)


@bp.route("/<int:event_id>/retention", methods=["GET", "POST"])
def retention(event_id: int):
    event = db.session.get(Event, event_id) or abort(404)
    form = RetentionForm(data={"days": event.attendee_retention_days} if request.method == "GET" else None)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("admin/conferences/retention.html", event=event, form=form, due_date=due_date), status
    before = event.attendee_retention_days
    event.attendee_retention_days = form.days.data
    if before != form.days.data:
        record("update", "event", event.id, _("Endret hvor lenge deltakeropplysningene oppbevares"),
               {_("dager"): [before, form.days.data]}, event_id=event.id)
    db.session.commit()
    flash(_("Deltakeropplysningene for «%(title)s» anonymiseres fra %(day)s.", title=event.title,
            day=format_day(due_date(event))), "success")
    return redirect(url_for(".index"), 303)
