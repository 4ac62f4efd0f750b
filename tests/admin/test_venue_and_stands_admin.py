"""Locations at /admin/locations and stands at /admin/stands, and what attendees see at /stands."""

from __future__ import annotations

import re

import pytest

from fagkonferanse.events.models import Organisation
from fagkonferanse.extensions import db
from fagkonferanse.stands.models import Stand
from fagkonferanse.venue.models import Location

from .conftest import submit, text


def placement(client) -> dict[str, tuple[str, str]]:
    """The public placement table: organisation → (location, floor)."""
    html = client.get("/stands").get_data(as_text=True)
    rows = re.findall(r'<th scope="row"><a [^>]+>(.*?)</a></th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', html)
    return {name: (where, floor) for name, where, floor in rows}


def plan_markers(client) -> dict[str, list[str]]:
    """The public plan: each floor's heading → the names on its stand markers."""
    html = client.get("/stands").get_data(as_text=True)
    floors = re.findall(r'<section class="fp-floor".*?<h2[^>]*>(.*?)</h2>(.*?)</section>', html, re.S)
    return {heading: re.findall(r'class="fp-stand-name"[^>]*>(.*?)</text>', body) for heading, body in floors}


# --- Locations ----------------------------------------------------------------------------------


def test_locations_are_listed_by_building_and_floor_with_what_is_there(admin_client):
    page = text(admin_client.get("/admin/locations"))
    assert "H-bygget" in page
    assert "1 H-113 Rom Stand: Husbanken" in page
    assert "3 Trappegangen i 3. etasje" in page and "Trappegang Stand: Fredrikstad kommune" in page


def test_a_new_location_can_be_chosen_for_items_and_stands(admin_client, lookup):
    response = submit(admin_client, "/admin/locations/new", {
        "name": "Auditorium A", "floor": "2", "kind": "hall", "description": "Store salen"})
    assert response.status_code == 303
    assert "Auditorium A (2. etasje)" in text(admin_client.get("/admin/programme/new"))
    assert "Auditorium A (2. etasje)" in text(admin_client.get("/admin/stands/new"))
    assert "La til stedet Auditorium A" in text(admin_client.get("/admin/audit"))


def test_invalid_locations_are_refused(admin_client, lookup):
    before = lookup.count(Location)
    cases = [
        ({"name": ""}, "Stedet trenger et navn."),
        ({"name": "h-113"}, "Det finnes allerede et sted som heter «H-113»."),
        ({"floor": "andre"}, "Ikke en gyldig heltallsverdi"),
        ({"floor": ""}, "Skriv etasjen som et tall."),
        ({"floor": "300"}, "Etasjen må være et tall fra -5 til 100."),
        ({"building": " "}, "Skriv hvilket bygg."),
    ]
    for changes, message in cases:
        response = submit(admin_client, "/admin/locations/new", {"name": "Nytt rom", "floor": "1", **changes})
        assert response.status_code == 400, changes
        assert message in text(response), changes
    assert lookup.count(Location) == before


def test_renaming_a_location_shows_on_the_public_floor_plan(admin_client, lookup):
    h113 = lookup.location_id("H-113")
    assert submit(admin_client, f"/admin/locations/{h113}/edit", {"name": "H-113 Auditoriet"}).status_code == 303
    assert placement(admin_client)["Husbanken"] == ("H-113 Auditoriet", "1")


def test_deleting_a_location_unplaces_what_was_there(admin_client, lookup):
    corridor = lookup.location_id("Gangen ved kaffebaren")
    confirm = text(admin_client.get(f"/admin/locations/{corridor}/delete"))
    assert "Standen til Halden kommune" in confirm
    assert submit(admin_client, f"/admin/locations/{corridor}/delete").status_code == 303
    assert placement(admin_client)["Halden kommune"] == ("Ikke plassert ennå", "")
    assert lookup.count(Stand) == 5
    assert "Slettet stedet Gangen ved kaffebaren" in text(admin_client.get("/admin/audit"))
    assert "uten sted nå: → Halden kommune" in text(admin_client.get("/admin/audit"))


# --- Stands -------------------------------------------------------------------------------------


def test_moving_a_stand_moves_it_on_the_public_floor_plan(admin_client, lookup):
    assert placement(admin_client)["Husbanken"] == ("H-113", "1")
    stand = lookup.stand_id("Husbanken")
    third_floor = lookup.location_id("Trappegangen i 3. etasje")
    response = submit(admin_client, f"/admin/stands/{stand}/edit", {"location": str(third_floor)})
    assert response.status_code == 303
    assert placement(admin_client)["Husbanken"] == ("Trappegangen i 3. etasje", "3")
    markers = plan_markers(admin_client)
    assert markers["3. etasje"] == ["Fredrikstad kommune", "Husbanken"]
    assert "Husbanken" not in markers["1. etasje"]
    audit = text(admin_client.get("/admin/audit"))
    assert "Endret standen til Husbanken" in audit and "standplass: H-113 → Trappegangen i 3. etasje" in audit


