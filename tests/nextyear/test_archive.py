"""/arkiv/<slug>/: an earlier conference's public pages, with links that stay in the archive."""

from __future__ import annotations

import pytest

from ..conftest import log_in
from .conftest import NEW_OPENING, OLD_OPENING, SLUG_2016, SLUG_2017, TITLE_2017

ARCHIVE = f"/arkiv/{SLUG_2016}"


def test_the_live_programme_is_2017_and_the_archive_keeps_2016(app_2017):
    client = app_2017.test_client()
    live = client.get("/programme").get_data(as_text=True)
    assert NEW_OPENING in live and OLD_OPENING not in live
    archived = client.get(f"{ARCHIVE}/programme")
    assert archived.status_code == 200
    page = archived.get_data(as_text=True)
    assert OLD_OPENING in page and NEW_OPENING not in page
    assert "Dette er arkivet for Kunnskap om praksisutvikling innen levekår og mangfold (onsdag 9. november 2016)." in page
    assert f'href="{ARCHIVE}/speakers"' in page  # the menu stays in the archive
    assert '<a href="/">Gå til årets konferanse: Levekår og mangfold 2017</a>' in page


@pytest.mark.parametrize("path", ["/", "/programme", "/speakers", "/stands", "/catalogue", "/schedule.json",
                                  "/schedule.xml", "/programme.ics", "/api/programme", "/api/event"])
def test_every_public_page_of_the_archive_answers(app_2017, path):
    response = app_2017.test_client().get(ARCHIVE + path)
    assert response.status_code == 200, path


@pytest.mark.parametrize("method, path", [
    ("GET", "/admin/"), ("GET", "/admin/programme"), ("GET", "/register"), ("POST", "/register"),
    ("GET", "/login"), ("GET", "/ticket/lost"), ("GET", "/admin/checkin"), ("POST", "/admin/checkin/scan"),
    ("GET", "/passport"), ("GET", "/screen"), ("GET", "/catalogue/edit/abc"),
])
def test_private_and_writing_pages_are_no_pages_in_the_archive(app_2017, organiser, method, path):
    client = app_2017.test_client()
    log_in(client)
    assert client.open(ARCHIVE + path, method=method).status_code == 404


def test_an_unknown_archive_is_a_404_and_the_current_one_leads_to_the_live_site(app_2017):
    client = app_2017.test_client()
    assert client.get("/arkiv/finnes-ikke/programme").status_code == 404
    response = client.get(f"/arkiv/{SLUG_2017}/programme?lang=en")
    assert response.status_code == 302 and response.headers["Location"] == "/programme?lang=en"
    assert client.get(ARCHIVE).headers["Location"] == f"{ARCHIVE}/"


def test_the_archive_list_links_each_earlier_conference(app_2017):
    page = app_2017.test_client().get("/arkiv/").get_data(as_text=True)
    assert f'<a href="{ARCHIVE}/">Kunnskap om praksisutvikling innen levekår og mangfold</a>' in page
    assert f"/arkiv/{SLUG_2017}/" not in page
    assert f"Årets konferanse er {TITLE_2017}, onsdag 8. november 2017." in page
    home = app_2017.test_client().get("/").get_data(as_text=True)
    assert '<a href="/arkiv/">Tidligere konferanser</a>' in home


def test_the_page_cache_keeps_archive_pages_apart_from_the_live_ones(app_2017):
    client = app_2017.test_client()
    for _ in range(2):  # the second round comes from the cache
        live = client.get("/programme")
        archived = client.get(f"{ARCHIVE}/programme")
        assert NEW_OPENING in live.get_data(as_text=True)
        assert OLD_OPENING in archived.get_data(as_text=True)
    assert live.headers["X-Page-Cache"] == "hit" and archived.headers["X-Page-Cache"] == "hit"
    # A cached archive page still answers 302 once its conference is the current one again.
    with app_2017.app_context():
        from fagkonferanse.events.copying import event_by_slug
        from fagkonferanse.events.services import make_current
        from fagkonferanse.extensions import db

        make_current(event_by_slug(SLUG_2016))
        db.session.commit()
    assert client.get(f"{ARCHIVE}/programme").status_code == 302
    assert OLD_OPENING in client.get("/programme").get_data(as_text=True)


def test_exports_of_the_archive_link_into_the_archive(app_2017):
    client = app_2017.test_client()
    calendar = client.get(f"{ARCHIVE}/programme.ics").get_data(as_text=True).replace("\r\n ", "")
    assert f"{ARCHIVE}/programme/" in calendar
    assert OLD_OPENING in calendar and NEW_OPENING not in calendar


def test_the_language_switch_stays_in_the_archive(app_2017):
    response = app_2017.test_client().get(f"{ARCHIVE}/language/en?next=/speakers")
    assert response.status_code == 302 and response.headers["Location"] == f"{ARCHIVE}/speakers"


def test_a_poster_scan_in_the_archive_counts_nothing(app_2017):
    client = app_2017.test_client()
    response = client.get(f"{ARCHIVE}/stands/husbanken?from=poster")
    assert response.status_code == 200
    with app_2017.app_context():
        from fagkonferanse.checkin.models import StandVisit
        from fagkonferanse.extensions import db

        assert db.session.scalar(db.select(db.func.count(StandVisit.id))) == 0
