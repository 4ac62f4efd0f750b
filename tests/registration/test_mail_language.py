"""Every mail is written in the language the person registered in, whoever causes it.

A person who registers on the English page gets English mail (subject, text, dates and times the
English way); one who registers on the Norwegian page gets Norwegian mail. That holds when the mail
is caused by someone else: another person's cancellation that gives them a seat, an organiser
working in the other language, or a command run outside any request.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2.ext import babel_extract

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import mail, services
from fagkonferanse.registration.models import CANCELLED, CONFIRMED, WAITING

from ..conftest import csrf_token, log_in
from .conftest import configure, outbox, people, register

TITLE = "Kunnskap om praksisutvikling innen levekår og mangfold"
MAIL_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "registration" / "mail"

SUBJECTS = {
    "nb": {"confirmed": f"Du er påmeldt: {TITLE}", "waiting": f"Du står på venteliste: {TITLE}",
           "promoted": f"Du har fått plass: {TITLE}", "cancelled": f"Avmelding registrert: {TITLE}",
           "resend": f"Billettlenken din: {TITLE}", "address": f"Ny e-postadresse på påmeldingen: {TITLE}"},
    "en": {"confirmed": f"You are registered: {TITLE}", "waiting": f"You are on the waiting list: {TITLE}",
           "promoted": f"You have a place: {TITLE}", "cancelled": f"Cancellation received: {TITLE}",
           "resend": f"Your ticket link: {TITLE}", "address": f"New e-mail address on your registration: {TITLE}"},
}
DAY = {"nb": "onsdag 9. november 2016", "en": "Wednesday 9 November 2016"}
DOORS = {"nb": "kl. 08.30", "en": "08:30"}
GREETING = {"nb": "Hei {name},", "en": "Hello {name},"}
# One sentence of each message's own text (the subject alone could hide a Norwegian body).
SENTENCE = {
    "nb": {"confirmed": f"du er påmeldt {TITLE} onsdag 9. november 2016.",
           "waiting": f"det er fullt på {TITLE}, så du står på ventelisten som nummer 1.",
           "promoted": f"gode nyheter: du har fått plass på {TITLE} onsdag 9. november 2016.",
           "cancelled": f"vi har registrert at du er meldt av {TITLE}.",
           "resend": f"her er en ny lenke til påmeldingen din på {TITLE}.",
           "address": f"denne e-postadressen er nå adressen på påmeldingen din til {TITLE} onsdag 9. november 2016."},
    "en": {"confirmed": f"You are registered for {TITLE} on Wednesday 9 November 2016.",
           "waiting": f"{TITLE} is full, so you are number 1 on the waiting list.",
           "promoted": f"Good news: you have a place at {TITLE} on Wednesday 9 November 2016.",
           "cancelled": f"We have received your cancellation for {TITLE}.",
           "resend": f"Here is a new link to your registration for {TITLE}.",
           "address": f"This e-mail address is now the address of your registration for {TITLE} on Wednesday 9 November 2016."},
}

KARI = {"name": "Kari Venter", "email": "kari@example.no"}


def browser(app, language: str):
    """A visitor's browser showing the site in ``language`` (Norwegian is the default)."""
    client = app.test_client()
    if language != "nb":
        client.set_cookie("lang", language)
    return client


def mails_to(app, address: str) -> list:
    return [message for message in outbox(app) if message["To"].addresses[0].addr_spec == address]


def assert_mail(message, language: str, kind: str, name: str) -> None:
    """``message`` is the ``kind`` mail, wholly in ``language``."""
    body = message.get_content()
    assert message["Subject"] == SUBJECTS[language][kind]
    assert message["Content-Language"] == language
    assert body.startswith(GREETING[language].format(name=name) + "\n"), body
    assert SENTENCE[language][kind] in body, body
    assert DAY[language] in body  # the footer names the day, in every kind of message
    other = "en" if language == "nb" else "nb"
    assert DAY[other] not in body and GREETING[other].format(name=name) not in body


