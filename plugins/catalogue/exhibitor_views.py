"""The exhibitor's private page: ``/catalogue/edit/<token>``, no account needed.

The token in the address is the only credential, so these responses are never cached and never
leak the address to another site (``Referrer-Policy: same-origin``: the page's own form still
sends its Referer, which the CSRF protection checks over HTTPS), and search engines are told not
to index them.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from fagkonferanse import current_event, db, plugin_manager

from .editing import content
from .exhibitors import LinkUnusable, link_for_token, pending_proposal, submit_proposal
from .forms import FORMAT_HINT, ExhibitorForm

bp = Blueprint("catalogue_exhibitor", __name__, url_prefix="/catalogue/edit")


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.route("/<token>", methods=["GET", "POST"])
def edit(token: str):
    try:
        link = link_for_token(token)
    except LinkUnusable as error:
        return render_template("catalogue/exhibitor_closed.html", reason=error.reason, event=current_event()), 410
    if link is None:
        abort(404)
    sheet = link.sheet
    form = ExhibitorForm()
    waiting = pending_proposal(link)
    if request.method == "GET":
        form.fill(waiting.proposed if waiting else content(sheet), sheet.version)
        if waiting:
            form.submitted_by.data, form.submitted_email.data = waiting.submitted_by, waiting.submitted_email
    elif form.validate_on_submit():
        proposal = submit_proposal(link, form.values(), form.version.data, form.submitted_by.data,
                                   form.submitted_email.data or "", form.message.data or "")
        if proposal is None:
            return render_template("catalogue/exhibitor_form.html", form=form, sheet=sheet, waiting=waiting,
                                   hint=FORMAT_HINT, event=current_event(),
                                   notice=_("Du har ikke endret noe, så det er ikke sendt noe forslag."))
        db.session.commit()
        return render_template("catalogue/exhibitor_thanks.html", sheet=sheet, proposal=proposal, token=token,
                               event=current_event())
    status = 400 if request.method == "POST" else 200
    return render_template("catalogue/exhibitor_form.html", form=form, sheet=sheet, waiting=waiting,
                           hint=FORMAT_HINT, event=current_event(), sections=_stand_sections(sheet)), status


def _stand_sections(sheet) -> list:
    """Other plugins' sections about the sheet's stand (its figures, from the report plugin)."""
    if sheet.stand is None:
        return []
    answers = plugin_manager().hook.exhibitor_page_sections(stand=sheet.stand, request=request)
    return sorted((section for answer in answers for section in answer or ()), key=lambda section: section.order)
