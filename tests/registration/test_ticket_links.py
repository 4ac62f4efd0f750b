"""Nobody gets another person's ticket by typing their e-mail address (registration/links.py).

The two attacks are written as they were reproduced on the old code, where the link shown to
whoever registered an address was the same link later mailed to the address's owner.
"""

from __future__ import annotations

import re

from fagkonferanse.extensions import db
from fagkonferanse.registration.links import LINK_MAILS_PER_HOUR
from fagkonferanse.registration.models import CANCELLED, CONFIRMED, TicketLinkMail

from ..conftest import csrf_token, log_in, make_app
from .conftest import configure, outbox, people, register, ticket_link

VICTIM = {"name": "Kari Nordmann", "email": "victim@example.no", "organisation": "Moss kommune"}
ATTACKER = {"name": "Mallory", "email": "victim@example.no", "organisation": "Ingen"}
BASE = "http://127.0.0.1:5000"


def path_of(link: str) -> str:
    return link.removeprefix(BASE)


def post(client, path: str, data: dict | None = None, token_from: str | None = None):
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **(data or {})})


def mails_to(app, address: str) -> list:
    return [message for message in outbox(app) if message["To"].addresses[0].addr_spec == address]


def edit_needs(client, ticket: str, dietary: str, accessibility: str) -> None:
    page = client.get(ticket + "/edit").get_data(as_text=True)
    fields = dict(re.findall(r'name="(name|email|organisation)"[^>]*value="([^"]*)"', page))
    response = post(client, ticket + "/edit", {**fields, "dietary": dietary, "accessibility": accessibility,
                                                "lunch": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)


def test_registering_a_strangers_address_first_does_not_give_their_data_away(app):
    attacker, victim = app.test_client(), app.test_client()
    attackers_ticket = register(attacker, address="10.0.0.66", **ATTACKER).headers["Location"]
    assert attacker.get(attackers_ticket).status_code == 200  # the attacker sees what they typed

    # The victim registers later: no "already registered", a fresh link by mail.
    answer = register(victim, address="10.0.0.7", **VICTIM)
    assert answer.status_code == 200
    assert "/ticket/" not in answer.get_data(as_text=True)
    victims_link = path_of(ticket_link(mails_to(app, VICTIM["email"])[-1]))
    assert victims_link != attackers_ticket
    edit_needs(victim, victims_link, "cøliaki", "rullestol")
    assert "cøliaki" in victim.get(victims_link + "/data.json").get_data(as_text=True)

    # Everything the attacker held has stopped working.
    for path in (attackers_ticket, attackers_ticket + "/data.json", attackers_ticket + "/edit"):
        response = attacker.get(path)
        assert response.status_code == 410, path
        assert "cøliaki" not in response.get_data(as_text=True) and "rullestol" not in response.get_data(as_text=True)


def test_the_owner_opening_the_mailed_link_ends_the_registering_browsers_view(app):
    attacker, owner = app.test_client(), app.test_client()
    attackers_ticket = register(attacker, **ATTACKER).headers["Location"]
    [confirmation] = mails_to(app, VICTIM["email"])
    owners_link = path_of(ticket_link(confirmation))
    assert owners_link != attackers_ticket
    assert "Har du ikke meldt deg på selv?" in confirmation.get_content()

    assert owner.get(owners_link).status_code == 200
    edit_needs(owner, owners_link, "cøliaki", "rullestol")
    gone = attacker.get(attackers_ticket + "/data.json")
    assert gone.status_code == 410
    assert "E-postadressen er bekreftet" in attacker.get(attackers_ticket).get_data(as_text=True)


def test_registering_a_cancelled_address_again_gets_new_secrets_and_none_of_the_old_data(app):
    victim, attacker = app.test_client(), app.test_client()
    register(victim, **{**VICTIM, "dietary": "cøliaki"})
    victims_link = path_of(ticket_link(mails_to(app, VICTIM["email"])[-1]))
    [before] = people(app)
    assert post(victim, victims_link + "/cancel").status_code == 303
    assert people(app)[0].status == CANCELLED

    response = register(attacker, **ATTACKER)
    assert response.status_code == 303
    attackers_ticket = response.headers["Location"]
    assert attackers_ticket != victims_link
    page = attacker.get(attackers_ticket).get_data(as_text=True)
    assert "cøliaki" not in page and "Moss kommune" not in page and "Mallory" in page
    [after] = people(app)
    assert after.status == CONFIRMED and after.dietary == ""
    assert after.checkin_code != before.checkin_code and after.manage_secret != before.manage_secret
    assert before.checkin_code not in page
    old = victim.get(victims_link)
    assert old.status_code == 410 and "En nyere lenke er sendt" in old.get_data(as_text=True)


def test_the_form_does_not_say_whether_an_address_is_registered(app):
    register(app.test_client(), **VICTIM)
    page = register(app.test_client(), **ATTACKER).get_data(as_text=True)
    assert "allerede påmeldt" not in page and "Kari Nordmann" not in page
    assert "Sjekk e-posten din" in page


def test_the_owner_gets_at_most_three_links_an_hour_counted_across_workers(app, instance):
    register(app.test_client(), **VICTIM)
    other_worker = make_app(instance)  # a second process: its own memory, the same database
    for number in range(5):
        worker = app if number % 2 else other_worker
        assert register(worker.test_client(), address=f"10.0.0.{number}", **ATTACKER).status_code == 200
    resends = [m for m in mails_to(app, VICTIM["email"]) if m["Subject"].startswith("Billettlenken din")]
    assert len(resends) == LINK_MAILS_PER_HOUR == 3
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(TicketLinkMail.id))) == 3
        stored = db.session.scalars(db.select(TicketLinkMail.address_key)).all()
    assert all(VICTIM["email"] not in key for key in stored)
    # Only the newest mailed link works.
    links = [path_of(ticket_link(message)) for message in resends]
    client = app.test_client()
    assert [client.get(link).status_code for link in links] == [410, 410, 200]
    with other_worker.app_context():
        db.engine.dispose()


