""""Mitt program" (issue 13): stars on the programme, the page of starred items, the stars kept on
the ticket (merged both ways, by a key that is not the ticket's secret) and the iCal feeds of the
starred items alone, anonymous and by the ticket's feed token."""

from __future__ import annotations

import datetime as dt
import json
import re

import icalendar
import pytest

from fagkonferanse.extensions import db
from fagkonferanse.programme.models import Delay, ProgrammeItem
from fagkonferanse.registration.agenda import merge_stars
from fagkonferanse.registration.models import Registration

from .conftest import make_app, post_form
from .registration.conftest import outbox, register, ticket_link


def ids_of(app, *titles: str) -> list[int]:
    with app.app_context():
        found = dict(db.session.execute(db.select(ProgrammeItem.title, ProgrammeItem.id)
                                        .where(ProgrammeItem.title.in_(titles))).all())
    return [found[title] for title in titles]


def registered(client) -> str:
    """Register through the form; the registering browser's ticket path."""
    response = register(client)
    assert response.status_code == 303
    return response.headers["Location"]


def keep(client, ticket: str, items: list[int], base: list[int] | None = None, key: str | None = None):
    """What agenda.js posts when the ticket page opens: with the page's CSRF token in a header."""
    page = client.get(ticket).get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    return client.post(ticket + "/agenda", json={"items": items, "base": base, "key": key},
                       headers={"X-CSRFToken": token})


def stars_on(app, email: str = "oyvind@moss.kommune.no") -> list[int]:
    with app.app_context():
        return db.session.scalar(db.select(Registration.starred_items).where(Registration.email == email))


def events_in(response) -> dict[str, str]:
    """A calendar's events as {UID: SUMMARY}."""
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return {str(event["UID"]): str(event["SUMMARY"])
            for event in icalendar.Calendar.from_ical(response.data).walk("VEVENT")}


# --- Stars on the programme and "Mitt program" ------------------------------------------------------


def test_every_session_has_a_star_that_waits_for_the_script(app, client):
    page = client.get("/programme").get_data(as_text=True)
    (jobbsjansen,) = ids_of(app, "Jobbsjansen")
    assert (f'<button type="button" class="star" aria-pressed="false" data-star="{jobbsjansen}" hidden>'
            in page)
    assert '<span class="visually-hidden">Stjernemerk «Jobbsjansen»</span></button>' in page
    assert page.count('class="star"') == 13  # 16 items, less registration, the break and lunch
    assert "Stjernemerk «Pause»" not in page
    assert page.count('<p class="overlap-note" role="status" data-overlap-note></p>') == 13
    assert '<script src="/static/agenda.js' in page
    texts = re.search(r'<div hidden data-agenda data-sync-url="/agenda/sync" data-overlap-text="([^"]+)"></div>', page)
    assert texts.group(1) == "Overlapper med «{title}», som du også har stjernemerket."
    assert '<p class="agenda-link" data-agenda-only hidden><a href="/programme/mine">Mitt program</a>' in page


def test_mitt_program_is_the_whole_day_for_the_script_to_sift_and_the_same_for_everyone(app, client):
    response = client.get("/programme/mine")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Mitt program</h1>" in page
    assert page.count('<li id="item-') == 16
    assert '<div id="programme-items" data-live-region data-agenda-mine>' in page
    assert "Mitt program husker stjernene i nettleseren din, og det trenger JavaScript." in page
    assert '<div class="agenda-empty" data-agenda-empty hidden>' in page
    # Nothing personal: no cookie, no session read, so the page cache may share it.
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
    assert 'data-agenda-feed="webcal://127.0.0.1:5000/programme/selection.ics"' in page


def test_mitt_program_and_the_scripts_words_in_english(client):
    client.get("/language/en")
    page = client.get("/programme/mine").get_data(as_text=True)
    assert "<h1>My programme</h1>" in page and "Take My programme with you" in page
    assert 'data-overlap-text="Overlaps with “{title}”, which you have also starred."' in page
    assert "Star “Jobbsjansen”" in client.get("/programme").get_data(as_text=True)


