"""Hall screens (issue 13): what /screen and /screen/<place> show at each moment of the day.

The rules (programme/screen.py) are tested on plain items; the pages through the 2016 conference
at a configured clock, and the places through a small conference of two rooms made here.
Browser tests (the screen following a shift, the clock and a night-long run) are in
tests/browser/test_screen.py.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from fagkonferanse.events.models import Event
from fagkonferanse.events.phase import day_phase
from fagkonferanse.events.services import make_current
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import Delay, ProgrammeItem, Speaker
from fagkonferanse.programme.screen import (find_place, items_at, next_change, screen_state, seconds_until,
                                             stands_by_floor)
from fagkonferanse.programme.services import Named, PublicItem
from fagkonferanse.venue.models import Location

from .conftest import log_in, make_app

DAY = dt.date(2016, 11, 9)


def at(clock: str) -> dt.datetime:
    hours, minutes = clock.split(".")
    return dt.datetime.combine(DAY, dt.time(int(hours), int(minutes)))


def item(item_id: int, start: str, end: str | None, title: str, kind: str = "talk", cancelled: bool = False,
         place: Named | None = None) -> PublicItem:
    return PublicItem(item_id, at(start), at(end) if end else None, kind, title, "", "", "", "", cancelled,
                      "Foredragsholderen er syk." if cancelled else "", place, (), ())


def state_at(items, clock: str, date=DAY):
    moment = at(clock) if isinstance(clock, str) else clock
    return screen_state(items, day_phase(date, [(i.start, i.end) for i in items], moment), date)


def titles(items) -> list[str]:
    return [found.title for found in items]


MORNING = (
    item(1, "10.15", "10.35", "Kommunale utviklingsmidler"),
    item(2, "10.35", "10.55", "Pause", kind="break"),
    item(3, "10.55", "11.15", "Lansering av Veiviseren"),
    item(4, "11.15", "11.35", "En dør inn"),
    item(5, "11.35", "11.55", "Jobbsjansen"),
    item(6, "12.00", "14.00", "Lunsj og stands", kind="stands"),
    item(7, "15.00", None, "Vel hjem!", kind="closing"),
)


# --- The rules --------------------------------------------------------------------------------------


def test_at_ten_forty_the_pause_is_on_and_the_next_two_follow():
    state = state_at(MORNING, "10.40")
    assert titles(state.now) == ["Pause"]
    assert titles(state.upcoming) == ["Lansering av Veiviseren", "En dør inn"]
    assert state.changes_at == at("10.55") and not state.is_lunch


def test_a_cancelled_item_is_never_now_and_is_struck_through_among_the_next():
    cancelled = tuple(
        item(4, "11.15", "11.35", "En dør inn", cancelled=True) if found.id == 4 else found for found in MORNING)
    at_twenty_past = state_at(cancelled, "11.20")
    assert at_twenty_past.now == () and titles(at_twenty_past.called_off) == ["En dør inn"]
    assert titles(at_twenty_past.upcoming) == ["Jobbsjansen", "Lunsj og stands"]
    before = state_at(cancelled, "10.40")
    assert titles(before.upcoming) == ["Lansering av Veiviseren", "En dør inn", "Jobbsjansen"]
    assert [found.cancelled for found in before.upcoming] == [False, True, False]


def test_a_cancelled_item_after_the_second_next_one_is_not_shown():
    items = tuple(item(5, "11.35", "11.55", "Jobbsjansen", cancelled=True) if found.id == 5 else found
                  for found in MORNING)
    assert titles(state_at(items, "10.40").upcoming) == ["Lansering av Veiviseren", "En dør inn"]


def test_lunch_and_stands_is_the_lunch_screen():
    state = state_at(MORNING, "12.30")
    assert titles(state.now) == ["Lunsj og stands"] and state.is_lunch
    assert titles(state.upcoming) == ["Vel hjem!"] and state.changes_at == at("14.00")


def test_parallel_sessions_are_all_now():
    sal_a, sal_b = Named(1, "Sal A"), Named(2, "Sal B")
    items = (item(1, "09.30", "10.15", "Bolig først", place=sal_a), item(2, "09.30", "10.15", "Ung i arbeid", place=sal_b),
             item(3, "10.15", "10.30", "Kaffe", kind="break"))
    assert titles(state_at(items, "09.40").now) == ["Bolig først", "Ung i arbeid"]
    assert titles(state_at(items_at(items, 2), "09.40").now) == ["Ung i arbeid"]
    assert titles(items_at(items, 1)) == ["Bolig først", "Kaffe"]  # the coffee is for everyone


def test_before_the_programme_the_first_items_are_next():
    early = state_at(MORNING, "08.10")
    assert early.phase == "before" and early.now == () and early.first_start == at("10.15")
    assert titles(early.upcoming) == ["Kommunale utviklingsmidler", "Pause"] and early.changes_at == at("10.15")
    the_evening_before = state_at(MORNING, dt.datetime(2016, 11, 8, 20, 0))
    assert the_evening_before.changes_at == dt.datetime(2016, 11, 9)  # midnight: "starts today" from then


def test_the_closing_words_run_until_the_day_ends_and_then_nothing_changes_any_more():
    assert titles(state_at(MORNING, "15.05").now) == ["Vel hjem!"]
    assert state_at(MORNING, "15.05").changes_at == at("15.10")
    over = state_at(MORNING, "15.10")
    assert over.phase == "over" and over.ended_today and over.now == () and over.upcoming == ()
    assert over.changes_at is None
    next_year = state_at(MORNING, dt.datetime(2017, 11, 9, 10, 40))
    assert next_year.phase == "over" and not next_year.ended_today and next_year.upcoming == ()


def test_next_change_is_the_nearest_start_or_end():
    day = day_phase(DAY, [(i.start, i.end) for i in MORNING], at("11.56"))
    assert next_change(MORNING, day, DAY) == at("12.00")
    assert seconds_until(at("12.00"), dt.datetime(2016, 11, 9, 11, 59, 30, 500000)) == 30
    assert seconds_until(None, at("12.00")) is None


def test_places_are_found_by_id_or_by_name():
    rooms = [Location(id=7, name="Sal A", building="H", floor=1), Location(id=8, name="Gangen ved kaffebaren",
                                                                        building="H", floor=1)]
    assert find_place(rooms, "7").name == "Sal A"
    assert find_place(rooms, "sal-a").name == "Sal A"
    assert find_place(rooms, "gangen-ved-kaffebaren").id == 8
    assert find_place(rooms, "sal-c") is None and find_place(rooms, "9") is None


# --- The 2016 conference on the day ----------------------------------------------------------------


@pytest.fixture
def conference_at(instance):
    """The site with the clock started at a given moment of 9 November 2016."""
    apps = []

    def make(moment: str):
        app = make_app(instance, NOW=f"2016-11-09T{moment}")
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def screen_text(html: str) -> str:
    """The page's words as read: tags out, spaces (the non-breaking ones too) single."""
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(text).replace("\xa0", " ").split())


