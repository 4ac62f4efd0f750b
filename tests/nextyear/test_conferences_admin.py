"""/admin/conferences: next year's conference from the organisers' pages."""

from __future__ import annotations

from fagkonferanse.events.copying import event_by_slug
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.stands.models import Stand

import pytest

from ..conftest import make_app, post_form
from .conftest import SLUG_2016


@pytest.fixture
def app(instance):
    """In June 2017: the 2016 conference is over, the one of November 2017 lies ahead."""
    app = make_app(instance, NOW="2017-06-01T12:00")
    yield app
    with app.app_context():
        db.engine.dispose()

NEW_FORM = {"title": "Levekår og mangfold 2017", "date": "2017-11-08", "venue": "Høgskolen i Østfold",
            "building": "H-bygget", "slug": "", "source": SLUG_2016, "copy_venue": "y", "copy_programme": "y"}


def test_the_pages_need_an_organiser(client):
    assert client.get("/admin/conferences").status_code == 302
    assert client.post("/admin/conferences/new", data=NEW_FORM).status_code == 401


def test_the_form_suggests_next_year_in_the_same_building(admin_client):
    page = admin_client.get("/admin/conferences/new").get_data(as_text=True)
    assert 'value="2017-11-09"' in page and 'type="date"' in page and 'value="H-bygget"' in page
    assert f'<option selected value="{SLUG_2016}">' in page


def test_an_organiser_creates_next_years_conference_with_a_copy(app, admin_client):
    response = post_form(admin_client, "/admin/conferences/new", NEW_FORM)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/conferences"
    page = admin_client.get("/admin/conferences").get_data(as_text=True)
    assert "«Levekår og mangfold 2017» er opprettet. Gjør den gjeldende når den skal vises på nettstedet." in page
    assert "Ikke publisert ennå" in page
    with app.app_context():
        event = event_by_slug("levekar-og-mangfold-2017")
        assert not event.is_current
        assert db.session.scalar(db.select(db.func.count(ProgrammeItem.id)).where(ProgrammeItem.event_id == event.id)) == 16
        assert db.session.scalar(db.select(db.func.count(Stand.id)).where(Stand.event_id == event.id)) == 0
        event_id = event.id
    # Not public until it is made current.
    assert admin_client.get("/arkiv/levekar-og-mangfold-2017/").status_code == 404
    made = post_form(admin_client, f"/admin/conferences/{event_id}/current", {}, form_path="/admin/conferences")
    assert made.status_code == 303
    assert "Levekår og mangfold 2017" in admin_client.get("/").get_data(as_text=True)
    assert admin_client.get(f"/arkiv/{SLUG_2016}/").status_code == 200


def test_a_slug_in_use_is_refused_on_the_form(admin_client):
    response = post_form(admin_client, "/admin/conferences/new", {**NEW_FORM, "slug": SLUG_2016})
    assert response.status_code == 400
    assert f"Det finnes alt en konferanse med adressen «{SLUG_2016}»." in response.get_data(as_text=True)


def test_a_bad_date_is_refused_on_the_form(admin_client):
    response = post_form(admin_client, "/admin/conferences/new", {**NEW_FORM, "date": "8. nov"})
    assert response.status_code == 400
    assert "Skriv datoen, for eksempel 8.11.2017." in response.get_data(as_text=True)


def test_organisers_set_the_retention_time(app, admin_client):
    with app.app_context():
        event_id = event_by_slug(SLUG_2016).id
    path = f"/admin/conferences/{event_id}/retention"
    assert post_form(admin_client, path, {"days": "-3"}).status_code == 400
    response = post_form(admin_client, path, {"days": "30"})
    assert response.status_code == 303
    page = admin_client.get("/admin/conferences").get_data(as_text=True)
    assert ("Deltakeropplysningene for «Kunnskap om praksisutvikling innen levekår og mangfold» anonymiseres fra "
            "fredag 9. desember 2016.") in page
    with app.app_context():
        assert event_by_slug(SLUG_2016).attendee_retention_days == 30


def test_a_post_without_its_token_is_refused(app, admin_client):
    assert admin_client.post("/admin/conferences/new", data=NEW_FORM).status_code == 400
    with app.app_context():
        assert event_by_slug("levekar-og-mangfold-2017") is None
