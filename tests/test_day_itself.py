"""The day itself (issue 13): the site clock, the day's phase, running late, cancelled items and
the live state the pages poll."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fagkonferanse import clock
from fagkonferanse.config import ConfigError
from fagkonferanse.events.models import Event
from fagkonferanse.events.phase import BEFORE, DURING, OVER, day_phase
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import Delay, ProgrammeItem

from .conftest import ORGANISER_EMAIL, ORGANISER_PASSWORD, csrf_token, log_in, make_app, post_form

DAY = dt.date(2016, 11, 9)


@pytest.fixture
def at_ten_forty(instance):
    """The site on the day, at 10.40: "Pause" is on, the Veiviseren launch is next."""
    app = make_app(instance, NOW="2016-11-09T10:40")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def organiser_at_ten_forty(at_ten_forty):
    from fagkonferanse.accounts.services import create_organiser

    with at_ten_forty.app_context():
        create_organiser(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Ola Arrangør")
        db.session.commit()
    client = at_ten_forty.test_client()
    assert log_in(client).status_code == 302
    return client


def item_named(app, title: str) -> ProgrammeItem:
    with app.app_context():
        item = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title == title))
        db.session.expunge(item)
        return item


# --- The clock ------------------------------------------------------------------------------------


def test_the_configured_clock_starts_at_that_moment_in_oslo_and_runs_on(at_ten_forty):
    with at_ten_forty.app_context():
        first = clock.local_now("Europe/Oslo")
        assert dt.datetime(2016, 11, 9, 10, 40) <= first < dt.datetime(2016, 11, 9, 10, 41)
        assert clock.utc_now().replace(second=0, microsecond=0) == dt.datetime(2016, 11, 9, 9, 40)
        assert clock.local_now("Europe/Oslo") >= first  # it runs on


def test_a_moment_with_an_offset_is_taken_as_written():
    moment = clock.parse_moment("2016-11-09T10:40:30+00:00", "Europe/Oslo")
    assert moment == dt.datetime(2016, 11, 9, 10, 40, 30, tzinfo=dt.UTC)
    assert clock.parse_moment("2016-11-09T10:40", "Europe/Oslo").hour == 9  # CET is UTC+1


@pytest.mark.parametrize("value", ["i morgen", "2016-13-40T10:00", "10:40"])
def test_a_clock_that_is_not_a_moment_stops_start_up_with_a_message(instance, value):
    with pytest.raises(ConfigError, match="NOW must be an ISO 8601 date and time"):
        make_app(instance, NOW=value)


def test_stored_timestamps_keep_the_real_time(at_ten_forty):
    client = at_ten_forty.test_client()
    post_form(client, "/register", {"name": "Kari", "email": "kari@example.no", "organisation": "Moss kommune",
                                    "consent": "y"})
    with at_ten_forty.app_context():
        from fagkonferanse.registration.models import Registration

        registered = db.session.scalar(db.select(Registration.created_at))
    assert registered.year >= 2026


# --- The day's phase ------------------------------------------------------------------------------


def test_the_phase_follows_the_programme():
    times = [(dt.datetime(2016, 11, 9, 8, 30), dt.datetime(2016, 11, 9, 9)),
             (dt.datetime(2016, 11, 9, 15), None)]
    assert day_phase(DAY, times, dt.datetime(2016, 11, 9, 8)).phase == BEFORE
    assert day_phase(DAY, times, dt.datetime(2016, 11, 9, 8, 30)).phase == DURING
    assert day_phase(DAY, times, dt.datetime(2016, 11, 9, 15, 9)).phase == DURING  # the closing words' ten minutes
    over = day_phase(DAY, times, dt.datetime(2016, 11, 9, 15, 10))
    assert over.phase == OVER and over.ended_today
    later = day_phase(DAY, times, dt.datetime(2016, 11, 10, 9))
    assert later.is_over and not later.ended_today
    assert day_phase(DAY, [], dt.datetime(2016, 11, 9, 23, 59)).phase == BEFORE


def test_a_past_conference_is_an_archive_and_says_when_it_took_place(client):
    home = client.get("/").get_data(as_text=True)
    assert "Konferansen ble holdt onsdag 9. november 2016" in home
    programme = client.get("/programme").get_data(as_text=True)
    assert "Programmet står her som et arkiv" in programme
    assert "data-day-over" not in programme


def test_the_day_over_message_is_waiting_for_the_script_during_the_day(at_ten_forty):
    page = at_ten_forty.test_client().get("/programme").get_data(as_text=True)
    assert '<p class="day-notice" role="status" data-day-over hidden>Dagen er over. Takk for i dag!</p>' in page
    assert 'data-day-end="2016-11-09T15:10:00"' in page and 'data-timezone="Europe/Oslo"' in page


def test_the_demo_says_so_on_every_page_and_keeps_registration_open(client):
    for path in ("/", "/programme", "/register"):
        assert "Demo: dette er konferansen fra 2016" in client.get(path).get_data(as_text=True), path
    response = post_form(client, "/register", {"name": "Kari", "email": "kari@example.no",
                                               "organisation": "Moss kommune", "consent": "y"})
    assert response.status_code == 303


def not_a_demo(app) -> None:
    with app.app_context():
        db.session.execute(db.update(Event).values(is_demo=False))
        db.session.commit()


def test_registration_closes_by_itself_when_the_programme_starts(instance):
    for moment, status in (("2016-11-09T08:29", 303), ("2016-11-09T08:30", 409)):
        app = make_app(instance, NOW=moment)
        not_a_demo(app)
        client = app.test_client()
        response = post_form(client, "/register", {"name": "Kari", "email": f"kari{status}@example.no",
                                                   "organisation": "Moss kommune", "consent": "y"},
                             form_path="/login")  # a closed registration shows no form
        assert response.status_code == status, moment
        if status == 409:
            assert "Påmeldingen er stengt." in response.get_data(as_text=True)
        with app.app_context():
            db.engine.dispose()


def test_the_organisers_closing_time_wins_over_the_automatic_one(instance):
    app = make_app(instance, NOW="2016-11-09T08:40")
    not_a_demo(app)
    with app.app_context():
        from fagkonferanse.registration.models import RegistrationSettings

        db.session.execute(db.update(RegistrationSettings).values(closes_at=dt.datetime(2016, 11, 9, 9)))  # 10.00 local
        db.session.commit()
    page = app.test_client().get("/register").get_data(as_text=True)
    assert "Påmeldingsfrist: 9. november 2016 kl. 10.00." in page and "Meld meg på" in page
    with app.app_context():
        db.engine.dispose()


# --- The programme on the day ---------------------------------------------------------------------


def test_now_and_next_at_ten_forty(at_ten_forty):
    page = at_ten_forty.test_client().get("/programme").get_data(as_text=True)
    now = re.search(r'<li id="item-\d+" class="[^"]*is-now[^"]*"[^>]*aria-current="time">.*?</li>', page, re.S).group(0)
    assert "Pause" in now and '<span class="badge now">Nå</span>' in now
    assert re.search(r'<span class="badge next">Neste</span></p>\s*<h2 class="item-title">\s*<span class="presenter">'
                     r'Husbanken</span> –\s*<a href="/programme/\d+">Lansering av Veiviseren</a>', page)
    assert "kl. 10.35–10.55" in page  # start and end


def test_items_link_to_their_speakers_and_to_the_presenters_stands(client):
    page = client.get("/programme").get_data(as_text=True)
    anchor = re.search(r'<a href="/speakers#(speaker-\d+)">Synnøve Seljeflot</a>', page).group(1)
    speakers = client.get("/speakers").get_data(as_text=True)
    assert re.search(rf'<li class="card" id="{anchor}"[^>]*>\s*<h2>Synnøve Seljeflot</h2>', speakers)
    assert 'Stand: <a href="/stands/husbanken">Husbanken</a> (1. etg)' in page
    assert page.count('class="programme-item kind-break is-break') == 1  # "Pause"


# --- Running late --------------------------------------------------------------------------------


def test_running_late_in_two_taps_moves_the_rest_of_the_day_and_tells_everyone(at_ten_forty,
                                                                                organiser_at_ten_forty):
    organiser = organiser_at_ten_forty
    dashboard = organiser.get("/admin/").get_data(as_text=True)
    assert "Er dere forsinket?" in dashboard and "+10 min" in dashboard
    pause = item_named(at_ten_forty, "Pause")
    token = csrf_token(organiser, "/admin/")
    tap = {"csrf_token": token, "item": str(pause.id), "minutes": "10"}
    preview = organiser.post("/admin/today/late", data=tap)
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    plan = re.search(r'name="plan" value="([^"]+)"', page).group(1)
    assert "Flytt 10 punkter og si fra til deltakerne" in page
    done = organiser.post("/admin/today/late", data={**tap, "decision": "shift", "plan": plan})
    assert done.status_code == 303
    moved = item_named(at_ten_forty, "Pause")
    assert (moved.start, moved.end) == (dt.datetime(2016, 11, 9, 10, 45), dt.datetime(2016, 11, 9, 11, 5))
    assert item_named(at_ten_forty, "Vel hjem!").start == dt.datetime(2016, 11, 9, 15, 10)
    assert item_named(at_ten_forty, "Hvordan koordinerte vi i praksis?").start == dt.datetime(2016, 11, 9, 14, 10)

    anyone = at_ten_forty.test_client()
    programme = anyone.get("/programme").get_data(as_text=True)
    assert "Programmet er forskjøvet 10 minutter fra kl. 10.35." in programme
    assert "kl. 10.45–11.05" in programme
    calendar = anyone.get("/programme.ics").get_data(as_text=True)
    assert "DTSTART;TZID=Europe/Oslo:20161109T104500" in calendar
    dashboard = organiser.get("/admin/").get_data(as_text=True)
    assert "Forskjøvet 10 minutter fra kl. 10.35" in dashboard and "Fjern meldingen" in dashboard


def test_a_delay_notice_can_be_taken_down(at_ten_forty, organiser_at_ten_forty):
    with at_ten_forty.app_context():
        event = db.session.scalar(db.select(Event))
        db.session.add(Delay(event_id=event.id, minutes=5, from_time=dt.datetime(2016, 11, 9, 10, 35)))
        db.session.commit()
        delay_id = db.session.scalar(db.select(Delay.id))
    client = at_ten_forty.test_client()
    assert "forskjøvet 5 minutter fra kl. 10.35" in client.get("/programme").get_data(as_text=True)
    post_form(organiser_at_ten_forty, f"/admin/today/delays/{delay_id}/remove", {}, form_path="/admin/")
    assert "forskjøvet" not in client.get("/programme").get_data(as_text=True)


def test_a_wrong_number_of_minutes_is_a_message_not_a_move(at_ten_forty, organiser_at_ten_forty):
    pause = item_named(at_ten_forty, "Pause")
    response = post_form(organiser_at_ten_forty, "/admin/today/late", {"item": str(pause.id), "minutes": "999"},
                         form_path="/admin/", follow_redirects=True)
    assert "Skriv et antall minutter fra -60 til 180." in response.get_data(as_text=True)
    assert item_named(at_ten_forty, "Pause").start == dt.datetime(2016, 11, 9, 10, 35)


def test_a_cancelled_item_stays_struck_through_with_its_note(at_ten_forty, organiser_at_ten_forty):
    talk = item_named(at_ten_forty, "En dør inn")
    assert "Avlyse «En dør inn»?" in organiser_at_ten_forty.get(f"/admin/today/items/{talk.id}/cancel").get_data(
        as_text=True)
    response = post_form(organiser_at_ten_forty, f"/admin/today/items/{talk.id}/cancel",
                         {"note": "Foredragsholderen er syk."})
    assert response.status_code == 303
    page = at_ten_forty.test_client().get("/programme").get_data(as_text=True)
    row = re.search(rf'<li id="item-{talk.id}" class="[^"]*is-cancelled[^"]*"[^>]*data-cancelled>.*?</li>', page, re.S)
    assert row and '<span class="badge cancelled">Avlyst</span>' in row.group(0)
    assert '<p class="cancel-note">Foredragsholderen er syk.</p>' in row.group(0)
    post_form(organiser_at_ten_forty, f"/admin/today/items/{talk.id}/reinstate", {}, form_path="/admin/programme")
    assert "is-cancelled" not in at_ten_forty.test_client().get("/programme").get_data(as_text=True)


def test_the_dashboard_has_no_running_late_card_on_other_days(admin_client):
    assert "Er dere forsinket?" not in admin_client.get("/admin/").get_data(as_text=True)


# --- What open pages poll -----------------------------------------------------------------------------


def test_the_live_state_is_versioned_and_answers_304_between_changes(app, admin_client):
    client = app.test_client()
    first = client.get("/live.json")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    state = first.get_json()
    assert first.headers["ETag"] == f'"{state["version"]}"' and state["clock_offset_ms"] == 0
    for _ in range(2):  # rendered, then from the page cache
        again = client.get("/live.json", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
    talk = item_named(app, "En dør inn")
    post_form(admin_client, f"/admin/today/items/{talk.id}/cancel", {"note": ""})
    changed = client.get("/live.json", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["version"] > state["version"]


def test_the_live_state_carries_the_configured_clock(at_ten_forty):
    state = at_ten_forty.test_client().get("/live.json").get_json()
    assert state["clock_offset_ms"] < -300 * 24 * 3600 * 1000  # ten years back, give or take


def test_the_settings_page_says_when_registration_closes_by_itself(app, admin_client):
    assert "påmeldingen står åpen, fordi dette er demokonferansen" in admin_client.get(
        "/admin/registration/").get_data(as_text=True)
    not_a_demo(app)
    page = admin_client.get("/admin/registration/").get_data(as_text=True)
    assert "påmeldingen stenger av seg selv når programmet starter, 9. november 2016 kl. 08.30." in page
