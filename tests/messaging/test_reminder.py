"""The reminder the day before: on by default, sent once at its time to everyone confirmed, with
what they need for the day; organisers can change its words and time, or switch it off."""

from __future__ import annotations

import datetime as dt

from fagkonferanse import clock
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.messaging import services
from fagkonferanse.messaging.models import Message
from fagkonferanse.registration.models import Registration

from ..conftest import post_form
from ..registration.conftest import outbox as sent_mail

# The day before 9 November 2016, 12.00 in Oslo (winter time: UTC+1).
DUE = dt.datetime(2016, 11, 8, 11, 0)


def sweep_at(app, monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(clock, "utc_now", lambda: moment)
    with app.app_context(), app.test_request_context():
        services.send_due_reminders()


def test_nothing_goes_before_its_time_and_it_goes_once(app, crowd, monkeypatch):
    sweep_at(app, monkeypatch, DUE - dt.timedelta(minutes=1))
    assert sent_mail(app) == []
    sweep_at(app, monkeypatch, DUE)
    sweep_at(app, monkeypatch, DUE + dt.timedelta(minutes=1))
    assert sorted(str(message["To"].addresses[0].addr_spec) for message in sent_mail(app)) == [
        "eva@example.no", "kari@moss.kommune.no", "ola@fredrikstad.kommune.no", "speaker@example.no"]
    with app.app_context():
        [message] = db.session.scalars(db.select(Message)).all()
        assert (message.kind, message.recipients, message.delivered) == ("reminder", 4, 4)


def test_the_reminder_holds_time_place_ticket_code_stands_and_programme(app, crowd, monkeypatch):
    sweep_at(app, monkeypatch, DUE)
    by_address = {str(message["To"].addresses[0].addr_spec): message for message in sent_mail(app)}
    kari = by_address["kari@moss.kommune.no"]
    assert str(kari["Subject"]) == "Velkommen i morgen: Kunnskap om praksisutvikling innen levekår og mangfold"
    text = kari.get_content()
    with app.app_context():
        code = db.session.get(Registration, crowd["Kari"]).door_code
    for expected in ("Hei Kari Nordmann,", "onsdag 9. november 2016, registreringen åpner kl. 08.30",
                     "Høgskolen i Østfold, H-bygget", "http://127.0.0.1:5000/stands", "kl. 09.00",
                     "http://127.0.0.1:5000/programme", "/ticket/", f"{code[:4]}-{code[4:]}"):
        assert expected in text, expected
    english = by_address["ola@fredrikstad.kommune.no"].get_content()
    assert "Hi Ola Hansen," in english and "Wednesday 9 November 2016, registration opens at 08:30" in english
    assert "\nProgramme\n" in english and "The whole programme, with the speakers:" in english


def test_switched_off_or_after_the_day_has_started_it_is_not_sent(app, crowd, monkeypatch):
    with app.app_context():
        services.reminder_for(current_event()).enabled = False
        db.session.commit()
    sweep_at(app, monkeypatch, DUE)
    with app.app_context():
        services.reminder_for(current_event()).enabled = True
        db.session.commit()
    sweep_at(app, monkeypatch, dt.datetime(2016, 11, 8, 23, 0))  # midnight in Oslo: the day itself
    assert sent_mail(app) == []


def test_organisers_change_the_words_and_the_time(admin_client, app, crowd, monkeypatch):
    monkeypatch.setattr(clock, "utc_now", lambda: DUE - dt.timedelta(days=1))
    page = admin_client.get("/admin/messages/reminder").get_data(as_text=True)
    assert "Sendes 8. november 2016 kl. 12.00 til dem som er påmeldt da (nå 4)." in page
    assert "Slik leser Berit Eivi Nilsen den (norsk)" in page and "Slik leser Ola Hansen den (engelsk)" in page
    response = post_form(admin_client, "/admin/messages/reminder", {
        "enabled": "y", "send_time": "18:30", "subject": "I morgen!", "body": "Hei {navn}, vi gleder oss.",
        "subject_en": "", "body_en": ""})
    assert response.status_code == 303
    sweep_at(app, monkeypatch, DUE)
    assert sent_mail(app) == []  # now 18.30 Oslo time
    sweep_at(app, monkeypatch, dt.datetime(2016, 11, 8, 17, 30))
    kari = next(message for message in sent_mail(app) if "kari@" in str(message["To"]))
    assert str(kari["Subject"]) == "I morgen!" and kari.get_content().startswith("Hei Kari Nordmann, vi gleder oss.")
    index = admin_client.get("/admin/messages/").get_data(as_text=True)
    assert "Sendt 8. november 2016 kl. 18.30." in index


def test_a_bad_time_is_a_form_error(admin_client, crowd):
    response = post_form(admin_client, "/admin/messages/reminder", {"enabled": "y", "send_time": "25:99"})
    assert response.status_code == 400
    assert "Not a valid time value." in response.get_data(as_text=True) or "gyldig" in response.get_data(as_text=True)


def test_after_the_day_has_begun_the_page_says_it_was_not_sent(admin_client, crowd, monkeypatch):
    monkeypatch.setattr(clock, "utc_now", lambda: dt.datetime(2016, 11, 9, 7, 0))
    for path in ("/admin/messages/", "/admin/messages/reminder"):
        assert "Ikke sendt: konferansedagen er i gang eller over." in admin_client.get(path).get_data(as_text=True)
