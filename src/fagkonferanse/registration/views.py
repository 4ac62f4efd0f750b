"""The attendee's pages: the registration form and the ticket with its self-service.

``/ticket/<secret>`` is a capability link: whoever holds the secret manages that one ticket, and
nothing else. Which links work, and for how long, is decided in :mod:`.links`. Those pages are
never cached and never send a Referer, so the secret stays put.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..app import plugin_manager
from ..checkin import passport
from ..events.services import current_event_or_404
from ..extensions import csrf
from ..formfields import ConfirmForm
from ..i18n import current_language
from ..pagecache import request_content_version
from ..programme.services import public_programme
from ..qr import qr_svg
from ..ratelimits import limited
from . import agenda, links, services
from .capacity import free_seats, seat_count
from .form_cache import blank_fields_html, blank_page, public_form_class
from .forms import LostLinkForm, build_form_class, form_data_of
from .mail import door_url
from .models import CONFIRMED, WAITING, Registration
from .privacy import notice_for
from .settings import (MUNICIPALITY_SUGGESTIONS, OPEN, closing_time, questions_for, registration_state, settings_for,
                       to_local)
from .validation import InvalidValue

bp = Blueprint("registration", __name__)

_SECRET = re.compile(r"[A-Za-z0-9_-]{16,64}")


@bp.after_request
def _private(response: Response) -> Response:
    """Pages that show a person's data: no caching, no search engines, and the address (with its
    secret) never sent to another site. ``same-origin``, not ``no-referrer``: over HTTPS the CSRF
    protection checks that a form post comes from this site by its Referer, so the page's own
    forms must send one."""
    if request.path.startswith("/ticket/") or request.method == "POST":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.app_template_filter("event_time")
def event_time(value, event):
    """Stored UTC → the event's wall-clock time: ``{{ checkin.at|event_time(event)|clock }}``."""
    return to_local(value, event)


# --- Registering ------------------------------------------------------------------------------


def _register_page(event=None, settings=None, questions=None, form=None, state: str | None = None,
                   **extra) -> str:
    """The registration page; the form holds what was posted, if anything."""
    event = event or current_event_or_404()
    settings = settings or settings_for(event)
    questions = questions if questions is not None else questions_for(event)
    form = form if form is not None else build_form_class(settings, questions)()
    confirmed, capacity = seat_count(event.id)
    notice = notice_for(event, settings)
    return render_template(
        "registration/register.html", event=event, settings=settings, form=form,
        state=state or registration_state(settings), free=free_seats(confirmed, capacity),
        notice=notice, municipalities=MUNICIPALITY_SUGGESTIONS,
        blank_fields=blank_fields_html(form, settings, questions, notice, MUNICIPALITY_SUGGESTIONS),
        opens_at=to_local(settings.opens_at, event), closes_at=to_local(closing_time(settings), event), **extra)


def _too_many_registrations():
    """Over the ``register`` rate limit: the form again, with what was typed, asking to wait."""
    return _register_page(rate_limited=True), 429


@bp.route("/register", methods=["GET", "POST"])
@limited("register", refused=_too_many_registrations)
def register():
    # The page's extras (free seats, privacy notice …) are worked out only when it is shown: at
    # the busiest, most posts succeed and answer with a redirect.
    request_content_version()  # first: what is kept (form_cache.py) is never older than its version
    event = current_event_or_404()
    settings = settings_for(event)
    state = registration_state(settings)
    if request.method == "GET":  # the same for everyone but the CSRF token: kept (form_cache.py)
        return blank_page(event.id, state, lambda: _register_page(event, settings, state=state))
    form = public_form_class(event, settings)()
    if state != OPEN:
        return _register_page(event, settings, None, form, state), 409
    if not form.validate_on_submit():
        return _register_page(event, settings, None, form, state), 400
    outcome = services.register(event, form.details(), language=current_language(), settings=settings)
    if outcome.result in (CONFIRMED, WAITING):
        if outcome.result == CONFIRMED:
            flash(_("Du er påmeldt!"), "success")
        else:
            flash(_("Det er fullt, så du står på ventelisten. Vi sender deg en e-post hvis du får plass."),
                  "success")
        return redirect(url_for(".ticket", secret=outcome.registration.browser_secret), 303)
    if outcome.result == services.DUPLICATE:
        return render_template("registration/link_sent.html", event=event, email=outcome.registration.email)
    return _register_page(event, settings, questions, form, outcome.result), 409  # full, or closed meanwhile


# --- The ticket -------------------------------------------------------------------------------


def _open(secret: str) -> links.TicketAccess:
    """The ticket ``secret`` opens, or the page that says why it no longer does (410) or never did (404)."""
    found = links.open_ticket(secret) if _SECRET.fullmatch(secret) else None
    if isinstance(found, links.Gone):
        abort(make_response(render_template("registration/gone.html", event=current_event_or_404(),
                                            reason=found.reason), 410))
    if found is None:
        abort(404)
    return found


@bp.get("/ticket/<secret>")
def ticket(secret: str):
    access = _open(secret)
    registration = access.registration
    event = registration.event
    questions = {str(q.id): q.label for q in questions_for(event)}
    return render_template(
        "registration/ticket.html",
        programme=public_programme(event),
        event=event,
        registration=registration,
        secret=secret,
        by_browser=access.by_browser,
        qr=qr_svg(door_url(registration), _("QR-kode for innsjekking")) if registration.status == CONFIRMED else None,
        position=services.waiting_position(registration) if registration.status == WAITING else None,
        answers=[(questions.get(key, _("Spørsmål som er fjernet")), value)
                 for key, value in (registration.answers or {}).items() if value],
        passport_on=passport.is_on_here(registration),
        stamps=passport.stamps_of(registration),
        sections=plugin_sections(registration),
    )


