"""The public verification page and download, and the organisers' page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from fagkonferanse import current_event_or_404, db, record

from . import certificates
from .models import Certificate
from .render import render_certificates, verification_url

bp = Blueprint("kursbevis", __name__, url_prefix="/kursbevis")
admin_bp = Blueprint("kursbevis_admin", __name__, url_prefix="/admin/kursbevis")


def _private(response: Response) -> Response:
    """The page names a person: never cached, never indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/<token>")
def verify(token: str):
    """What the QR code opens: is this certificate genuine? Only the name, no other detail."""
    certificate = certificates.by_token(token)
    if certificate is None:
        return _private(Response(render_template("kursbevis/unknown.html"), status=404))
    event = certificate.registration.event
    return _private(Response(render_template(
        "kursbevis/verify.html", certificate=certificate, event=event,
        contents=certificates.contents(event), hours_text=certificates.hours_text)))


@bp.get("/<token>/kursbevis.pdf")
def download(token: str):
    """The certificate itself, for its holder (the link is on their ticket page and in the mail)."""
    certificate = certificates.by_token(token)
    if certificate is None:
        abort(404)
    if certificate.is_revoked:
        return _private(Response(render_template("kursbevis/unknown.html", revoked=True), status=410))
    event = certificate.registration.event
    pdf = render_certificates(event, [certificate])
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="kursbevis-{event.slug}.pdf"'
    return _private(response)


# --- Organisers ------------------------------------------------------------------------------------


@admin_bp.get("/")
def index():
    event = current_event_or_404()
    issued = certificates.issued(event)
    return render_template(
        "kursbevis/admin.html", event=event, issued=issued, checked_in=len(certificates.checked_in(event)),
        unmailed=sum(1 for certificate in issued if certificate.mailed_at is None and not certificate.is_revoked),
        is_over=certificates.is_over(event), verification_url=verification_url)


@admin_bp.post("/send")
def send():
    """Mail every checked-in attendee their certificate (those mailed before are skipped)."""
    event = current_event_or_404()
    if not certificates.is_over(event):
        flash(_("Kursbevisene kan sendes når konferansen er over."), "error")
        return redirect(url_for(".index"))
    count = certificates.mail_everyone(event)
    record("send", "kursbevis", None, f"Kursbevis sendt til {count}", event_id=event.id)
    db.session.commit()
    flash(ngettext("Kursbeviset er sendt til %(num)s deltaker.", "Kursbeviset er sendt til %(num)s deltakere.", count)
          if count
          else _("Alle som er sjekket inn, har fått kursbeviset allerede."), "success")
    return redirect(url_for(".index"))


def _certificate_or_404(certificate_id: int):
    event = current_event_or_404()
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.event_id != event.id:
        abort(404)
    return event, certificate


@admin_bp.post("/<int:certificate_id>/revoke")
def revoke(certificate_id: int):
    event, certificate = _certificate_or_404(certificate_id)
    reason = request.form.get("reason", "")[:500]
    certificates.revoke(certificate, reason)
    record("revoke", "kursbevis", certificate.id, f"Kursbevis trukket tilbake: {certificate.registration.name}",
           event_id=event.id)
    db.session.commit()
    flash(_("Kursbeviset til %(name)s er trukket tilbake.", name=certificate.registration.name), "success")
    return redirect(url_for(".index"))


@admin_bp.post("/<int:certificate_id>/reinstate")
def reinstate(certificate_id: int):
    event, certificate = _certificate_or_404(certificate_id)
    certificates.reinstate(certificate)
    record("reinstate", "kursbevis", certificate.id, f"Kursbevis gyldig igjen: {certificate.registration.name}",
           event_id=event.id)
    db.session.commit()
    flash(_("Kursbeviset til %(name)s er gyldig igjen.", name=certificate.registration.name), "success")
    return redirect(url_for(".index"))