def test_mitt_program_carries_the_running_late_banner_and_the_moved_times(instance):
    app = make_app(instance, NOW="2016-11-09T10:40")
    with app.app_context():
        pause = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title == "Pause"))
        for item in db.session.scalars(db.select(ProgrammeItem).where(ProgrammeItem.start >= pause.start)):
            item.start += dt.timedelta(minutes=10)
            item.end = item.end + dt.timedelta(minutes=10) if item.end else None
        db.session.add(Delay(event_id=pause.event_id, minutes=10, from_time=dt.datetime(2016, 11, 9, 10, 35)))
        db.session.commit()
    page = app.test_client().get("/programme/mine").get_data(as_text=True)
    assert "Programmet er forskjøvet 10 minutter fra kl. 10.35." in page
    assert re.search(r'data-start="2016-11-09T11:45:00"[^>]*>\s*<p class="time"><time datetime="2016-11-09T11:45:00">'
                     r'kl. 11.45–12.05</time>', page)  # Jobbsjansen, moved
    with app.app_context():
        db.engine.dispose()


# --- Merging a browser and the ticket ---------------------------------------------------------------


@pytest.mark.parametrize("ticket, browser, base, merged", [
    ([], [3, 7], None, [3, 7]),             # first meeting: the browser's stars go on the ticket
    ([5], [3], None, [3, 5]),               # … and join what the ticket had
    ([3, 7], [3], [3, 7], [3]),             # un-starred in this browser: gone from the ticket
    ([3], [3, 7], [3, 7], [3]),             # un-starred on another device: gone from this browser
    ([3, 9], [3, 7], [3], [3, 7, 9]),       # starred on each side since: both kept
    ([3, 9], [7], [3], [7, 9]),             # removed here, added there
])
def test_stars_merge_three_ways(ticket, browser, base, merged):
    assert merge_stars(ticket, browser, base) == merged


def test_opening_the_ticket_links_the_browser_and_merges_its_stars(app, client):
    ticket = registered(client)
    talk, other = ids_of(app, "Jobbsjansen", "En dør inn")
    answer = keep(client, ticket, [talk])
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["items"] == [talk] and stars_on(app) == [talk]
    secret = ticket.rsplit("/", 1)[1]
    assert secret not in body["key"]  # the browser keeps a key, not the ticket's secret
    # From a programme page, with the key alone (no session, no CSRF token: the key is the credential).
    elsewhere = app.test_client()
    synced = elsewhere.post("/agenda/sync", json={"key": body["key"], "items": [other], "base": [talk]})
    assert synced.status_code == 200 and synced.get_json() == {"items": [other]}
    assert stars_on(app) == [other]
    assert synced.headers["Cache-Control"] == "no-store"
    # The ticket page shows what the ticket holds.
    page = client.get(ticket).get_data(as_text=True)
    assert f'data-ticket-stars="{other}"' in page
    assert re.search(rf'<li data-item="{other}"><span class="time">kl. 11.15–11.35</span> '
                     rf'<a href="/programme/{other}">En dør inn</a></li>', page)
    assert re.search(rf'<li data-item="{talk}" hidden>', page)


def test_the_ticket_page_sync_needs_its_csrf_token_and_a_list_of_ids(app, client):
    ticket = registered(client)
    assert client.post(ticket + "/agenda", json={"items": [1]}).status_code == 400
    assert keep(client, ticket, ["1"]).status_code == 400  # type: ignore[list-item]
    assert keep(client, ticket, [1], base=[True]).status_code == 400  # type: ignore[list-item]
    assert stars_on(app) == []


def test_stars_of_items_not_on_the_programme_are_dropped(app, client):
    ticket = registered(client)
    (talk,) = ids_of(app, "Jobbsjansen")
    assert keep(client, ticket, [talk, 999]).get_json()["items"] == [talk]


def test_a_browser_linked_to_another_ticket_takes_this_tickets_stars(app, client):
    ticket = registered(client)
    talk, other = ids_of(app, "Jobbsjansen", "En dør inn")
    key = keep(client, ticket, [talk]).get_json()["key"]
    shared = app.test_client()
    second = registered_as(shared, "kari@example.no")
    answer = keep(shared, second, [talk], base=[talk], key=key).get_json()  # the first person's list in this browser
    assert answer["items"] == [] and stars_on(app, "kari@example.no") == []
    keep(shared, second, [other], base=None, key=None)
    assert stars_on(app, "kari@example.no") == [other]