def plugin_sections(registration) -> list:
    """What plugins add to the ticket page (``ticket_page_sections``), in their order."""
    groups = plugin_manager().hook.ticket_page_sections(registration=registration, request=request)
    return sorted((section for group in groups for section in group or ()), key=lambda section: section.order)


@bp.route("/ticket/<secret>/edit", methods=["GET", "POST"])
def edit(secret: str):
    access = _open(secret)
    registration = access.registration
    event = registration.event
    form = build_form_class(settings_for(event), questions_for(event), purpose="edit")(
        data=form_data_of(registration))
    if form.validate_on_submit():
        try:
            browser_secret = services.update_details(registration, form.details())
        except InvalidValue as error:
            form.email.errors.append(str(error))
        else:
            if browser_secret is None:
                flash(_("Endringene er lagret."), "success")
                return redirect(url_for(".ticket", secret=secret), 303)
            flash(_("Endringene er lagret. Vi har sendt en ny lenke til %(email)s; de gamle lenkene virker ikke "
                    "lenger.", email=registration.email), "success")
            return redirect(url_for(".ticket", secret=browser_secret), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("registration/edit.html", event=event, registration=registration, secret=secret,
                           form=form, municipalities=MUNICIPALITY_SUGGESTIONS), status


@bp.route("/ticket/<secret>/cancel", methods=["GET", "POST"])
def cancel(secret: str):
    registration = _open(secret).registration
    if request.method == "POST":
        services.cancel(registration)
        flash(_("Du er meldt av. Takk for at du sa fra!"), "success")
        return redirect(url_for(".ticket", secret=secret), 303)
    return render_template("registration/confirm.html", event=registration.event, registration=registration,
                           secret=secret, action="cancel")


@bp.route("/ticket/<secret>/delete", methods=["GET", "POST"])
def delete(secret: str):
    registration = _open(secret).registration
    if request.method == "POST":
        services.delete_person(registration)
        flash(_("Opplysningene dine er slettet. Påmeldingen finnes ikke lenger."), "success")
        response = redirect(url_for("events.home"), 303)
        passport.forget_browser(response)
        return response
    return render_template("registration/confirm.html", event=registration.event, registration=registration,
                           secret=secret, action="delete")


@bp.route("/ticket/lost", methods=["GET", "POST"])
@limited("ticket-link")
def lost_link():
    """Ask for a fresh ticket link by mail. The answer is the same whether or not the address is
    registered, so the form tells no stranger who is coming."""
    event = current_event_or_404()
    form = LostLinkForm()
    if form.validate_on_submit():
        services.request_link(event, form.email.data)
        return render_template("registration/link_sent.html", event=event, email=form.email.data.lower())
    status = 400 if request.method == "POST" else 200
    return render_template("registration/lost.html", event=event, form=form), status


@bp.get("/ticket/<secret>/data.json")
def download(secret: str):
    registration = _open(secret).registration
    body = json.dumps(services.export_person(registration), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="mine-opplysninger.json"'})


@bp.post("/ticket/<secret>/passport")
def switch_passport(secret: str):
    registration = _open(secret).registration
    response = redirect(url_for(".ticket", secret=secret) + "#standpass", 303)
    if request.form.get("action") == "on":
        passport.switch_on(registration, response)
        flash(_("Standpasset er slått på i denne nettleseren."), "success")
    else:
        passport.switch_off(registration, response)
        flash(_("Standpasset er slått av, og stempler er slettet."), "success")
    return response


# --- "Mitt program" on the ticket (see agenda.py) ------------------------------------------------


def _browser_stars() -> agenda.BrowserStars | None:
    """What agenda.js sent (``{"items": [...], "base": [...] or null, "key": ...}``), or None if malformed."""
    return agenda.BrowserStars.from_json(request.get_json(silent=True))


@bp.post("/ticket/<secret>/agenda")
def keep_agenda(secret: str):
    """The ticket page links this browser: its stars and the ticket's are merged, and the browser
    gets the key to keep them in step from the programme pages (agenda.js; CSRF in a header)."""
    access = _open(secret)
    sent = _browser_stars()
    if sent is None:
        return {"error": "items must be a list of programme item ids"}, 400
    merged = agenda.link_browser(access.registration, sent)
    return {"items": merged, "key": agenda.sync_key(access.registration, secret)}


@bp.post("/agenda/sync")
@csrf.exempt  # the credential is the key in the body, which no other site can know or make a browser send
def sync_agenda():
    """A linked browser's stars changed on a programme page: merge them into the ticket's."""
    sent = _browser_stars()
    registration = None if sent is None else agenda.registration_for_key(sent.key)
    if sent is None:
        return {"error": "items must be a list of programme item ids"}, 400
    if registration is None:
        return {"error": "this browser is no longer linked to a ticket"}, 410
    return {"items": agenda.sync_stars(registration, sent.items, sent.base)}


@bp.post("/ticket/<secret>/agenda/feed")
def agenda_feed(secret: str):
    """Make the calendar feed of the starred items, make a new one (the old one ends), or stop it."""
    registration = _open(secret).registration
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("action") == "stop":
        agenda.stop_feed(registration)
        flash(_("Kalenderlenken til Mitt program er slettet og virker ikke lenger."), "success")
    else:
        had_one = registration.agenda_token is not None
        agenda.renew_feed(registration)
        flash(_("Du har fått en ny kalenderlenke. Den gamle virker ikke lenger.") if had_one
              else _("Kalenderlenken til Mitt program er klar."), "success")
    return redirect(url_for(".ticket", secret=secret, _anchor="mitt-program"), 303)
