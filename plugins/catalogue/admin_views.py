"""Organiser pages at ``/admin/catalogue`` (the core's guard requires an organiser on all of them).

Edit a sheet, send an exhibitor a private link, revoke links, review and decide proposals.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from fagkonferanse import Event, current_event_or_404, db, stands, utcnow

from . import services
from .contacts import emails, mailto_href
from .editing import StaleEdit, content, save_sheet
from .exhibitors import (NotPending, approve, create_link, pending_proposals, reject, review, revoke_link,
                         sheet_links)
from .forms import FORMAT_HINT, ActionForm, ApproveForm, LinkForm, OrganiserSheetForm, RejectForm
from .models import ExhibitorLink, ProjectSheet, SheetProposal
from .services import block_texts
from .textformat import blocks_to_text

bp = Blueprint("catalogue_admin", __name__, url_prefix="/admin/catalogue")


@bp.get("")
def index():
    event = current_event_or_404()
    every = services.sheets(event, include_hidden=True)
    waiting = pending_proposals(event)
    return render_template("catalogue/admin/index.html", event=event, sheets=every, proposals=waiting,
                           waiting_by_sheet=_count_by_sheet(waiting),
                           without_projects=services.stands_without_sheets(event))


@bp.route("/<slug>", methods=["GET", "POST"])
def edit(slug: str):
    event = current_event_or_404()
    sheet = _sheet_or_404(event, slug)
    form = OrganiserSheetForm()
    form.stand.choices = _stand_choices(event)
    if request.method == "GET":
        form.fill(content(sheet), sheet.version)
        form.status.data, form.stand.data = sheet.status, sheet.stand_id
    elif form.validate_on_submit():
        try:
            changes = save_sheet(sheet, form.values(), form.version.data, current_user.email,
                                 status=form.status.data, stand_id=form.stand.data)
        except StaleEdit:
            db.session.rollback()
            sheet = _sheet_or_404(event, slug)
            return _edit_page(event, sheet, form, conflict=True), 409
        db.session.commit()
        flash(_("«%(name)s» er lagret.", name=sheet.project_name) if changes
              else _("Ingen endringer å lagre."), "success")
        return redirect(url_for(".edit", slug=sheet.slug), 303)
    return _edit_page(event, sheet, form), 400 if request.method == "POST" else 200


@bp.route("/<slug>/links", methods=["GET", "POST"])
def links(slug: str):
    event = current_event_or_404()
    sheet = _sheet_or_404(event, slug)
    form = LinkForm()
    if request.method == "GET":
        form.recipient.data = ", ".join(dict.fromkeys(emails(" ".join(block_texts(sheet.sections.get("kontakt", []))))))
    elif form.validate_on_submit():
        link, token = create_link(sheet, form.recipient.data or "", form.days.data, current_user.email)
        db.session.commit()
        url = current_app.config["BASE_URL"] + url_for("catalogue_exhibitor.edit", token=token)
        return render_template("catalogue/admin/link_created.html", event=event, sheet=sheet, link=link, url=url,
                               recipient_emails=emails(link.recipient), mailto=_mailto(sheet, link, url))
    return render_template("catalogue/admin/links.html", event=event, sheet=sheet, form=form,
                           links=sheet_links(sheet), revoke_form=ActionForm(), now=utcnow()), \
        400 if request.method == "POST" else 200


@bp.post("/links/<int:link_id>/revoke")
def revoke(link_id: int):
    event = current_event_or_404()
    link = db.session.get(ExhibitorLink, link_id)
    if link is None or link.sheet.event_id != event.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    revoke_link(link, current_user.email)
    db.session.commit()
    flash(_("Lenken er trukket tilbake og virker ikke lenger."), "success")
    return redirect(url_for(".links", slug=link.sheet.slug), 303)


@bp.get("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    event = current_event_or_404()
    found = _proposal_or_404(event, proposal_id)
    return _review_page(event, found, ApproveForm(version=found.sheet.version), RejectForm())


@bp.post("/proposals/<int:proposal_id>/approve")
def approve_proposal(proposal_id: int):
    event = current_event_or_404()
    found = _proposal_or_404(event, proposal_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _review_page(event, found, form, RejectForm()), 400
    try:
        approve(found, form.version.data, current_user.email)
    except (StaleEdit, NotPending) as error:
        db.session.rollback()
        found = _proposal_or_404(event, proposal_id)
        message = (_("Arket er endret etter at du åpnet forslaget. Se gjennom endringene på nytt før du godkjenner.")
                   if isinstance(error, StaleEdit) else _("Forslaget er allerede behandlet."))
        return _review_page(event, found, ApproveForm(version=found.sheet.version), RejectForm(),
                            conflict=message), 409
    db.session.commit()
    flash(_("Forslaget er godkjent, og «%(name)s» er oppdatert.", name=found.sheet.project_name), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/proposals/<int:proposal_id>/reject")
def reject_proposal(proposal_id: int):
    event = current_event_or_404()
    found = _proposal_or_404(event, proposal_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _review_page(event, found, ApproveForm(version=found.sheet.version), form), 400
    try:
        reject(found, form.note.data or "", current_user.email)
    except NotPending:
        return _review_page(event, found, ApproveForm(version=found.sheet.version), form,
                            conflict=_("Forslaget er allerede behandlet.")), 409
    db.session.commit()
    flash(_("Forslaget er avvist. Arket er ikke endret."), "success")
    return redirect(url_for(".index"), 303)


# --- Helpers ----------------------------------------------------------------------------------


def _mailto(sheet: ProjectSheet, link: ExhibitorLink, url: str) -> str | None:
    """A ``mailto:`` address with the link written out, for the organiser's own mail program."""
    recipients = emails(link.recipient)
    if not recipients:
        return None
    subject = _("Prosjektkatalogen: %(name)s", name=sheet.project_name)
    body = "\n\n".join([
        _("Hei!"),
        _("Her er en lenke der du kan rette prosjektarket «%(name)s» i prosjektkatalogen:", name=sheet.project_name),
        url,
        _("Lenken er personlig og gyldig til %(date)s.", date=f"{link.expires_at:%d.%m.%Y}"),
    ])
    return mailto_href(*recipients) + "?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def _count_by_sheet(proposals: list[SheetProposal]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for item in proposals:
        counts[item.sheet_id] = counts.get(item.sheet_id, 0) + 1
    return counts


