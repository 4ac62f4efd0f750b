"""The public form at /register: what a person sees for every kind of input."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration.models import CONFIRMED, WAITING, RegistrationQuestion

from ..conftest import csrf_token
from .conftest import PERSON, configure, outbox, people, register, ticket_link


def errors(response) -> list[str]:
    return re.findall(r'<p class="error" id="[^"]+">([^<]*)</p>', response.get_data(as_text=True))


def test_the_form_asks_what_the_issue_lists_with_a_privacy_notice(client):
    page = client.get("/register").get_data(as_text=True)
    for label in ("Navn", "E-post", "Organisasjon / arbeidsgiver", "Kommune (valgfritt)", "Stilling (valgfritt)",
                  "Allergier og spesialkost (valgfritt)", "Behov for tilrettelegging (valgfritt)", "Jeg spiser lunsj",
                  "Personvern", "samtykker"):
        assert label in page, label
    assert 'autocomplete="email"' in page and 'list="municipalities"' in page and "<datalist" in page
    assert 'name="csrf_token"' in page


def test_registering_leads_to_the_ticket_and_mails_the_owner_a_link_of_their_own(app, client):
    response = register(client)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/ticket/")
    ticket = client.get(response.headers["Location"])
    page = ticket.get_data(as_text=True)
    assert "Du er påmeldt!" in page and "Øyvind Hansen" in page and "<svg" in page
    assert "Åpne lenken i e-posten" in page
    [message] = outbox(app)
    assert message["To"].addresses[0].addr_spec == "oyvind@moss.kommune.no"
    mailed = ticket_link(message)
    assert mailed.startswith("http://127.0.0.1:5000/ticket/")
    assert mailed != "http://127.0.0.1:5000" + response.headers["Location"]  # only the mailbox gets this one
    owner_page = client.get(mailed.removeprefix("http://127.0.0.1:5000")).get_data(as_text=True)
    assert "Øyvind Hansen" in owner_page and "Åpne lenken i e-posten" not in owner_page


def test_names_in_any_script_are_kept_exactly_and_markup_is_text(app, client):
    names = ["Bjørn Ødegård", "Марія Коваленко", "李小龙", "Synnøve <script>alert(1)</script>"]
    for number, name in enumerate(names):
        response = register(client, name=name, email=f"person{number}@example.no",
                            organisation="<b>Råde</b> kommune")
        assert response.status_code == 303
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<b>Råde" not in page
    assert [p.name for p in people(app)] == names
    assert people(app)[0].organisation == "<b>Råde</b> kommune"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(
        "/ticket/" + people(app)[3].manage_secret).get_data(as_text=True)


def test_every_field_has_a_clear_message(client):
    response = register(client, name="   ", email="ikke-en-adresse", organisation="", consent=None,
                        dietary="x" * 1001)
    assert response.status_code == 400
    assert errors(response) == ["Må fylles ut.", "Skriv en gyldig e-postadresse, for eksempel navn@kommune.no.",
                                "Må fylles ut.", "Kan ikke være lengre enn 1000 tegn.",
                                "Du må samtykke for å kunne melde deg på."]
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "Skjemaet har feil" in page
    assert 'value="ikke-en-adresse"' in page  # what was typed is kept


def test_consent_is_required(app, client):
    response = register(client, consent=None)
    assert response.status_code == 400
    assert "Du må samtykke for å kunne melde deg på." in errors(response)
    assert people(app) == []


def test_control_characters_are_refused(client):
    response = register(client, name="Ola\x00Nordmann")
    assert response.status_code == 400
    assert "Inneholder tegn som ikke kan brukes (kontrolltegn)." in errors(response)


def test_the_same_address_again_creates_no_duplicate_and_mails_a_fresh_link(app, client):
    first = register(client)
    second = register(client, name="Noen andre", email="  OYVIND@Moss.Kommune.no ")
    assert second.status_code == 200
    page = second.get_data(as_text=True)
    assert "Sjekk e-posten din" in page and "allerede påmeldt" not in page
    assert "/ticket/" not in page  # the link goes to the mailbox, not to whoever typed the address
    assert len(people(app)) == 1 and people(app)[0].name == "Øyvind Hansen"
    resent = outbox(app)[-1]
    assert resent["Subject"].startswith("Billettlenken din")
    assert ticket_link(resent).endswith("/ticket/" + people(app)[0].manage_secret)
    assert client.get(first.headers["Location"]).status_code == 410  # every earlier link has ended


def test_full_means_waiting_list_with_a_notice(app, client):
    configure(app, capacity=1)
    register(client)
    page = client.get("/register").get_data(as_text=True)
    assert "Det er fullt. Melder du deg på nå, kommer du på ventelisten" in page
    response = register(client, email="kari@example.no")
    ticket = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Du står på ventelisten" in ticket and "nummer 1 i køen" in ticket
    assert [p.status for p in people(app)] == [CONFIRMED, WAITING]


def test_full_without_waiting_list_hides_the_form(app, client):
    configure(app, capacity=0, waiting_list=False)
    page = client.get("/register").get_data(as_text=True)
    assert "Beklager, det er fullt." in page and "Meld meg på" not in page


def test_opening_and_closing_times_in_norwegian(app, client):
    configure(app, opens_at=dt.datetime(2099, 9, 1, 6, 0))  # UTC: 08.00 in Oslo (summer time)
    page = client.get("/register").get_data(as_text=True)
    assert "Påmeldingen åpner 1. september 2099 kl. 08.00." in page
    assert register(client, token_from="/login").status_code == 409
    configure(app, opens_at=None, closes_at=dt.datetime(2016, 11, 2, 11, 0))
    assert "Påmeldingen er stengt." in client.get("/register").get_data(as_text=True)
    assert register(client, token_from="/login").status_code == 409
    assert people(app) == []


def test_organisers_field_modes_and_own_questions_shape_the_form(app, client):
    configure(app, field_modes={"organisation": "optional", "municipality": "required", "job_title": "hidden"})
    with app.app_context():
        event = current_event()
        db.session.add_all([
            RegistrationQuestion(event_id=event.id, position=1, label="Hvilket verksted?", kind="choice",
                                 choices=["Bolig", "Oppvekst"], required=True),
            RegistrationQuestion(event_id=event.id, position=2, label="Trenger du parkering?", kind="yesno"),
        ])
        db.session.commit()
    page = client.get("/register").get_data(as_text=True)
    assert "Stilling" not in page and "Organisasjon / arbeidsgiver (valgfritt)" in page
    assert "Hvilket verksted?" in page and "<legend>Trenger du parkering? (valgfritt)</legend>" in page
    missing = register(client, municipality="")
    assert "Må fylles ut." in errors(missing) and "Velg et svar." in errors(missing)
    assert "Velg et av svarene." in errors(register(client, q_1="Noe annet"))
    assert register(client, q_1="Oppvekst", q_2="ja").status_code == 303
    assert people(app)[0].answers == {"1": "Oppvekst", "2": "ja"}


def test_rate_limit_keeps_what_was_typed(app, client):
    app.config["RATE_LIMITS"] = {"register": "2/minute"}
    assert register(client, email="a@example.no").status_code == 303
    assert register(client, email="b@example.no").status_code == 303
    limited = register(client, email="c@example.no", name="Ola Tredje")
    assert limited.status_code == 429
    page = limited.get_data(as_text=True)
    assert "Vent et minutt" in page and 'value="Ola Tredje"' in page
    assert register(client, address="10.0.0.9", email="d@example.no").status_code == 303  # another network
    assert len(people(app)) == 3


def test_form_without_csrf_token_is_refused(app, client):
    response = client.post("/register", data={**PERSON})
    assert response.status_code == 400
    assert people(app) == []


@pytest.mark.parametrize("fields", [
    {"name": "a" * 100_000},
    {"email": "@"},
    {"email": "a@b"},
    {"email": "x" * 300 + "@example.no"},
    {"email": "ola@exa mple.no"},
    {"lunch": "kanskje"},
    {"consent": "\x00"},
    {"q_99": "answer to nothing"},
    {"dietary": "line\r\nbreak\u2028"},
])
def test_weird_input_never_gives_a_server_error(client, fields):
    token = csrf_token(client, "/register")
    response = client.post("/register", data={"csrf_token": token, **PERSON, **fields})
    assert response.status_code in (303, 400)


def test_bytes_that_are_not_utf8_never_give_a_server_error(client):
    token = csrf_token(client, "/register")
    body = (f"csrf_token={token}&name=%ED%A0%80%FF&email=a%40example.no&organisation=%C3%28&consent=y").encode()
    response = client.post("/register", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (303, 400)


def test_weird_urls_never_give_a_server_error(client):
    for path in ("/ticket/x", "/ticket/" + "a" * 5000, "/ticket/%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00",
                 "/ticket/%F0%9F%98%80" * 3, "/c/%00", "/c/" + "a" * 32, "/ticket/../admin"):
        assert client.get(path).status_code in (200, 404), path


def test_the_empty_form_is_kept_but_follows_every_change_of_its_definition(app, client):
    """The empty form's fields are rendered once per language and definition (form_cache.py):
    each visitor still gets a token of their own, and an organiser's change shows at once."""
    first, second = client.get("/register").get_data(as_text=True), app.test_client().get("/register").get_data(
        as_text=True)
    token = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    assert token.search(first).group(1) != token.search(second).group(1)
    assert token.sub("", first) == token.sub("", second)
    assert "Stilling (valgfritt)" in first
    configure(app, field_modes={"job_title": "hidden"})
    assert "Stilling" not in client.get("/register").get_data(as_text=True)
    with app.app_context():
        db.session.add(RegistrationQuestion(event_id=current_event().id, label="Hvilket verksted?", kind="text"))
        db.session.commit()
    assert "Hvilket verksted?" in client.get("/register").get_data(as_text=True)
    configure(app, privacy_notice="Vi sletter alt etter konferansen.")
    assert "Vi sletter alt etter konferansen." in client.get("/register").get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get("/register").get_data(as_text=True)
    assert "Organisation / employer" in english and "Organisasjon / arbeidsgiver" not in english


def test_a_form_sent_back_shows_what_was_typed_not_the_kept_empty_one(client):
    client.get("/register")
    response = register(client, email="ikke-en-adresse", organisation="Råde kommune")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Råde kommune"' in page and 'value="ikke-en-adresse"' in page