def test_a_lost_link_is_mailed_without_telling_who_is_registered(app):
    register(app.test_client(), **VICTIM)
    first_link = path_of(ticket_link(mails_to(app, VICTIM["email"])[-1]))
    client = app.test_client()
    assert "Finn billetten din" in client.get("/ticket/lost").get_data(as_text=True)
    registered = post(client, "/ticket/lost", {"email": "Victim@Example.no"})
    unknown = post(client, "/ticket/lost", {"email": "nobody@example.no"})
    assert registered.status_code == unknown.status_code == 200
    assert (registered.get_data(as_text=True).replace("victim@example.no", "X")
            == unknown.get_data(as_text=True).replace("nobody@example.no", "X"))
    assert mails_to(app, "nobody@example.no") == []
    new_link = path_of(ticket_link(mails_to(app, VICTIM["email"])[-1]))
    assert new_link != first_link
    assert client.get(first_link).status_code == 410 and client.get(new_link).status_code == 200
    bad = post(client, "/ticket/lost", {"email": "ikke en adresse"})
    assert bad.status_code == 400 and "Skriv en gyldig e-postadresse" in bad.get_data(as_text=True)


def test_changing_the_address_mails_the_new_address_and_ends_the_old_links(app):
    owner = app.test_client()
    register(owner, **VICTIM)
    owners_link = path_of(ticket_link(mails_to(app, VICTIM["email"])[-1]))
    owner.get(owners_link)  # confirms the address
    page = owner.get(owners_link + "/edit").get_data(as_text=True)
    fields = dict(re.findall(r'name="(name|organisation)"[^>]*value="([^"]*)"', page))
    response = post(owner, owners_link + "/edit", {**fields, "email": "kari@ny.example.no", "lunch": "y"})
    assert response.status_code == 303
    assert response.headers["Location"] != owners_link
    assert owner.get(response.headers["Location"]).status_code == 200  # until the new address is confirmed
    assert owner.get(owners_link).status_code == 410
    [moved] = mails_to(app, "kari@ny.example.no")
    assert moved["Subject"].startswith("Ny e-postadresse på påmeldingen")
    new_link = path_of(ticket_link(moved))
    assert new_link not in (owners_link, response.headers["Location"])
    assert owner.get(new_link).status_code == 200
    assert owner.get(response.headers["Location"]).status_code == 410


def test_an_organisers_resend_ends_the_earlier_links(app, admin_client):
    client = app.test_client()
    browser_link = register(client, **VICTIM).headers["Location"]
    first = path_of(ticket_link(mails_to(app, VICTIM["email"])[-1]))
    [person] = people(app)
    post(admin_client, f"/admin/attendees/{person.id}/resend", token_from=f"/admin/attendees/{person.id}")
    newest = path_of(ticket_link(mails_to(app, VICTIM["email"])[-1]))
    assert [client.get(path).status_code for path in (browser_link, first, newest)] == [410, 410, 200]


def test_the_seat_is_still_counted_at_once(app):
    configure(app, capacity=1)
    assert register(app.test_client(), **VICTIM).status_code == 303
    assert register(app.test_client(), name="Per", email="per@example.no").status_code == 303
    assert [person.status for person in people(app)] == [CONFIRMED, "waiting"]


def test_unknown_links_are_404_and_organisers_still_log_in(app, organiser):
    client = app.test_client()
    assert client.get("/ticket/" + "A" * 32).status_code == 404
    assert log_in(client).status_code == 302
