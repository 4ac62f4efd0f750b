"""fagkonferanse-kursbevis: certificates of attendance, as a plugin installed from its own package.

Attendees who were checked in at the door get a certificate ("kursbevis") once the conference
is over: their name, the conference's title, date and place, the programme's topics and hours,
the organisers, and a QR code leading to a public page that confirms it. It reaches them as a
download on their ticket page, by e-mail through the core's outbox, and on paper from the print
centre. Organisers can revoke one.

It imports only ``fagkonferanse``'s public face, like any third-party plugin.
"""

from __future__ import annotations

from pathlib import Path

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from fagkonferanse import (
    PEOPLE,
    MailKind,
    NavLink,
    PageSection,
    PrintableDocument,
    PrintOption,
    absolute_url,
    current_event,
    db,
    hookimpl,
    language_option,
    split_name,
)

from . import certificates, models  # noqa: F401  (models: the table)
from .render import render_document, verification_url
from .views import admin_bp, bp

HERE = Path(__file__).resolve().parent


@hookimpl
def register_blueprints(app):
    return [bp, admin_bp]


@hookimpl
def template_folders():
    return [str(HERE / "templates")]


@hookimpl
def translation_folders():
    return [str(HERE / "translations")]


@hookimpl
def migration_folders():
    return [str(HERE / "migrations" / "versions")]


@hookimpl
def navigation_links(area, request):
    if area != "admin":
        return None
    return [NavLink(_("Kursbevis"), url_for("kursbevis_admin.index"), order=60, group=PEOPLE)]


@hookimpl
def dashboard_items(event):
    count = db.session.scalar(db.select(db.func.count()).select_from(models.Certificate)
                              .where(models.Certificate.event_id == event.id))
    return [NavLink(_("Kursbevis"), url_for("kursbevis_admin.index"), order=60,
                    detail=_("%(num)s utstedt", num=count))]


@hookimpl
def ticket_page_sections(registration, request):
    """The download, once the day is over, for someone who was checked in."""
    if not certificates.is_eligible(registration):
        return None
    event = registration.event
    certificate = None
    if certificates.is_over(event):
        certificate = certificates.issue(registration)
        db.session.commit()
    html = render_template("kursbevis/_ticket_section.html", certificate=certificate,
                           verification_url=verification_url)
    return [PageSection(_("Kursbevis"), Markup(html), order=10)]


@hookimpl
def personal_data(registration):
    certificate = certificates.certificate_of(registration)
    if certificate is None:
        return None
    return {"kursbevis": {
        "issued_at": certificate.issued_at.isoformat() + "Z",
        "mailed_at": certificate.mailed_at.isoformat() + "Z" if certificate.mailed_at else None,
        "revoked": certificate.is_revoked,
        "verification_page": verification_url(certificate),
    }}


@hookimpl
def attendees_anonymised(event):
    """The conference's retention time is over: its certificates go with the names."""
    certificates.forget(event)


@hookimpl
def mail_kinds():
    return [MailKind(certificates.MAIL_KIND, _mail_subject, "kursbevis/mail.txt", _mail_context)]


def _mail_subject(registration) -> str:
    return _("Kursbevis: %(title)s", title=registration.event.title)


def _mail_context(registration) -> dict:
    certificate = certificates.certificate_of(registration)
    return {"certificate": certificate, "verification_url": verification_url(certificate),
            "download_url": absolute_url("kursbevis.download", token=certificate.token)}


@hookimpl
def printable_documents():
    return [PrintableDocument(
        "kursbevis", _("Kursbevis"), render_document,
        description=_("Et kursbevis på A4 for hver som ble sjekket inn, med QR-kode til en side som bekrefter det."),
        options=(language_option(),
                 PrintOption("people", _("Bare disse"), _people_choices(), multiple=True,
                             help=_("Kryss av for å skrive ut for noen få. Ingen avkrysning betyr alle som er sjekket inn."))),
    )]


def _people_choices() -> tuple[tuple[str, str], ...]:
    """Everyone checked in, as "Surname, Given names", for choosing a few."""
    event = current_event()
    if event is None:
        return ()
    choices = []
    for registration in certificates.checked_in(event):
        surname, given = split_name(registration.name)
        choices.append((str(registration.id), f"{surname}, {given}" if given else surname))
    return tuple(choices)