def section(html: str, css_class: str) -> str:
    found = re.search(rf'<section class="{css_class}[^"]*"[^>]*>(.*?)</section>', html, re.S)
    assert found, css_class
    return screen_text(found.group(1))


def test_the_screen_at_ten_forty(conference_at):
    response = conference_at("10:40").test_client().get("/screen")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert section(page, "screen-now") == "Nå kl. 10.35–10.55 Pause 15 min igjen"
    assert section(page, "screen-next") == (
        "Neste kl. 10.55 om 15 min Husbanken – Lansering av Veiviseren v/ Synnøve Seljeflot og Bente Klingenberg "
        "kl. 11.15 Halden – En dør inn v/ Øyvind Grandahl")
    assert "<h1>Kunnskap om praksisutvikling innen levekår og mangfold</h1>" in page
    assert '<time data-clock=".">10.40</time>' in page
    assert 'data-refresh-at="2016-11-09T10:55:00"' in page and 'data-live-url="/live.json"' in page
    assert '<div id="screen" class="screen" data-live-region>' in page
    # Held by the page cache until the Veiviseren launch starts, no longer.
    assert 890 <= response.cache_control.max_age <= 900


def test_the_screen_is_only_the_screen(conference_at):
    page = conference_at("10:40").test_client().get("/screen").get_data(as_text=True)
    assert "Demo:" not in page and "site-header" not in page and "<nav" not in page
    assert "<a " not in page and "<form" not in page  # nothing to click on a TV
    assert "/static/screen.css" in page and "/static/style.css" not in page
    assert "<script>" not in page  # live.js only, from a file (CSP: script-src 'self')