def test_a_stand_for_a_new_organisation_creates_it_once(admin_client, lookup):
    corridor = str(lookup.location_id("Gangen ved kaffebaren"))
    first = submit(admin_client, "/admin/stands/new", {
        "organisation": "", "new_organisation": "Råde kommune", "location": corridor, "short_text": "Bolig"})
    assert first.status_code == 303
    organisations = lookup.count(Organisation)
    again = submit(admin_client, "/admin/stands/new", {"organisation": "", "new_organisation": "råde KOMMUNE"})
    assert again.status_code == 303
    assert lookup.count(Organisation) == organisations  # the same organisation, not a look-alike
    page = admin_client.get("/stands").get_data(as_text=True)
    assert '<a href="/stands/rade-kommune">Råde kommune</a>' in page
    assert '<a href="/stands/rade-kommune-2">Råde kommune</a>' in page
    assert placement(admin_client)["Råde kommune"] in {("Gangen ved kaffebaren", "1"), ("Ikke plassert ennå", "")}


def test_a_stand_needs_exactly_one_organisation(admin_client, lookup):
    before = lookup.count(Stand)
    neither = submit(admin_client, "/admin/stands/new", {"organisation": "", "new_organisation": ""})
    assert neither.status_code == 400 and "Velg en virksomhet, eller skriv navnet på en ny." in text(neither)
    husbanken = str(lookup.organisation_id("Husbanken"))
    both = submit(admin_client, "/admin/stands/new", {"organisation": husbanken, "new_organisation": "Råde kommune"})
    assert both.status_code == 400 and "ikke begge" in text(both)
    unknown = submit(admin_client, "/admin/stands/new", {"organisation": "9999"})
    assert unknown.status_code == 400
    assert lookup.count(Stand) == before


def test_deleting_a_stand_takes_it_off_the_floor_plan(admin_client, lookup):
    stand = lookup.stand_id("Moss kommune")
    assert "Slette standen til Moss kommune?" in text(admin_client.get(f"/admin/stands/{stand}/delete"))
    assert submit(admin_client, f"/admin/stands/{stand}/delete").status_code == 303
    assert "Moss kommune" not in placement(admin_client)
    assert plan_markers(admin_client)["2. etasje"] == []


# --- A stand's poster: logo and colour (issue 15) ------------------------------------------------


def test_a_logo_and_a_poster_colour_are_set_on_the_stand_and_cleaned(app, admin_client, lookup):
    import io

    from .conftest import form_values

    stand = lookup.stand_id("Husbanken")
    path = f"/admin/stands/{stand}/edit"
    values = form_values(admin_client.get(path).get_data(as_text=True))
    logo = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>'
            b'<circle cx="5" cy="5" r="5" fill="#1d6b2f"/></svg>')
    data = {**{name: value[0] for name, value in values.items()}, "accent_colour": "#FFD166",
            "logo": (io.BytesIO(logo), "logo.svg")}
    response = admin_client.post(path, data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    with app.app_context():
        saved = db.session.get(Stand, stand)
        assert saved.accent_colour == "#ffd166"
        stored = saved.organisation.logo.data.decode()
        assert "<circle" in stored and "alert" not in stored and "onload" not in stored
        address = f"/images/{saved.organisation.logo.id}-{saved.organisation.logo.digest[:16]}.svg"
    page = admin_client.get("/stands/husbanken").get_data(as_text=True)
    assert f'<img class="stand-logo" src="{address}" alt="Logoen til Husbanken">' in page
    audit = text(admin_client.get("/admin/audit"))
    assert "plakatfarge: → #ffd166" in audit and "logo: → lastet opp" in audit
    removed = submit(admin_client, path, {"remove_logo": "y"})
    assert removed.status_code == 303
    with app.app_context():
        assert db.session.get(Stand, stand).organisation.logo is None


@pytest.mark.parametrize("changes, message", [
    ({"accent_colour": "blå"}, "Skriv fargen som heksadesimal kode, for eksempel #0b5c8c."),
])
def test_a_poster_colour_that_is_not_a_colour_is_refused(admin_client, lookup, changes, message):
    stand = lookup.stand_id("Husbanken")
    response = submit(admin_client, f"/admin/stands/{stand}/edit", changes)
    assert response.status_code == 400 and message in text(response)


def test_a_logo_that_is_not_an_image_is_refused_and_nothing_is_saved(app, admin_client, lookup):
    import io

    from .conftest import form_values

    stand = lookup.stand_id("Husbanken")
    path = f"/admin/stands/{stand}/edit"
    values = {name: value[0] for name, value in form_values(admin_client.get(path).get_data(as_text=True)).items()}
    response = admin_client.post(path, content_type="multipart/form-data", data={
        **values, "short_text": "Endret", "logo": (io.BytesIO(b"%PDF-1.4 ..."), "logo.pdf")})
    assert response.status_code == 400 and "Filen er ikke et PNG-, JPEG- eller SVG-bilde." in text(response)
    with app.app_context():
        assert db.session.get(Stand, stand).short_text != "Endret"