def ticket_of(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


# --- Registering on the English or the Norwegian page -----------------------------------------


def test_the_english_page_gives_an_english_subject_and_english_dates(app):
    register(browser(app, "en"))
    [message] = outbox(app)
    assert message["Subject"] == SUBJECTS["en"]["confirmed"]
    assert message["Content-Language"] == "en"
    body = message.get_content()
    assert DAY["en"] in body and DOORS["en"] in body
    assert "onsdag" not in body and "kl. 08.30" not in body and "november" not in body


def test_the_english_page_gives_an_english_mail(app):
    register(browser(app, "en"))
    [message] = outbox(app)
    assert_mail(message, "en", "confirmed", "Øyvind Hansen")
    body = message.get_content()
    assert "Registration opens at 08:30." in body
    assert "Your ticket, with the QR code for check-in:" in body
    assert "Do not share the link" in body


def test_the_norwegian_page_gives_a_norwegian_mail(app):
    register(browser(app, "nb"))
    [message] = outbox(app)
    assert_mail(message, "nb", "confirmed", "Øyvind Hansen")
    body = message.get_content()
    assert "Registreringen åpner kl. 08.30." in body
    assert "Billetten din, med QR-koden for innsjekking:" in body
    assert "Wednesday" not in body and "Your ticket" not in body


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_waiting_list_mail_is_in_the_persons_language(app, language):
    configure(app, capacity=1)
    register(browser(app, "nb" if language == "en" else "en"))  # someone else takes the seat
    register(browser(app, language), **KARI)
    [message] = mails_to(app, KARI["email"])
    assert_mail(message, language, "waiting", "Kari Venter")


# --- Mail someone else causes -----------------------------------------------------------------


@pytest.mark.parametrize("promoted_language, cancelling_language", [("en", "nb"), ("nb", "en")])
def test_a_seat_freed_by_someone_elses_cancellation_is_announced_in_the_promoted_persons_language(
        app, promoted_language, cancelling_language):
    configure(app, capacity=1)
    canceller = browser(app, cancelling_language)
    ticket = ticket_of(register(canceller))
    register(browser(app, promoted_language), **KARI)

    token = csrf_token(canceller, ticket + "/cancel")
    assert canceller.post(ticket + "/cancel", data={"csrf_token": token}).status_code == 303

    assert [(p.name, p.status) for p in people(app)] == [("Øyvind Hansen", CANCELLED), ("Kari Venter", CONFIRMED)]
    waiting, promoted = mails_to(app, KARI["email"])
    assert_mail(promoted, promoted_language, "promoted", "Kari Venter")
    assert DOORS[promoted_language] in promoted.get_content()
    cancelled = mails_to(app, "oyvind@moss.kommune.no")[-1]
    assert_mail(cancelled, cancelling_language, "cancelled", "Øyvind Hansen")


def test_an_organiser_working_in_english_mails_a_norwegian_attendee_in_norwegian(app, organiser):
    register(browser(app, "nb"))
    [person] = people(app)
    desk = browser(app, "en")
    log_in(desk)
    token = csrf_token(desk, f"/admin/attendees/{person.id}")
    desk.post(f"/admin/attendees/{person.id}/resend", data={"csrf_token": token})
    assert_mail(outbox(app)[-1], "nb", "resend", "Øyvind Hansen")
    assert "Du er påmeldt." in outbox(app)[-1].get_content()


def test_an_organiser_working_in_norwegian_mails_an_english_attendee_in_english(app, organiser):
    configure(app, capacity=1)
    register(browser(app, "nb"))
    register(browser(app, "en"), **KARI)
    kari = people(app)[1]
    desk = browser(app, "nb")
    log_in(desk)
    token = csrf_token(desk, f"/admin/attendees/{kari.id}")
    desk.post(f"/admin/attendees/{kari.id}/confirm", data={"csrf_token": token})  # beyond the capacity
    assert_mail(mails_to(app, KARI["email"])[-1], "en", "promoted", "Kari Venter")


def test_outside_any_request_the_mail_is_in_the_persons_language(app):
    """A command (no request, no cookie) that frees a seat: the promoted person reads their own language."""
    configure(app, capacity=1)
    register(browser(app, "nb"))
    register(browser(app, "en"), **KARI)
    with app.app_context():
        first = services.find_by_email(current_event(), "oyvind@moss.kommune.no")
        [promoted] = services.cancel(first)
        assert promoted.email == KARI["email"]
    assert_mail(mails_to(app, KARI["email"])[-1], "en", "promoted", "Kari Venter")
    assert_mail(mails_to(app, "oyvind@moss.kommune.no")[-1], "nb", "cancelled", "Øyvind Hansen")


# --- Every kind of message, all of its text ---------------------------------------------------

STATUS_FOR = {"confirmed": CONFIRMED, "waiting": WAITING, "promoted": CONFIRMED, "cancelled": CANCELLED,
              "resend": WAITING, "address": CONFIRMED}


def _norwegian_mail_sentences() -> list[str]:
    """The longest placeholder-free piece of every message the mail templates translate."""
    pieces = []
    for path in sorted(MAIL_TEMPLATES.glob("*.txt")):
        with path.open("rb") as handle:
            for _line, _function, message, _comments in babel_extract(handle, ("_", "gettext", "ngettext"), [], {}):
                for text in message if isinstance(message, tuple) else (message,):
                    if text:
                        piece = max(re.split(r"%\(\w+\)s", text), key=len)
                        if len(piece.strip()) >= 4:
                            pieces.append(piece)
    return pieces


def test_the_mail_templates_are_translated_text():
    assert len(_norwegian_mail_sentences()) >= 15


@pytest.mark.parametrize("kind", mail.KINDS)
def test_no_norwegian_sentence_is_left_in_an_english_mail(app, kind):
    with app.app_context():
        outcome = services.register(current_event(), {"name": "Kari Venter", "email": "kari@example.no"},
                                    language="en", notify=False)
        registration = outcome.registration
        registration.status = STATUS_FOR[kind]
        message = mail.compose(registration, kind)
        db.session.rollback()
    assert_mail(message, "en", kind, "Kari Venter")
    left = [piece for piece in _norwegian_mail_sentences() if piece in message.get_content()]
    assert not left, left
