"""The feedback form in a real browser after the day: answered by tapping the choices, and the
form, its error summary, the "already answered" page and the organisers' results checked by axe."""

from __future__ import annotations

import datetime as dt
import re
import sys
import uuid

import pytest

from fagkonferanse.checkin.models import CheckIn
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import services

from ..conftest import make_app
from ..liveserver import start_live_server
from .conftest import DESKTOP, PHONE, axe_violations, log_in


@pytest.fixture(scope="module")
def after_the_day(tmp_path_factory):
    """A server at 16.00 on the day, two attendees checked in (feedback tokens for both) and six
    earlier answers, so the results show."""
    server = start_live_server(tmp_path_factory.mktemp("live-feedback") / "instance",
                               {"FAGKONFERANSE_NOW": "2016-11-09T16:00"})
    app = make_app(server.instance)
    with app.app_context():
        event = current_event()
        answering = sys.modules["fagkonferanse_plugins.feedback.answering"]
        questions = sys.modules["fagkonferanse_plugins.feedback.questions"]
        models = sys.modules["fagkonferanse_plugins.feedback.models"]
        tokens = []
        for number in range(2):
            person = services.register(event, {"name": f"Deltaker {number}", "email": f"d{number}@example.no"},
                                       notify=False, check_window=False).registration
            db.session.add(CheckIn(event_id=event.id, registration_id=person.id, method="search"))
            db.session.flush()
            tokens.append(answering.ticket_for(person).token)
        asked = questions.questions_of(event)
        for number in range(6):
            db.session.add(models.FeedbackResponse(
                id=uuid.uuid4().hex, event_id=event.id, date=dt.date(2016, 11, 9),
                answers={"questions": {str(asked[0].id): 3 + number % 3, str(asked[1].id): f"Svar {number}"},
                         "items": {}}))
        db.session.commit()
        db.engine.dispose()
    server.tokens = tokens
    yield server
    server.stop()


def test_an_attendee_answers_by_tapping_the_choices(browser, after_the_day):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    page = context.new_page()
    link = f"{after_the_day.url}/tilbakemelding/{after_the_day.tokens[0]}"
    page.goto(link)
    page.get_by_role("group", name="Hvordan var dagen som helhet?").get_by_label("4").check()
    page.get_by_role("group", name="KLAR prosjektet – læringssystemet").get_by_label("5").check()
    page.get_by_role("group", name="Barnefattigdom").get_by_label("Var ikke der").check()
    page.get_by_label("Hva var mest nyttig?").fill("Å høre om Jobbsjansen")
    page.get_by_role("button", name="Send tilbakemeldingen").click()
    page.get_by_role("heading", name="Takk for tilbakemeldingen!").wait_for()
    page.goto(link)
    assert page.get_by_text("Du har allerede svart – takk!").is_visible()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_feedback_pages_have_no_serious_violations(browser, after_the_day, viewport):
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    problems = {}
    page.goto(f"{after_the_day.url}/tilbakemelding/{after_the_day.tokens[1]}")
    problems["form"] = axe_violations(page)
    page.get_by_role("button", name="Send tilbakemeldingen").click()
    page.get_by_text("Svar på minst ett av spørsmålene før du sender.").wait_for()
    problems["errors"] = axe_violations(page)
    log_in(page, after_the_day.url)
    page.goto(after_the_day.url + "/admin/feedback/")
    # 3, 4, 5, 3, 4, 5, and a 4 when the other test ran first: the average is 4,0 either way
    assert page.get_by_text(re.compile(r"^[67] svar · snitt 4,0$")).is_visible()
    problems["admin"] = axe_violations(page)
    context.close()
    assert {name: found for name, found in problems.items() if found} == {}
