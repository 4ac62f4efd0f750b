"""The dashboard's programme card and the editor's list of problems in a stored programme."""

from __future__ import annotations

from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem, Speaker

from .conftest import text


def test_the_dashboard_links_to_the_editors_and_reports_a_clean_programme(admin_client):
    html = admin_client.get("/admin/").get_data(as_text=True)
    for href in ("/admin/programme", "/admin/programme/new", "/admin/speakers", "/admin/stands"):
        assert f'href="{href}"' in html
    assert "Ingen overlapp eller dobbeltbookinger." in text(admin_client.get("/admin/"))


def test_a_double_booking_from_outside_the_editor_is_shown_on_the_dashboard_and_the_list(app, admin_client):
    """Data imported or edited before the rules existed is checked too, and named."""
    with app.app_context():
        erna = db.session.scalar(db.select(Speaker).filter_by(name="Erna Haug"))
        talk = db.session.scalar(db.select(ProgrammeItem).filter_by(title="Barnefattigdom"))
        talk.speakers.append(erna)
        db.session.commit()
    assert "Ingen overlapp" in text(admin_client.get("/admin/"))  # back to back is fine
    with app.app_context():
        talk = db.session.scalar(db.select(ProgrammeItem).filter_by(title="Barnefattigdom"))
        talk.start = talk.start.replace(minute=50)
        db.session.commit()
    assert "1 regelbrudd i programmet" in text(admin_client.get("/admin/"))
    page = text(admin_client.get("/admin/programme"))
    assert "Programmet bryter en regel" in page
    assert ("Erna Haug er også på «SE metodikken – teori og praksis» kl. 09.35–09.55." in page
            or "Erna Haug er også på «Barnefattigdom» kl. 09.50–10.15." in page)


def test_every_editor_page_renders_in_both_languages(admin_client, lookup):
    item, speaker = lookup.item_id("Pause"), lookup.speaker_id("Erna Haug")
    location, stand = lookup.location_id("H-113"), lookup.stand_id("Husbanken")
    paths = [
        "/admin/programme", "/admin/programme/new", f"/admin/programme/{item}/edit",
        f"/admin/programme/{item}/shift", f"/admin/programme/{item}/delete",
        "/admin/speakers", "/admin/speakers/new", f"/admin/speakers/{speaker}/edit",
        f"/admin/speakers/{speaker}/delete", "/admin/locations", "/admin/locations/new",
        f"/admin/locations/{location}/edit", f"/admin/locations/{location}/delete", "/admin/stands",
        "/admin/stands/new", f"/admin/stands/{stand}/edit", f"/admin/stands/{stand}/delete",
    ]
    for language in ("nb", "en"):
        admin_client.set_cookie("lang", language)
        for path in paths:
            response = admin_client.get(path)
            assert response.status_code == 200, (language, path)
            assert f'<html lang="{language}">' in response.get_data(as_text=True)
