"""English versions in the organisers' editors: typed beside the Norwegian, stored with it, shown
to English readers, and kept under the audit log and the stale-form checks (issue 13)."""

from __future__ import annotations

import re

from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem, Speaker
from fagkonferanse.stands.models import Stand
from fagkonferanse.venue.models import Location

from ..conftest import log_in
from .conftest import submit, text


def stored(app, model, field_names, **where) -> tuple:
    with app.app_context():
        row = db.session.scalar(db.select(model).filter_by(**where))
        return tuple(getattr(row, name) for name in field_names)


def english_page(app, path: str) -> str:
    visitor = app.test_client()
    visitor.set_cookie("lang", "en")
    return visitor.get(path).get_data(as_text=True)


def test_the_english_field_sits_beside_the_norwegian_and_says_it_is_optional(admin_client, lookup):
    html = admin_client.get(f"/admin/programme/{lookup.item_id('Pause')}/edit").get_data(as_text=True)
    pair = re.search(r'<div class="field-pair">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert '<label for="title">Tittel</label>' in pair
    assert '<label for="title_en">Tittel (engelsk, valgfritt)</label>' in pair
    assert re.search(r'<input[^>]*id="title"[^>]*lang="nb"', pair)
    assert re.search(r'<input aria-describedby="english-hint"[^>]*id="title_en"[^>]*lang="en"', pair)
    assert ('<p class="hint" id="english-hint">Engelsk er valgfritt: står et engelsk felt tomt, får engelske '
            'lesere den norske teksten.</p>') in html
    assert re.search(r'<textarea aria-describedby="english-hint"[^>]*id="description_en" lang="en"', html)


def test_a_programme_item_stores_both_languages(app, admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Pause')}/edit"
    response = submit(admin_client, path, {"title_en": "Break", "description_en": "Coffee and fruit."})
    assert response.status_code == 303
    assert stored(app, ProgrammeItem, ("title", "title_en", "description_en"), title="Pause") == (
        "Pause", "Break", "Coffee and fruit.")
    assert lookup.item("Pause")["version"] == 2
    assert 'value="Break"' in admin_client.get(path).get_data(as_text=True)  # shown again to edit
    audit = text(admin_client.get("/admin/audit"))
    assert "tittel (engelsk): → Break" in audit and "beskrivelse (engelsk): → Coffee and fruit." in audit
    assert "<h1>Break</h1>" in english_page(app, f"/programme/{lookup.item_id('Pause')}")
    assert "Break" not in admin_client.get("/programme").get_data(as_text=True)


def test_a_new_item_can_be_created_with_its_english_title(app, admin_client, lookup):
    response = submit(admin_client, "/admin/programme/new", {
        "title": "Spørsmål", "title_en": "Questions", "kind": "talk", "start": "10:15", "duration": "20",
        "location": str(lookup.location_id("H-113"))})
    assert response.status_code == 303
    assert stored(app, ProgrammeItem, ("title_en",), title="Spørsmål") == ("Questions",)


def test_an_english_title_saved_by_someone_else_makes_an_open_form_stale(admin_client, second_admin, lookup):
    path = f"/admin/programme/{lookup.item_id('Pause')}/edit"
    stale_form = second_admin.get(path)
    assert submit(admin_client, path, {"title_en": "Break"}).status_code == 303
    response = submit(second_admin, path, {"title_en": "Coffee break"}, page=stale_form)
    assert response.status_code == 409
    assert 'value="Coffee break"' in response.get_data(as_text=True)  # what they typed is kept
    assert lookup.item("Pause")["version"] == 2


def test_an_english_text_too_long_is_refused(app, admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Pause')}/edit"
    response = submit(admin_client, path, {"title_en": "x" * 301})
    assert response.status_code == 400
    assert stored(app, ProgrammeItem, ("title_en",), title="Pause") == ("",)


def test_a_speaker_stores_both_languages(app, admin_client, lookup):
    path = f"/admin/speakers/{lookup.speaker_id('Erna Haug')}/edit"
    response = submit(admin_client, path, {"role": "Førsteamanuensis", "role_en": "Associate professor",
                                           "bio": "Forsker på SE.", "bio_en": "Researches supported employment."})
    assert response.status_code == 303
    assert stored(app, Speaker, ("role", "role_en", "bio", "bio_en"), name="Erna Haug") == (
        "Førsteamanuensis", "Associate professor", "Forsker på SE.", "Researches supported employment.")
    assert "rolle (engelsk): → Associate professor" in text(admin_client.get("/admin/audit"))
    assert "<p>Associate professor, <span lang=\"nb\">Høgskolen i Østfold</span></p>" in english_page(app, "/speakers")


def test_a_stand_stores_both_languages(app, admin_client, lookup):
    path = f"/admin/stands/{lookup.stand_id('Husbanken')}/edit"
    response = submit(admin_client, path, {"short_text": "Møt Veiviseren.", "short_text_en": "Meet the guide."})
    assert response.status_code == 303
    with app.app_context():
        stand = db.session.scalar(db.select(Stand).filter_by(slug="husbanken"))
        assert (stand.short_text, stand.short_text_en) == ("Møt Veiviseren.", "Meet the guide.")
    assert "\nMeet the guide.</textarea>" in admin_client.get(path).get_data(as_text=True)
    assert "kort tekst (engelsk): → Meet the guide." in text(admin_client.get("/admin/audit"))
    assert "<p>Meet the guide.</p>" in english_page(app, "/stands/husbanken")
    assert "<p>Møt Veiviseren.</p>" in admin_client.get("/stands/husbanken").get_data(as_text=True)


def test_a_location_stores_both_languages(app, admin_client, lookup):
    path = f"/admin/locations/{lookup.location_id('Gangen ved kaffebaren')}/edit"
    response = submit(admin_client, path, {"name_en": "Corridor by the coffee bar"})
    assert response.status_code == 303
    assert stored(app, Location, ("name_en",), name="Gangen ved kaffebaren") == ("Corridor by the coffee bar",)
    assert "navn (engelsk): → Corridor by the coffee bar" in text(admin_client.get("/admin/audit"))
    assert "<td>Corridor by the coffee bar</td>" in english_page(app, "/stands")


# --- The conference's own texts -----------------------------------------------------------------


def test_the_conference_page_is_in_the_organiser_navigation_and_guarded(app, admin_client):
    page = admin_client.get("/admin/").get_data(as_text=True)
    nav = page.split('<nav class="admin-nav"', 1)[1].split("</nav>")[0]
    assert '<a href="/admin/conference">Konferansen</a>' in nav
    anonymous = app.test_client()
    assert anonymous.get("/admin/conference").status_code == 302
    assert anonymous.post("/admin/conference", data={"title": "Hacked"}).status_code == 401


def test_the_conference_texts_are_saved_in_both_languages(app, admin_client):
    form = admin_client.get("/admin/conference")
    assert form.status_code == 200
    assert 'value="Kunnskap om praksisutvikling innen levekår og mangfold"' in form.get_data(as_text=True)
    response = submit(admin_client, "/admin/conference", {
        "title_en": "Knowledge of practice", "foreword_en": "First.\n\nSecond."}, page=form)
    assert response.status_code == 303
    assert stored(app, Event, ("title", "title_en", "foreword_en"), slug="levekar-og-mangfold-2016") == (
        "Kunnskap om praksisutvikling innen levekår og mangfold", "Knowledge of practice", "First.\n\nSecond.")
    audit = text(admin_client.get("/admin/audit"))
    assert "Endret konferansens tekster" in audit and "tittel (engelsk): → Knowledge of practice" in audit
    home = english_page(app, "/")
    assert "<h1>Knowledge of practice</h1>" in home and "<p>First.</p>" in home and "<p>Second.</p>" in home


def test_the_conference_needs_a_title(app, admin_client):
    response = submit(admin_client, "/admin/conference", {"title": ""})
    assert response.status_code == 400
    assert "Konferansen trenger en tittel." in text(response)
    assert stored(app, Event, ("title",), slug="levekar-og-mangfold-2016") == (
        "Kunnskap om praksisutvikling innen levekår og mangfold",)


def test_a_stale_conference_form_saves_nothing(app, admin_client, second_admin):
    stale_form = second_admin.get("/admin/conference")
    assert submit(admin_client, "/admin/conference", {"title_en": "Knowledge"}).status_code == 303
    response = submit(second_admin, "/admin/conference", {"title_en": "Other words"}, page=stale_form)
    assert response.status_code == 409
    assert "Tekstene ble endret av noen andre etter at du åpnet siden. Ingenting er lagret" in text(response)
    assert 'value="Other words"' in response.get_data(as_text=True)
    assert stored(app, Event, ("title_en",), slug="levekar-og-mangfold-2016") == ("Knowledge",)
    # Having seen what is stored now, the same form saves.
    assert submit(second_admin, "/admin/conference", page=response).status_code == 303
    assert stored(app, Event, ("title_en",), slug="levekar-og-mangfold-2016") == ("Other words",)


def test_the_conference_page_in_english_marks_the_norwegian_fields(app, organiser):
    client = app.test_client()
    log_in(client)
    client.set_cookie("lang", "en")
    html = client.get("/admin/conference").get_data(as_text=True)
    assert '<label for="title_en">Title (English, optional)</label>' in html
    assert re.search(r'<textarea[^>]*id="foreword"[^>]*lang="nb"', html)
