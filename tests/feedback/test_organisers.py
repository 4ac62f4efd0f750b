"""The organisers' side: the invitation mail, the questions, the results and the report."""

from __future__ import annotations

import re
import uuid
import datetime as dt

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.registration.models import Registration

from ..conftest import csrf_token, log_in, make_app, post_form
from ..registration.conftest import outbox
from .conftest import DURING_THE_DAY, add_person, plugin

PAGE = "/admin/feedback/"
FEEDBACK_URL = re.compile(r"https://konferanse\.example\.no/tilbakemelding/[A-Za-z0-9_-]{32}")


def ids(app) -> dict[str, int]:
    with app.app_context():
        questions = plugin("questions").questions_of(current_event())
        db.session.commit()
        return {question.text: question.id for question in questions}


def store(app, count: int, *, day: int = 4, item: int | None = None, text: str | None = None) -> None:
    """``count`` responses as the form stores them (each: the day rated ``day``, ``text`` as the
    "most useful" answer, the KLAR talk rated ``item``)."""
    questions = ids(app)
    with app.app_context():
        event = current_event()
        klar = db.session.scalar(db.select(ProgrammeItem.id).where(ProgrammeItem.title.startswith("KLAR")))
        models = plugin("models")
        for number in range(count):
            answers = {"questions": {str(questions["Hvordan var dagen som helhet?"]): day}, "items": {}}
            if text:
                answers["questions"][str(questions["Hva var mest nyttig?"])] = f"{text} {number}"
            if item:
                answers["items"][str(klar)] = item
            db.session.add(models.FeedbackResponse(id=uuid.uuid4().hex, event_id=event.id,
                                                   date=dt.date(2016, 11, 9), answers=answers))
        db.session.commit()


# --- The invitation ------------------------------------------------------------------------------


def test_the_invitation_goes_to_exactly_the_checked_in_attendees_with_an_address(admin_client, app, people):
    response = post_form(admin_client, "/admin/feedback/invite", {}, form_path=PAGE)
    assert response.status_code == 303
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "Invitasjonen er sendt til 2 deltakere." in page
    assert "3 sjekket inn · 2 invitert · 0 svar" in page  # Siri cancelled: not counted

    messages = {message["To"]: message for message in outbox(app)}
    assert sorted(messages) == ["John Smith <john@example.org>", "Kari Nordmann <kari@moss.kommune.no>"]
    norwegian = messages["Kari Nordmann <kari@moss.kommune.no>"]
    assert norwegian["Subject"] == "Hvordan var dagen? Kunnskap om praksisutvikling innen levekår og mangfold"
    body = norwegian.get_content()
    assert "Hei Kari Nordmann," in body
    assert "svaret lagres uten navnet ditt" in body
    assert FEEDBACK_URL.search(body)
    english = messages["John Smith <john@example.org>"]
    assert english["Subject"] == "How was the day? Kunnskap om praksisutvikling innen levekår og mangfold"
    assert "Hello John Smith," in english.get_content()
    assert "We would like to know what you thought of the day." in english.get_content()
    assert FEEDBACK_URL.search(english.get_content())

    # The link in the mail opens the form.
    path = FEEDBACK_URL.search(body).group(0).removeprefix("https://konferanse.example.no")
    assert app.test_client().get(path).status_code == 200

    # Pressed again: nobody gets it twice.
    post_form(admin_client, "/admin/feedback/invite", {}, form_path=PAGE)
    assert len(outbox(app)) == 2
    assert "har fått invitasjonen allerede" in admin_client.get(PAGE).get_data(as_text=True)


def test_before_the_day_is_over_no_invitation_is_sent(instance, organiser):
    app = make_app(instance, NOW=DURING_THE_DAY, BASE_URL="https://konferanse.example.no")
    client = app.test_client()
    with app.app_context():
        add_person("Kari Nordmann", "kari@moss.kommune.no")
    assert log_in(client).status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Send invitasjon til tilbakemelding" not in page
    assert "når dagens program er slutt: 9. november 2016 kl. 15.10" in page
    response = client.post("/admin/feedback/invite", data={"csrf_token": csrf_token(client, PAGE)})
    assert response.status_code == 303
    assert "Invitasjonen kan sendes når dagen er over." in client.get(PAGE).get_data(as_text=True)
    assert outbox(app) == []
    with app.app_context():
        db.engine.dispose()


