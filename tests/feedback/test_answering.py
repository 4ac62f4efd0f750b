"""An attendee answers the feedback form: once, anonymously, only after being checked in."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import inspect

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.checkin.models import CheckIn
from fagkonferanse.registration.models import Registration

from ..conftest import make_app
from .conftest import DURING_THE_DAY, add_person, answer, feedback_link, plugin


def question_ids(app) -> dict[str, int]:
    """The default questions' ids by their text (made on first use)."""
    with app.app_context():
        questions = plugin("questions").questions_of(current_event())
        db.session.commit()
        return {question.text: question.id for question in questions}


def item_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(ProgrammeItem.id).where(ProgrammeItem.title == title))


def responses(app) -> list[tuple[str, dt.date, dict]]:
    with app.app_context():
        rows = db.session.scalars(db.select(plugin("models").FeedbackResponse))
        return [(row.id, row.date, row.answers) for row in rows]


def test_a_checked_in_attendee_answers_once_and_a_second_submit_stores_nothing(client, app, people):
    link = feedback_link(client, people["kari"])
    form = client.get(link)
    assert form.status_code == 200
    assert form.headers["Cache-Control"] == "no-store"
    page = form.get_data(as_text=True)
    assert "Hvordan var dagen som helhet?" in page
    assert "KLAR prosjektet – læringssystemet" in page  # a talk is rated
    assert "Lunsj og stands" not in page and "Pause" not in page and "Vel hjem!" not in page
    assert 'href="/static/feedback/feedback.css"' in page
    with client.get("/static/feedback/feedback.css") as stylesheet:
        assert (stylesheet.status_code, stylesheet.mimetype) == (200, "text/css")
        assert b".fb-options" in stylesheet.data

    ids = question_ids(app)
    klar = item_id(app, "KLAR prosjektet – læringssystemet")
    data = {f"q-{ids['Hvordan var dagen som helhet?']}": "4", f"item-{klar}": "5",
            f"item-{item_id(app, 'Barnefattigdom')}": "skip",
            f"q-{ids['Hva var mest nyttig?']}": "  Lanseringen av Veiviseren  "}
    response = answer(client, link, data)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{link}/takk"
    assert "Takk for tilbakemeldingen!" in client.get(f"{link}/takk").get_data(as_text=True)

    [(response_id, date, answers)] = responses(app)
    assert len(response_id) == 32 and int(response_id, 16) >= 0
    assert date == dt.date(2016, 11, 9)
    assert answers == {"questions": {str(ids["Hvordan var dagen som helhet?"]): 4,
                                     str(ids["Hva var mest nyttig?"]): "Lanseringen av Veiviseren"},
                       "items": {str(klar): 5}}

    again = answer(client, link, {**data, f"item-{klar}": "1"}, token_from=f"/ticket/{people['kari'].secret}")
    assert again.status_code == 409
    assert "Du har allerede svart – takk!" in again.get_data(as_text=True)
    assert len(responses(app)) == 1
    shown = client.get(link)
    assert shown.status_code == 200
    assert "Du har allerede svart – takk!" in shown.get_data(as_text=True)
    assert "Send tilbakemeldingen" not in shown.get_data(as_text=True)


def test_the_response_row_holds_nothing_that_leads_back_to_the_person(app):
    with app.app_context():
        columns = {column["name"] for column in inspect(db.engine).get_columns("feedback_responses")}
        foreign = inspect(db.engine).get_foreign_keys("feedback_responses")
    assert columns == {"id", "event_id", "date", "answers"}
    assert [key["referred_table"] for key in foreign] == ["events"]


def test_submitting_twice_at_once_stores_one_answer(app, people):
    """The conditional UPDATE lets exactly one submit through: a second request that read the
    ticket before the first one committed (its copy still says "not answered") stores nothing."""
    with app.app_context():
        registration = db.session.get(Registration, people["kari"].id)
        ticket = plugin("answering").ticket_for(registration)
        db.session.commit()
        read_earlier = SimpleNamespace(id=ticket.id, event_id=ticket.event_id, answered=False)
        answers = plugin("answering").Answers(questions={}, items={"1": 3})
        assert plugin("answering").submit(ticket, answers) is True
        assert plugin("answering").submit(read_earlier, answers) is False
        assert db.session.scalar(db.select(db.func.count()).select_from(plugin("models").FeedbackResponse)) == 1
        assert db.session.get(plugin("models").FeedbackTicket, ticket.id).answered is True