def test_at_lunch_the_screen_shows_who_stands_where_floor_by_floor(conference_at):
    page = conference_at("12:30").test_client().get("/screen").get_data(as_text=True)
    assert '<div id="screen" class="screen is-lunch" data-live-region>' in page
    assert section(page, "screen-now") == "Nå kl. 12.00–14.00 Lunsj og stands 90 min igjen"
    assert section(page, "screen-stands") == (
        "Her står standene "
        "1. etasje Sarpsborg kommune Gangen utenfor H-113 Halden kommune Gangen ved kaffebaren Husbanken H-113 "
        "2. etasje Moss kommune Trappegangen i 2. etasje "
        "3. etasje Fredrikstad kommune Trappegangen i 3. etasje")
    assert section(page, "screen-next").startswith("Neste kl. 14.00 om 90 min Sarpsborg – Hvordan koordinerte vi")


def test_stands_are_not_on_the_screen_outside_lunch(conference_at):
    assert "Her står standene" not in conference_at("11:40").test_client().get("/screen").get_data(as_text=True)


def test_before_the_day_the_screen_says_when_the_programme_starts(conference_at):
    page = conference_at("08:10").test_client().get("/screen").get_data(as_text=True)
    assert section(page, "screen-now") == "Programmet starter kl. 08.30"
    assert section(page, "screen-next") == (
        "Neste kl. 08.30 om 20 min Registrering og kaffe/frukt kl. 09.00 Dekan og prorektor ved Høgskolen i Østfold")
    assert "kl.\xa008.30" in page  # never "kl." at the end of one line and "08.30" on the next


def test_after_the_day_the_screen_thanks_everyone(conference_at):
    response = conference_at("15:30").test_client().get("/screen")
    page = response.get_data(as_text=True)
    assert section(page, "screen-over") == "Dagen er over. Takk for i dag!"
    assert "screen-now" not in page and "screen-next" not in page and "data-refresh-at" not in page
    assert response.cache_control.max_age is None


def test_a_past_conference_says_when_it_was_held(client):
    page = client.get("/screen").get_data(as_text=True)  # the real clock: years later
    assert section(page, "screen-over") == "Konferansen ble holdt onsdag 9. november 2016."


def test_the_running_late_banner_and_a_cancelled_item_on_the_screen(conference_at):
    app = conference_at("11:20")
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        db.session.add(Delay(event_id=event.id, minutes=5, from_time=at("11.15")))
        talk = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title == "En dør inn"))
        talk.cancelled, talk.cancel_note = True, "Foredragsholderen er syk."
        db.session.commit()
    page = app.test_client().get("/screen").get_data(as_text=True)
    banner = re.search(r'<div class="screen-banner">(.*?)</div>\s*</div>', page, re.S).group(1)
    assert screen_text(banner) == "Programmet er forskjøvet 5 minutter fra kl. 11.15. Tidene under er de nye."
    assert section(page, "screen-now") == (
        "Neste punkt starter kl. 11.35 Avlyst kl. 11.15–11.35 Halden – En dør inn Foredragsholderen er syk.")
    assert '<article class="now-item is-cancelled">' in page
    assert section(page, "screen-next").startswith("Neste kl. 11.35 om 15 min Sarpsborg – Jobbsjansen")