def _sheet_or_404(event: Event, slug: str) -> ProjectSheet:
    sheet = services.sheet_by_slug(event, slug, include_hidden=True)
    if sheet is None:
        abort(404)
    return sheet


def _proposal_or_404(event: Event, proposal_id: int) -> SheetProposal:
    found = db.session.get(SheetProposal, proposal_id)
    if found is None or found.sheet.event_id != event.id:
        abort(404)
    return found


def _stand_choices(event: Event) -> list[SelectChoice]:
    return [SelectChoice("", _("Ingen stand"))] + [SelectChoice(stand.id, stand.organisation.name)
                                                   for stand in stands(event)]


def _edit_page(event: Event, sheet: ProjectSheet, form: OrganiserSheetForm, conflict: bool = False) -> str:
    return render_template("catalogue/admin/edit.html", event=event, sheet=sheet, form=form, hint=FORMAT_HINT,
                           conflict=conflict, links=sheet_links(sheet), now=utcnow())


def _review_page(event: Event, found: SheetProposal, approve_form: ApproveForm, reject_form: RejectForm,
                 conflict: str | None = None) -> str:
    return render_template("catalogue/admin/proposal.html", event=event, proposal=found, changes=review(found),
                           approve_form=approve_form, reject_form=reject_form, conflict=conflict,
                           blocks_to_text=blocks_to_text)