def registered_as(client, email: str) -> str:
    response = register(client, email=email, name="Kari Venter")
    assert response.status_code == 303
    return response.headers["Location"]


def test_the_key_of_the_registering_browser_ends_when_the_owner_opens_the_mailed_link(app, client):
    ticket = registered(client)
    (talk,) = ids_of(app, "Jobbsjansen")
    key = keep(client, ticket, [talk]).get_json()["key"]
    stranger = app.test_client()
    assert stranger.post("/agenda/sync", json={"key": key, "items": [talk], "base": [talk]}).status_code == 200
    owner = app.test_client()
    mailed = ticket_link(outbox(app)[-1]).split("://", 1)[1].split("/", 1)[1]
    assert owner.get("/" + mailed).status_code == 200
    refused = stranger.post("/agenda/sync", json={"key": key, "items": [], "base": [talk]})
    assert refused.status_code == 410
    assert stars_on(app) == [talk]  # nothing changed by the stranger's browser
    assert stranger.post("/agenda/sync", json={"key": "1.made-up", "items": []}).status_code == 410
    assert stranger.post("/agenda/sync", data="not json").status_code == 400


# --- The calendar feeds -------------------------------------------------------------------------------


def test_the_anonymous_feed_has_the_starred_items_with_the_programmes_uids(app, client):
    talk, other = ids_of(app, "Jobbsjansen", "En dør inn")
    whole = events_in(client.get("/programme.ics"))
    chosen = events_in(client.get(f"/programme/selection.ics?items={other},{talk},999"))
    assert chosen == {uid: summary for uid, summary in whole.items()
                      if uid.startswith((f"levekar-og-mangfold-2016-item-{talk}@",
                                         f"levekar-og-mangfold-2016-item-{other}@"))}
    assert len(chosen) == 2
    calendar = icalendar.Calendar.from_ical(client.get(f"/programme/selection.ics?items={talk}").data)
    assert str(calendar["X-WR-CALNAME"]) == "Mitt program – Kunnskap om praksisutvikling innen levekår og mangfold"


@pytest.mark.parametrize("query", ["", "?items=", "?items=a", "?items=3,,4", "?items=0", "?items=" + ",".join(["1"] * 501)])
def test_the_anonymous_feed_refuses_anything_but_a_list_of_ids(client, query):
    assert client.get("/programme/selection.ics" + query).status_code == 400


def test_the_anonymous_feed_follows_a_shift_and_a_cancellation(app, client):
    (talk,) = ids_of(app, "Jobbsjansen")
    assert b"DTSTART;TZID=Europe/Oslo:20161109T113500" in client.get(f"/programme/selection.ics?items={talk}").data
    with app.app_context():
        item = db.session.get(ProgrammeItem, talk)
        item.start, item.end, item.cancelled = dt.datetime(2016, 11, 9, 11, 45), dt.datetime(2016, 11, 9, 12, 5), True
        db.session.commit()
    feed = client.get(f"/programme/selection.ics?items={talk}&utm_source=x").data  # other parameters are ignored
    assert b"DTSTART;TZID=Europe/Oslo:20161109T114500" in feed and b"STATUS:CANCELLED" in feed


def test_the_tickets_feed_has_its_own_token_and_nothing_about_the_person(app, client):
    ticket = registered(client)
    talk, other = ids_of(app, "Jobbsjansen", "En dør inn")
    keep(client, ticket, [talk])
    assert "Lag kalenderlenke" in client.get(ticket).get_data(as_text=True)
    made = post_form(client, ticket + "/agenda/feed", {"action": "new"}, form_path=ticket)
    assert made.status_code == 303 and made.headers["Location"].endswith("#mitt-program")
    with app.app_context():
        token, secret = db.session.execute(db.select(Registration.agenda_token, Registration.browser_secret)).one()
    assert token and token != secret and secret not in token
    page = client.get(ticket).get_data(as_text=True)
    assert f'href="webcal://127.0.0.1:5000/agenda/{token}.ics"' in page
    assert f'value="http://127.0.0.1:5000/agenda/{token}.ics"' in page
    anyone = app.test_client()
    response = anyone.get(f"/agenda/{token}.ics")
    assert list(events_in(response).values()) == ["Sarpsborg – Jobbsjansen"]
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Referrer-Policy"] == "no-referrer"
    body = response.get_data(as_text=True)
    assert "Øyvind" not in body and "oyvind" not in body and secret not in body
    # Stars made later show in the same feed: a subscription follows them.
    keep(client, ticket, [talk, other], base=[talk], key=None)
    assert sorted(events_in(anyone.get(f"/agenda/{token}.ics")).values()) == [
        "Halden – En dør inn", "Sarpsborg – Jobbsjansen"]