def test_the_screen_in_english(conference_at):
    client = conference_at("10:40").test_client()
    client.set_cookie("lang", "en")
    page = client.get("/screen").get_data(as_text=True)
    assert '<html lang="en">' in page and '<time data-clock=":">10:40</time>' in page
    assert section(page, "screen-now") == "Now 10:35–10:55 Pause 15 min left"
    assert section(page, "screen-next").startswith("Next 10:55 in 15 min Husbanken – Lansering av Veiviseren by ")
    early = conference_at("08:10").test_client()
    early.set_cookie("lang", "en")
    assert section(early.get("/screen").get_data(as_text=True), "screen-now") == "The programme starts at 08:30"


def test_the_page_cache_serves_the_screen_and_an_edit_reaches_it_at_once(conference_at):
    app = conference_at("10:40")
    client = app.test_client()
    assert client.get("/screen").headers["X-Page-Cache"] == "miss"
    assert client.get("/screen").headers["X-Page-Cache"] == "hit"
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        db.session.add(Delay(event_id=event.id, minutes=10, from_time=at("10.35")))
        db.session.commit()
    assert "Programmet er forskjøvet 10 minutter fra kl. 10.35." in client.get("/screen").get_data(as_text=True)


def test_the_organisers_dashboard_links_to_the_screen(conference_at):
    from fagkonferanse.accounts.services import create_organiser

    app = conference_at("10:40")
    with app.app_context():
        create_organiser("ola@example.no", "riktig-hest-batteri", "Ola Arrangør")
        db.session.commit()
    organiser = app.test_client()
    log_in(organiser)
    dashboard = organiser.get("/admin/").get_data(as_text=True)
    assert 'Skjerm for salen: <a href="/screen">http://localhost/screen</a>' in dashboard


# --- One room's screen ------------------------------------------------------------------------------


@pytest.fixture
def two_rooms(instance):
    """A conference of our own on 9 November 2016 at 09.40: two rooms with parallel talks."""
    app = make_app(instance, NOW="2016-11-09T09:40")
    with app.app_context():
        event = Event(slug="to-rom", title="Bolig og arbeid", date=DAY, venue="Rådhuset", building="Rådhuset")
        db.session.add(event)
        db.session.flush()
        sal_a = Location(event_id=event.id, building="Rådhuset", floor=1, name="Sal A")
        sal_b = Location(event_id=event.id, building="Rådhuset", floor=2, name="Sal B", name_en="Hall B")
        kari = Speaker(event_id=event.id, name="Kari Nordmann")
        db.session.add_all([sal_a, sal_b, kari])
        db.session.flush()
        for start, end, title, place in (("09.00", "09.30", "Velkommen", None),
                                         ("09.30", "10.15", "Bolig først", sal_a),
                                         ("09.30", "10.15", "Ung i arbeid", sal_b),
                                         ("10.15", "10.30", "Kaffe", None),
                                         ("10.30", "11.00", "Tall som teller", sal_a),
                                         ("10.30", "11.00", "Barn i lavinntektsfamilier", sal_b)):
            talk = ProgrammeItem(event_id=event.id, start=at(start), end=at(end), title=title,
                                 kind="break" if title == "Kaffe" else "talk", location_id=place.id if place else None)
            if title == "Bolig først":
                talk.speakers = [kari]
            db.session.add(talk)
        make_current(event)
        db.session.commit()
        rooms = {"sal_a": sal_a.id, "sal_b": sal_b.id}
    yield app, rooms
    with app.app_context():
        db.engine.dispose()