def test_the_organiser_page_needs_a_login_and_its_forms_a_csrf_token(client, app, admin_client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.post("/admin/feedback/invite").status_code == 401
    assert admin_client.post("/admin/feedback/invite").status_code == 400
    assert admin_client.post("/admin/feedback/questions", data={"text": "Hei", "kind": "text"}).status_code == 400
    assert "Tilbakemeldinger" in admin_client.get("/admin/").get_data(as_text=True)  # in the menu


# --- The questions -------------------------------------------------------------------------------


def test_organisers_add_edit_reorder_and_delete_questions(admin_client, app, people, client):
    response = post_form(admin_client, "/admin/feedback/questions",
                         {"text": "Hvordan var lunsjen?", "text_en": "How was the lunch?", "kind": "scale"},
                         form_path=PAGE)
    assert response.status_code == 303
    questions = ids(app)
    assert list(questions) == ["Hvordan var dagen som helhet?", "Hva var mest nyttig?",
                               "Hva bør vi gjøre annerledes neste år?", "Hvordan var lunsjen?"]
    lunch = questions["Hvordan var lunsjen?"]
    post_form(admin_client, f"/admin/feedback/questions/{lunch}/up", {}, form_path=PAGE)
    assert list(ids(app))[2] == "Hvordan var lunsjen?"

    edit = f"/admin/feedback/questions/{lunch}"
    response = post_form(admin_client, edit, {"text": "Hvordan var maten?", "text_en": "", "kind": "text"})
    assert response.status_code == 303
    with app.app_context():
        question = db.session.get(plugin("models").FeedbackQuestion, lunch)
        assert (question.text, question.text_en, question.kind) == ("Hvordan var maten?", "", "text")

    refused = post_form(admin_client, "/admin/feedback/questions", {"text": "  ", "kind": "scale"}, form_path=PAGE)
    assert refused.status_code == 400
    assert "Skriv spørsmålet på norsk." in refused.get_data(as_text=True)

    post_form(admin_client, f"/admin/feedback/questions/{lunch}/delete", {}, form_path=PAGE)
    assert "Hvordan var maten?" not in ids(app)
    assert admin_client.get(f"/admin/feedback/questions/{lunch}").status_code == 404


def test_the_kind_of_an_answered_question_cannot_change(admin_client, app):
    store(app, 1)
    day = ids(app)["Hvordan var dagen som helhet?"]
    response = post_form(admin_client, f"/admin/feedback/questions/{day}",
                         {"text": "Hvordan var dagen?", "kind": "text"})
    assert response.status_code == 400
    assert "Svartypen kan ikke endres etter at noen har svart." in response.get_data(as_text=True)


def test_rating_the_programme_items_can_be_turned_off(admin_client, app, people, client):
    from .conftest import feedback_link

    response = post_form(admin_client, "/admin/feedback/settings", {}, form_path=PAGE)
    assert response.status_code == 303
    page = client.get(feedback_link(client, people["kari"])).get_data(as_text=True)
    assert "Hvordan var dagen som helhet?" in page
    assert "KLAR prosjektet" not in page


# --- Results ---------------------------------------------------------------------------------------


def test_results_under_five_answers_show_no_counts_and_no_text(admin_client, app):
    store(app, 4, day=5, item=4, text="Veiviseren")
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "0 sjekket inn · 0 invitert · 4 svar" in page
    assert page.count("under 5 svar") == 2  # the day and the KLAR talk; the rest have none
    assert "Under 5 svar – vises ikke" in page  # "most useful"
    assert "Ingen svar" in page  # "what to do differently"
    assert "Veiviseren 0" not in page
    assert "snitt" not in page

    with app.app_context():
        found = plugin("results").results(current_event())
    day = found.questions[0]
    assert (day.answers, day.shown) == (4, False)


def test_results_from_five_answers_show_counts_averages_and_text(admin_client, app):
    store(app, 4, day=4, item=5, text="Veiviseren")
    store(app, 1, day=5, item=3, text="Alt")
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "5 svar · snitt 4,2" in page  # the day: 4, 4, 4, 4, 5
    assert "5 svar · snitt 4,6" in page  # the KLAR talk: 5, 5, 5, 5, 3
    texts = re.findall(r"<li>((?:Veiviseren|Alt) \d)</li>", page)
    assert texts == ["Alt 0", "Veiviseren 0", "Veiviseren 1", "Veiviseren 2", "Veiviseren 3"]  # sorted, not in order
    assert "2016" not in page.split('id="results-title"')[1].split('id="questions-title"')[0]  # no dates

    with app.app_context():
        found = plugin("results").results(current_event())
    assert found.questions[0].counts == {1: 0, 2: 0, 3: 0, 4: 4, 5: 1}
    assert plugin("results").decimal(found.questions[0].average) == "4,2"
    assert plugin("results").decimal(found.questions[0].average, "en") == "4.2"


def test_report_tables_give_the_day_and_each_item(app):
    store(app, 5, day=4, item=5)
    store(app, 1, day=2)
    with app.app_context():
        hook = app.extensions["fagkonferanse.plugins"].hook
        event = current_event()
        tables = [table for group in hook.report_tables(event=event, stand=None) for table in group or ()
                  if table.key.startswith("feedback")]
    day, items = tables
    assert (day.key, day.title, day.order) == ("feedback-questions", "Tilbakemeldinger: dagen", 60)
    assert day.columns == ("Spørsmål", "Svar", "Snitt", "1", "2", "3", "4", "5")
    assert day.rows == (("Hvordan var dagen som helhet?", 6, "3,7", 0, 1, 0, 5, 0),)
    assert items.columns[0] == "Programpost"
    rows = {row[0]: row for row in items.rows}
    assert rows["KLAR prosjektet – læringssystemet"][1:] == (5, "5,0", 0, 0, 0, 0, 5)
    assert rows["Barnefattigdom"] == ("Barnefattigdom", 0, "–", "–", "–", "–", "–", "–")
    assert "Lunsj og stands" not in rows
    assert len(items.rows) == 11


def test_report_tables_give_only_the_number_of_answers_under_five(app):
    """Three answers that were all 4: neither the average nor the spread may say so."""
    store(app, 3, day=4, item=4)
    with app.app_context():
        hook = app.extensions["fagkonferanse.plugins"].hook
        tables = {table.key: table for group in hook.report_tables(event=current_event(), stand=None)
                  for table in group or ()}
    assert tables["feedback-questions"].rows == (
        ("Hvordan var dagen som helhet?", 3, "–", "–", "–", "–", "–", "–"),)
    rows = {row[0]: row for row in tables["feedback-items"].rows}
    assert rows["KLAR prosjektet – læringssystemet"][1:] == (3, "–", "–", "–", "–", "–", "–")


def test_the_dashboard_counts_the_answers(admin_client, app):
    store(app, 2)
    assert "2 svar" in admin_client.get("/admin/").get_data(as_text=True)


def test_report_tables_say_nothing_on_a_stand_page(app):
    from fagkonferanse.stands.models import Stand

    store(app, 5)
    with app.app_context():
        hook = app.extensions["fagkonferanse.plugins"].hook
        stand = db.session.scalars(db.select(Stand)).first()
        tables = [table for group in hook.report_tables(event=current_event(), stand=stand) for table in group or ()
                  if table.key.startswith("feedback")]
    assert tables == []


# --- The data's life -----------------------------------------------------------------------------


def test_anonymising_the_attendees_forgets_the_tickets_and_keeps_the_answers(app, people, client):
    from .conftest import answer, feedback_link

    link = feedback_link(client, people["kari"])
    answer(client, link, {f"q-{ids(app)['Hva var mest nyttig?']}": "Kaffen"})
    with app.app_context():
        hook = app.extensions["fagkonferanse.plugins"].hook
        hook.attendees_anonymised(event=current_event())
        db.session.commit()
        models = plugin("models")
        assert db.session.scalar(db.select(db.func.count()).select_from(models.FeedbackTicket)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(models.FeedbackResponse)) == 1
    assert client.get(link).status_code == 404


def test_deleting_a_registration_deletes_its_ticket(app, people):
    from fagkonferanse.registration import services

    with app.app_context():
        registration = db.session.get(Registration, people["kari"].id)
        plugin("answering").ticket_for(registration)
        db.session.commit()
        services.delete_person(registration)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(plugin("models").FeedbackTicket)) == 0


