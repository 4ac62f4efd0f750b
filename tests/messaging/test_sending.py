"""Writing to a group from the organisers' pages: count and preview first, then the mail, in each
person's language, to the group and nobody else."""

from __future__ import annotations

import re

from fagkonferanse import jobs
from fagkonferanse.extensions import db
from fagkonferanse.messaging.models import Message
from fagkonferanse.registration import mail, outbox, services
from fagkonferanse.registration.models import Registration

from ..conftest import csrf_token
from ..registration.conftest import outbox as sent_mail

TEXTS = {
    "subject": "Praktisk info til {navn}",
    "body": "Hei {navn},\n\nhusk matpakke. Koden din: {dørkode}\nBilletten: {billettlenke}",
    "subject_en": "Practical information",
    "body_en": "Hi {name},\n\nbring a packed lunch. Your code: {door_code}",
}


def form_data(client, **fields) -> dict:
    page = client.get("/admin/messages/new").get_data(as_text=True)
    form_key = re.search(r'name="form_key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    return {"csrf_token": csrf_token(client, "/admin/messages/new"), "form_key": form_key, "group": "confirmed",
            "group_value": "", **TEXTS, **fields}


def recipients_of(messages) -> dict[str, str]:
    return {str(message["To"].addresses[0].addr_spec): str(message["Subject"]) for message in messages}


def test_organisers_see_the_count_and_a_real_persons_preview_before_sending(admin_client, crowd, app):
    data = form_data(admin_client, action="preview")
    page = admin_client.post("/admin/messages/new", data=data)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    preview = re.sub(r"\s+", " ", text[text.index("preview-title"):text.index("message-form")])
    assert "Meldingen når 4 personer" in preview and "3 på norsk, 1 på engelsk" in preview, preview
    assert "Slik leser Berit Eivi Nilsen den (norsk)" in text  # the first in the group, by name (the speaker)
    assert "Praktisk info til Berit Eivi Nilsen" in text and "/ticket/" in text
    assert "Slik leser Ola Hansen den (engelsk)" in text and "bring a packed lunch" in text
    assert "Send til 4 personer" in text
    assert sent_mail(app) == []  # nothing sent by a preview
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


def test_the_message_goes_to_the_group_in_each_persons_language(admin_client, crowd, app):
    data = form_data(admin_client, action="send", expected="4")
    response = admin_client.post("/admin/messages/new", data=data)
    assert response.status_code == 303
    messages = sent_mail(app)
    assert recipients_of(messages) == {
        "kari@moss.kommune.no": "Praktisk info til Kari Nordmann",
        "speaker@example.no": recipients_of(messages)["speaker@example.no"],
        "eva@example.no": "Praktisk info til Eva Utstiller",
        "ola@fredrikstad.kommune.no": "Practical information",
    }  # not Per (waiting), Siri (cancelled) or the walk-in without an address
    by_address = {str(message["To"].addresses[0].addr_spec): message for message in messages}
    kari = by_address["kari@moss.kommune.no"].get_content()
    with app.app_context():
        code = db.session.get(Registration, crowd["Kari"]).door_code
    assert f"Koden din: {code[:4]}-{code[4:]}" in kari and "husk matpakke" in kari
    ola = by_address["ola@fredrikstad.kommune.no"]
    assert ola["Content-Language"] == "en" and "Hi Ola Hansen," in ola.get_content()
    assert "Your ticket, with the QR code for check-in:" in ola.get_content()  # the English footer
    with app.app_context():
        [message] = db.session.scalars(db.select(Message)).all()
        assert (message.recipients, message.delivered, message.failed) == (4, 4, 0)
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Alle påmeldte" in page and ">4</span> levert" in page


def test_a_group_in_another_language_reads_norwegian_when_no_english_was_written(admin_client, crowd, app):
    data = form_data(admin_client, action="send", expected="1", group="municipality", group_value="Fredrikstad",
                     subject_en="", body_en="")
    assert admin_client.post("/admin/messages/new", data=data).status_code == 303
    [message] = sent_mail(app)
    assert str(message["To"].addresses[0].addr_spec) == "ola@fredrikstad.kommune.no"
    assert str(message["Subject"]) == "Praktisk info til Ola Hansen" and message["Content-Language"] == "en"


def test_the_same_form_sent_twice_sends_once(admin_client, crowd, app):
    data = form_data(admin_client, action="send", expected="1", group="checked_in")
    first = admin_client.post("/admin/messages/new", data=data)
    second = admin_client.post("/admin/messages/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(sent_mail(app)) == 1


def test_a_group_that_changed_since_the_preview_is_shown_again_not_sent(admin_client, crowd, app):
    data = form_data(admin_client, action="send", expected="5")  # the preview said 5; now it is 4
    page = admin_client.post("/admin/messages/new", data=data)
    assert page.status_code == 200
    assert "Gruppen har endret seg siden forhåndsvisningen" in page.get_data(as_text=True)
    assert sent_mail(app) == []


def test_someone_deleted_after_the_message_was_queued_gets_nothing(admin_client, crowd, app):
    jobs.use_local_queue(app)  # as under `serve`: the worker sends later
    data = form_data(admin_client, action="send", expected="4")
    assert admin_client.post("/admin/messages/new", data=data).status_code == 303
    with app.app_context(), app.test_request_context():
        services.delete_person(db.session.get(Registration, crowd["Kari"]))
        services.cancel(db.session.get(Registration, crowd["Ola"]))
    # Ola's cancellation notice, Per's seat from the waiting list, and the message to two people:
    # neither Kari (deleted) nor Ola (cancelled since) gets it.
    assert outbox.deliver_pending(app) == 4
    subjects = {str(message["To"].addresses[0].addr_spec): str(message["Subject"]) for message in sent_mail(app)}
    assert "kari@moss.kommune.no" not in subjects
    assert subjects["ola@fredrikstad.kommune.no"].startswith("Cancellation received")
    assert subjects["eva@example.no"] == "Praktisk info til Eva Utstiller"
    with app.app_context():
        [message] = db.session.scalars(db.select(Message)).all()
        assert (message.recipients, message.delivered) == (4, 2)


def test_an_unknown_field_or_a_missing_place_is_a_form_error(admin_client, crowd, app):
    data = form_data(admin_client, action="preview", body="Hei {fornavn}", group="municipality", group_value="")
    page = admin_client.post("/admin/messages/new", data=data)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Ukjent felt: {fornavn}. Bruk {navn}, {billettlenke} eller {dørkode}." in text
    assert "Skriv hvilken kommune eller organisasjon." in text


def test_mail_the_smtp_server_gave_up_on_is_counted_as_failed(admin_client, crowd, app, monkeypatch):
    app.config["MAIL_SERVER"] = "smtp.example.no"
    monkeypatch.setattr(mail, "_send_smtp", lambda message, config: (_ for _ in ()).throw(OSError("refused")))
    data = form_data(admin_client, action="send", expected="1", group="checked_in")
    response = admin_client.post("/admin/messages/new", data=data)  # at once: no retries, the folder
    with app.app_context():
        [message] = db.session.scalars(db.select(Message)).all()
        assert (message.delivered, message.failed) == (0, 1)
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "E-postserveren ga opp for 1 av dem." in page


def test_the_pages_need_a_login_and_the_form_a_token(client, admin_client, crowd):
    for path in ("/admin/messages/", "/admin/messages/new", "/admin/messages/reminder"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert admin_client.post("/admin/messages/new", data={**TEXTS, "group": "confirmed", "action": "send"}
                             ).status_code == 400