def test_a_rooms_screen_shows_that_room_and_what_is_for_everyone(two_rooms):
    app, rooms = two_rooms
    client = app.test_client()
    page = client.get("/screen/sal-a").get_data(as_text=True)
    assert screen_text(re.search(r'<div class="screen-name">(.*?)</div>', page, re.S).group(1)) == (
        "Bolig og arbeid Sal A · 1. etasje")
    assert section(page, "screen-now") == "Nå kl. 09.30–10.15 Bolig først v/ Kari Nordmann 35 min igjen"
    assert section(page, "screen-next") == "Neste kl. 10.15 om 35 min Kaffe kl. 10.30 Tall som teller"
    assert "Ung i arbeid" not in page and "Sted:" not in page
    by_id = client.get(f"/screen/{rooms['sal_b']}").get_data(as_text=True)
    assert section(by_id, "screen-now") == "Nå kl. 09.30–10.15 Ung i arbeid 35 min igjen"
    assert "Bolig først" not in by_id


def test_the_whole_conference_screen_shows_parallel_talks_with_their_rooms(two_rooms):
    app, _rooms = two_rooms
    page = app.test_client().get("/screen").get_data(as_text=True)
    assert section(page, "screen-now") == (
        "Nå kl. 09.30–10.15 Bolig først v/ Kari Nordmann Sted: Sal A 35 min igjen "
        "kl. 09.30–10.15 Ung i arbeid Sted: Sal B 35 min igjen")
    assert 'class="screen-now now-count-2"' in page
    english = app.test_client()
    english.set_cookie("lang", "en")
    assert "Location: Hall B" in screen_text(english.get("/screen").get_data(as_text=True))


def test_an_unknown_place_is_not_found(two_rooms):
    app, _rooms = two_rooms
    client = app.test_client()
    assert client.get("/screen/sal-c").status_code == 404
    assert client.get("/screen/99999").status_code == 404
    assert client.get("/screen/99999999999999").status_code == 404


def test_the_stands_by_floor_leave_out_a_stand_without_a_place(app):
    from fagkonferanse.stands.models import Stand
    from fagkonferanse.stands.services import stands

    with app.app_context():
        event = db.session.scalar(db.select(Event))
        db.session.execute(db.update(Stand).where(Stand.slug == "husbanken").values(location_id=None))
        floors = stands_by_floor(stands(event))
    assert [(floor.floor, [spot.organisation for spot in floor.stands]) for floor in floors] == [
        (1, ["Sarpsborg kommune", "Halden kommune"]), (2, ["Moss kommune"]), (3, ["Fredrikstad kommune"])]


def test_a_places_screen_at_lunch_shows_its_floors_plan_with_du_er_her(conference_at):
    page = conference_at("12:30").test_client().get("/screen/h-113").get_data(as_text=True)
    stands = re.search(r'<section class="screen-stands[^"]*"[^>]*>(.*?)</section>', page, re.S).group(0)
    assert 'class="screen-stands has-plan"' in stands
    plan = re.search(r"<figure class=\"screen-plan\">.*?</figure>", stands, re.S).group(0)
    assert "<figcaption>1. etasje</figcaption>" in plan and ">Du er her</text>" in plan
    assert '<title id="screen-plan-title">Plan over 1. etasje, H-bygget</title>' in plan
    for name in ("Husbanken", "Sarpsborg kommune", "Halden kommune"):
        assert f">{name}</text>" in plan
    assert "<a " not in page  # still nothing to click on a TV
    # The other floors keep their tables; the first floor is the plan, not a table too.
    assert re.findall(r"<caption>(.*?)</caption>", stands) == ["2. etasje", "3. etasje"]


def test_the_conference_screen_and_screens_outside_lunch_keep_to_the_tables(conference_at):
    lunch = conference_at("12:30").test_client()
    assert "screen-plan" not in lunch.get("/screen").get_data(as_text=True)
    assert "screen-plan" not in conference_at("10:40").test_client().get("/screen/h-113").get_data(as_text=True)