def test_an_empty_or_bad_form_is_refused_with_an_error_summary_and_uses_nothing_up(client, app, people):
    link = feedback_link(client, people["kari"])
    empty = answer(client, link, {})
    assert empty.status_code == 400
    page = empty.get_data(as_text=True)
    assert "Skjemaet ble ikke sendt" in page
    assert "Svar på minst ett av spørsmålene før du sender." in page

    ids = question_ids(app)
    day = f"q-{ids['Hvordan var dagen som helhet?']}"
    bad = answer(client, link, {day: "7", f"q-{ids['Hva bør vi gjøre annerledes neste år?']}": "Mer kaffe"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert f'<a href="#{day}-1">Velg et tall fra 1 til 5.</a>' in page
    assert "Mer kaffe</textarea>" in page  # what was written is kept
    assert responses(app) == []
    assert client.get(link).status_code == 200  # still open


def test_who_may_not_answer_gets_a_refusal(client, app, people):
    assert "/tilbakemelding/" not in client.get(f"/ticket/{people['per'].secret}").get_data(as_text=True)
    assert "/tilbakemelding/" not in client.get(f"/ticket/{people['siri'].secret}").get_data(as_text=True)
    with app.app_context():
        with pytest.raises(ValueError):
            plugin("answering").ticket_for(db.session.get(Registration, people["per"].id))

    # Links made while it was allowed stop working when it no longer is.
    link = feedback_link(client, people["kari"])
    with app.app_context():
        db.session.execute(db.delete(CheckIn).where(CheckIn.registration_id == people["kari"].id))
        db.session.commit()
    refused = client.get(link)
    assert refused.status_code == 403
    assert "Skjemaet er for deltakere som ble sjekket inn på konferansen." in refused.get_data(as_text=True)
    assert answer(client, link, {"q-1": "5"}, token_from=f"/ticket/{people['kari'].secret}").status_code == 403

    link = feedback_link(client, people["john"])
    with app.app_context():
        db.session.get(Registration, people["john"].id).status = "cancelled"
        db.session.commit()
    refused = client.get(link)
    assert refused.status_code == 403
    assert "Påmeldingen er avmeldt" in refused.get_data(as_text=True)
    assert responses(app) == []
    assert client.get("/tilbakemelding/" + "x" * 32).status_code == 404


def test_before_the_day_is_over_there_is_no_form(instance):
    app = make_app(instance, NOW=DURING_THE_DAY)
    client = app.test_client()
    with app.app_context():
        person = add_person("Kari Nordmann", "kari@moss.kommune.no")
        registration = db.session.get(Registration, person.id)
        assert plugin("answering").refusal(registration) is plugin("answering").Refusal.NOT_YET
        token = plugin("answering").ticket_for(registration).token
        db.session.commit()
    assert "/tilbakemelding/" not in client.get(f"/ticket/{person.secret}").get_data(as_text=True)
    page = client.get(f"/tilbakemelding/{token}")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "Skjemaet er ikke åpent ennå" in text
    assert "Du kan svare når dagens program er slutt, 9. november 2016 kl. 15.10." in text
    assert "Send tilbakemeldingen" not in text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(plugin("models").FeedbackResponse)) == 0
        db.engine.dispose()


def test_the_ticket_page_offers_the_link_and_then_thanks(client, app, people):
    link = feedback_link(client, people["kari"])
    assert "Gi tilbakemelding" in client.get(f"/ticket/{people['kari'].secret}").get_data(as_text=True)
    ids = question_ids(app)
    assert answer(client, link, {f"q-{ids['Hvordan var dagen som helhet?']}": "3"}).status_code == 303
    ticket = client.get(f"/ticket/{people['kari'].secret}").get_data(as_text=True)
    assert "Takk for tilbakemeldingen! Svaret ditt er lagret uten navnet ditt." in ticket
    assert "/tilbakemelding/" not in ticket


def test_the_form_is_in_english_with_the_organisers_english_text(client, app, people):
    link = feedback_link(client, people["john"])
    client.get("/language/en")
    page = client.get(link).get_data(as_text=True)
    assert "How was the day as a whole?" in page
    assert "Did not attend" in page


def test_the_personal_data_download_says_invited_and_answered_but_never_what(client, app, people):
    link = feedback_link(client, people["kari"])
    ids = question_ids(app)
    answer(client, link, {f"q-{ids['Hva var mest nyttig?']}": "Hemmelig svar"})
    data = client.get(f"/ticket/{people['kari'].secret}/data.json").get_json()
    feedback = data["feedback"]
    assert (feedback["invited_at"], feedback["answered"]) == (None, True)
    assert "Hemmelig svar" not in str(data)


def test_the_form_needs_its_csrf_token(client, app, people):
    link = feedback_link(client, people["kari"])
    ids = question_ids(app)
    assert client.post(link, data={f"q-{ids['Hvordan var dagen som helhet?']}": "5"}).status_code == 400
    assert responses(app) == []
