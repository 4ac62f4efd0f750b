"""Who gets a certificate, what it says, and issuing, revoking and mailing them.

Plain functions over the database; the views, the print document and the tests call them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from fagkonferanse import (
    CheckIn,
    Event,
    Localized,
    ProgrammeItem,
    Registration,
    conference_day,
    db,
    localized,
    mail_committed,
    programme_items,
    queue_mail,
    utcnow,
)

from .models import Certificate

MAIL_KIND = "kursbevis"
# Programme items that are not teaching: they count neither as topics nor towards the hours. The
# stands are visited over lunch ("Lunsj og stands"), so they are left out with the meals.
NOT_TAUGHT = frozenset({"registration", "break", "meal", "stands", "closing"})


# --- What a certificate says ------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    start: dt.datetime
    title: Localized  # printed in a template, it marks a Norwegian title on an English certificate


@dataclass(frozen=True)
class Contents:
    """The conference's part of every certificate: its topics and hours."""

    topics: list[Topic]
    minutes: int

    @property
    def hours(self) -> float:
        """Whole and half hours, as course hours are counted: 5 h 20 min is 5.5."""
        return round(self.minutes / 30) / 2


def taught(item: ProgrammeItem) -> bool:
    return not item.cancelled and item.kind not in NOT_TAUGHT


def contents(event: Event) -> Contents:
    """The topics (programme items that teach, in time order) and the hours they fill.

    Parallel sessions are counted once: the hours are the union of the items' times.
    """
    items = [item for item in programme_items(event) if taught(item)]
    topics = [Topic(item.start, localized(item, "title")) for item in items]
    spans = sorted((item.start, item.end) for item in items if item.end and item.end > item.start)
    minutes, covered_until = 0, None
    for start, end in spans:
        if covered_until is not None:
            start = max(start, covered_until)
        if end > start:
            minutes += int((end - start).total_seconds() // 60)
        covered_until = end if covered_until is None else max(covered_until, end)
    return Contents(topics, minutes)


def hours_text(hours: float, language: str) -> str:
    """"5,5" in Norwegian, "5.5" in English; whole hours without a decimal."""
    text = f"{hours:g}"
    return text.replace(".", ",") if language == "nb" else text


# --- Who ----------------------------------------------------------------------------------------


def is_over(event: Event) -> bool:
    """Certificates are handed out once the day's programme has ended (the site's clock)."""
    return conference_day(event).is_over


def checked_in(event: Event) -> list[Registration]:
    """Everyone checked in at the door, by name."""
    return list(db.session.scalars(
        db.select(Registration).join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event.id).order_by(Registration.name, Registration.id)))


def is_eligible(registration: Registration) -> bool:
    return db.session.scalar(db.select(CheckIn.id).where(CheckIn.registration_id == registration.id)) is not None


# --- Issuing, revoking, mailing ------------------------------------------------------------------


def certificate_of(registration: Registration) -> Certificate | None:
    return db.session.scalar(db.select(Certificate).where(Certificate.registration_id == registration.id))


def issue(registration: Registration) -> Certificate:
    """The attendee's certificate, made the first time it is asked for (the caller commits).

    Raises ValueError for someone who was not checked in.
    """
    existing = certificate_of(registration)
    if existing is not None:
        return existing
    if not is_eligible(registration):
        raise ValueError(f"registration {registration.id} was not checked in")
    certificate = Certificate(event_id=registration.event_id, registration=registration,
                              token=secrets.token_urlsafe(24), revoked_reason="")
    db.session.add(certificate)
    db.session.flush()
    return certificate


def issue_all(event: Event) -> list[Certificate]:
    """A certificate for everyone checked in (existing ones are kept), by name."""
    return [issue(registration) for registration in checked_in(event)]


def by_token(token: str) -> Certificate | None:
    return db.session.scalar(db.select(Certificate).where(Certificate.token == token))


def issued(event: Event) -> list[Certificate]:
    return list(db.session.scalars(
        db.select(Certificate).join(Registration).where(Certificate.event_id == event.id)
        .order_by(Registration.name, Certificate.id)))


def revoke(certificate: Certificate, reason: str) -> None:
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason.strip()


def reinstate(certificate: Certificate) -> None:
    certificate.revoked_at = None
    certificate.revoked_reason = ""


def mail_everyone(event: Event) -> int:
    """Issue every certificate and queue the mail to those not mailed yet; returns how many.

    Commits: the mail goes out through the core's outbox after the commit. Revoked certificates
    and attendees without an address are skipped.
    """
    count = 0
    for certificate in issue_all(event):
        if certificate.mailed_at is not None or certificate.is_revoked:
            continue
        if queue_mail(certificate.registration, MAIL_KIND) is not None:
            certificate.mailed_at = utcnow()
            count += 1
    db.session.commit()
    mail_committed()
    return count


def forget(event: Event) -> None:
    """Delete every certificate of ``event`` (its attendees were anonymised; the caller commits).
    Their pages then answer "not found": a certificate naming nobody confirms nothing."""
    db.session.execute(db.delete(Certificate).where(Certificate.event_id == event.id))