def test_a_new_feed_link_ends_the_old_one_and_it_can_be_deleted(app, client):
    ticket = registered(client)
    post_form(client, ticket + "/agenda/feed", {"action": "new"}, form_path=ticket)
    with app.app_context():
        first = db.session.scalar(db.select(Registration.agenda_token))
    renewed = post_form(client, ticket + "/agenda/feed", {"action": "renew"}, form_path=ticket,
                        follow_redirects=True)
    assert "Du har fått en ny kalenderlenke. Den gamle virker ikke lenger." in renewed.get_data(as_text=True)
    with app.app_context():
        second = db.session.scalar(db.select(Registration.agenda_token))
    assert second != first
    assert client.get(f"/agenda/{first}.ics").status_code == 404
    assert client.get(f"/agenda/{second}.ics").status_code == 200
    post_form(client, ticket + "/agenda/feed", {"action": "stop"}, form_path=ticket)
    assert client.get(f"/agenda/{second}.ics").status_code == 404
    assert client.post(ticket + "/agenda/feed", data={"action": "new"}).status_code == 400  # CSRF


def test_a_feed_made_before_the_address_was_confirmed_ends_when_the_owner_opens_their_link(app, client):
    ticket = registered(client)
    post_form(client, ticket + "/agenda/feed", {"action": "new"}, form_path=ticket)
    with app.app_context():
        token = db.session.scalar(db.select(Registration.agenda_token))
    mailed = ticket_link(outbox(app)[-1]).split("://", 1)[1].split("/", 1)[1]
    owner = app.test_client()
    owner.get("/" + mailed)
    assert owner.get(f"/agenda/{token}.ics").status_code == 404
    # The owner's own feed, made after, survives a link sent again at a stranger's request.
    post_form(owner, "/" + mailed + "/agenda/feed", {"action": "new"}, form_path="/" + mailed)
    with app.app_context():
        token = db.session.scalar(db.select(Registration.agenda_token))
    register(app.test_client())  # the form with a registered address: a fresh link is mailed
    assert owner.get(f"/agenda/{token}.ics").status_code == 200


def test_starting_over_forgets_the_stars_and_the_feed(app, client):
    ticket = registered(client)
    (talk,) = ids_of(app, "Jobbsjansen")
    keep(client, ticket, [talk])
    post_form(client, ticket + "/agenda/feed", {"action": "new"}, form_path=ticket)
    post_form(client, ticket + "/cancel", {}, form_path=ticket + "/cancel")
    register(app.test_client())  # someone registers the cancelled address again
    with app.app_context():
        starred, token = db.session.execute(db.select(Registration.starred_items, Registration.agenda_token)).one()
    assert (starred, token) == ([], None)


def test_download_my_data_includes_mitt_program(app, client):
    ticket = registered(client)
    talk, other = ids_of(app, "Jobbsjansen", "En dør inn")
    keep(client, ticket, [talk, other])
    data = json.loads(client.get(ticket + "/data.json").get_data(as_text=True))
    assert data["my_programme"] == {"starred": ["En dør inn", "Jobbsjansen"], "calendar_feed": False}


def test_the_sync_key_and_the_feed_token_never_appear_in_a_public_page(app, client):
    ticket = registered(client)
    (talk,) = ids_of(app, "Jobbsjansen")
    key = keep(client, ticket, [talk]).get_json()["key"]
    for path in ("/programme", "/programme/mine", "/programme.ics"):
        body = client.get(path).get_data(as_text=True)
        assert key.split(".")[1] not in body and ticket.rsplit("/", 1)[1] not in body, path
