"""The certificate PDF: one A4 page per attendee, each with its own verification QR code."""

from __future__ import annotations

from flask_babel import gettext as _

from fagkonferanse import (
    Event,
    NothingToPrint,
    absolute_url,
    current_language,
    db,
    in_document_language,
    qr_png_data_uri,
    render_pdf,
)

from . import certificates
from .models import Certificate


def verification_url(certificate: Certificate) -> str:
    """Where the QR code leads: the public page confirming the certificate (from ``BASE_URL``)."""
    return absolute_url("kursbevis.verify", token=certificate.token)


def render_certificates(event: Event, chosen: list[Certificate]) -> bytes:
    """The PDF of ``chosen`` certificates, in the order given."""
    urls = [verification_url(certificate) for certificate in chosen]
    return render_pdf(
        "kursbevis/certificate.html", event=event, contents=certificates.contents(event),
        pages=[(certificate, qr_png_data_uri(url), url) for certificate, url in zip(chosen, urls)],
        hours_text=certificates.hours_text, language=current_language())


def render_document(event: Event, options: dict) -> bytes:
    """The print centre's document: everyone checked in, or the people ticked.

    Issuing is what printing a certificate means, so the certificates are stored (committed)
    before the PDF is laid out; a preview issues nothing and shows the first one already issued.
    """
    with in_document_language(options):
        if options.get("preview"):
            existing = certificates.issued(event)[:1]
            if not existing:
                raise NothingToPrint(_("Ingen kursbevis er utstedt ennå."))
            return render_certificates(event, existing)
        people = {int(number) for number in options.get("people") or ()}
        chosen = [registration for registration in certificates.checked_in(event)
                  if not people or registration.id in people]
        if not chosen:
            raise NothingToPrint(_("Ingen er sjekket inn ennå: det er ingen å skrive ut kursbevis for."))
        issued = [certificates.issue(registration) for registration in chosen]
        db.session.commit()
        valid = [certificate for certificate in issued if not certificate.is_revoked]
        if not valid:
            raise NothingToPrint(_("Kursbevisene til de valgte er trukket tilbake."))
        return render_certificates(event, valid)