def test_next_years_conference_gets_the_questions(app):
    from fagkonferanse.events.copying import NewEvent, create_event

    post = ids(app)  # makes this year's defaults
    with app.app_context():
        models = plugin("models")
        source = current_event()
        db.session.add(models.FeedbackQuestion(event_id=source.id, position=9, kind="text", text="Egne ord"))
        db.session.commit()
        hook = app.extensions["fagkonferanse.plugins"].hook
        new, _copied = create_event(NewEvent(title="Fagkonferansen 2017", date=dt.date(2017, 11, 8), venue="HiØ",
                                             building="H-bygget", slug="2017"), source, {"registration"}, hook=hook)
        db.session.commit()
        copied = [question.text for question in db.session.scalars(
            db.select(models.FeedbackQuestion).where(models.FeedbackQuestion.event_id == new.id)
            .order_by(models.FeedbackQuestion.position))]
    assert copied == [*post, "Egne ord"]


def test_the_report_has_no_feedback_tables_before_the_form_was_ever_used(app):
    with app.app_context():
        hook = app.extensions["fagkonferanse.plugins"].hook
        keys = [table.key for group in hook.report_tables(event=current_event(), stand=None) for table in group or ()]
        assert not [key for key in keys if key.startswith("feedback")]
        assert db.session.scalar(db.select(db.func.count()).select_from(plugin("models").FeedbackQuestion)) == 0
