"""The floor plan's rules, called as the editor calls them: shapes on their floor, stands placed
in a place, floors resized only around what is on them, drawings setting the proportions, and a
copied conference keeping the whole plan."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from fagkonferanse.audit.models import AuditEntry
from fagkonferanse.events.models import Event
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.stands.editing import StandDetails, copy_stands, save_stand
from fagkonferanse.stands.services import stand_by_slug
from fagkonferanse.venue import plan_editing as editing
from fagkonferanse.venue.models import Floor, Location
from fagkonferanse.venue.plan import building_plans, plan_of_floor
from fagkonferanse.venue.plan_svg import Drawing, render_plan
from fagkonferanse.venue.services import LocationDetails, delete_location, save_location


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield current_event()


def floor(event, number: int) -> Floor:
    return db.session.scalar(db.select(Floor).filter_by(event_id=event.id, building="H-bygget", number=number))


def place(event, name: str) -> Location:
    return db.session.scalar(db.select(Location).filter_by(event_id=event.id, name=name))


def test_the_2016_plan_is_the_booklets_schematic_h_bygget(ctx):
    plans = building_plans(ctx)
    assert [(plan.number, plan.schematic) for plan in plans] == [(1, True), (2, True), (3, True)]
    first = plans[0]
    assert sorted(shape.location.name for shape in first.shapes) == [
        "Gangen utenfor H-113", "Gangen ved kaffebaren", "H-113", "Inngangen", "Kaffebaren", "Trappen"]
    assert "Heftet sier ikke hvilken etasje kaffebaren er i" in first.floor.note
    assert [[marker.stand.organisation.name for marker in plan.markers] for plan in plans] == [
        ["Sarpsborg kommune", "Halden kommune", "Husbanken"], ["Moss kommune"], ["Fredrikstad kommune"]]
    assert [marker.number for plan in plans for marker in plan.markers] == [1, 2, 3, 4, 5]
    # The stairs lead up and down: 1 ↔ 2 ↔ 3.
    assert [(plan.below, plan.above) for plan in plans] == [(None, 2), (1, 3), (2, None)]


def test_every_stand_marker_is_inside_its_place(ctx):
    from fagkonferanse.venue.geometry import contains

    for plan in building_plans(ctx):
        for marker in plan.markers:
            shape = next(shape for shape in plan.shapes if shape.location.id == marker.stand.location_id)
            assert contains(shape.points, marker.at), marker.stand.organisation.name


def test_a_stand_dropped_in_another_place_moves_there(ctx):
    stand = stand_by_slug(ctx, "halden-kommune")
    editing.place_stand(ctx, floor(ctx, 1), stand, 600.5, 150)  # inside H-113
    db.session.commit()
    assert (stand.location.name, stand.plan_x, stand.plan_y) == ("H-113", 600.5, 150)
    entry = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.summary == "Flyttet standen til Halden kommune på planen"
    assert entry.changes["standplass"] == ["Gangen ved kaffebaren", "H-113"]


def test_a_stand_dropped_outside_every_place_stays_in_its_own_on_that_floor(ctx):
    stand = stand_by_slug(ctx, "husbanken")
    editing.place_stand(ctx, floor(ctx, 1), stand, 100, 100)  # empty space on the first floor
    assert (stand.location.name, stand.plan_x, stand.plan_y) == ("H-113", 100, 100)


def test_a_stand_from_another_floor_must_land_in_a_place(ctx):
    stand = stand_by_slug(ctx, "moss-kommune")
    with pytest.raises(editing.PlanError) as refused:
        editing.place_stand(ctx, floor(ctx, 1), stand, 100, 100)
    assert str(refused.value) == "Legg standen inne i et av stedene på planen, eller velg standplass i skjemaet."
    editing.place_stand(ctx, floor(ctx, 1), stand, 60, 300)  # in the corridor by the coffee bar
    assert stand.location.name == "Gangen ved kaffebaren"


@pytest.mark.parametrize("x, y", [(-1, 10), (10, -0.5), (821, 10), (10, 441)])
def test_a_stand_is_placed_on_the_plan_only(ctx, x, y):
    with pytest.raises(editing.PlanError) as refused:
        editing.place_stand(ctx, floor(ctx, 1), stand_by_slug(ctx, "husbanken"), x, y)
    assert str(refused.value) == "Plasseringen må være på planen: x fra 0 til 820 og y fra 0 til 440."


def test_moving_a_stand_in_the_form_puts_it_in_the_middle_of_its_new_place(ctx):
    stand = stand_by_slug(ctx, "husbanken")
    editing.place_stand(ctx, floor(ctx, 1), stand, 700, 200)
    save_stand(ctx, stand, StandDetails(organisation_id=stand.organisation_id, location_id=place(ctx, "Kaffebaren").id))
    assert (stand.plan_x, stand.plan_y) == (None, None)


def test_a_shape_belongs_to_a_place_on_its_floor(ctx):
    with pytest.raises(editing.PlanError) as refused:
        editing.save_outline(ctx, floor(ctx, 1), place(ctx, "Trappegangen i 2. etasje"), "0,0 10,0 10,10")
    assert str(refused.value) == "Trappegangen i 2. etasje er ikke i denne etasjen."
    with pytest.raises(editing.PlanError) as refused:
        editing.save_outline(ctx, floor(ctx, 1), place(ctx, "H-113"), "0,0 900,0 900,10")
    assert str(refused.value) == "Alle punktene må ligge på planen: x fra 0 til 820 og y fra 0 til 440."
    editing.save_outline(ctx, floor(ctx, 1), place(ctx, "H-113"), "500,40 800,40 800,250 650,250 650,200 500,200")
    assert place(ctx, "H-113").outline == "500,40 800,40 800,250 650,250 650,200 500,200"


def test_a_floor_is_not_made_too_small_for_what_is_on_it(ctx):
    settings = editing.FloorSettings(width=700, height=440, schematic=True)
    with pytest.raises(editing.PlanError) as refused:
        editing.save_floor_settings(ctx, floor(ctx, 1), settings)
    assert str(refused.value) == ("Så liten blir planen for liten for Gangen utenfor H-113, H-113. "
                                  "Flytt dem først, eller velg en større plan.")
    editing.save_floor_settings(ctx, floor(ctx, 1), editing.FloorSettings(1000, 500, False, "Tegnet av vaktmesteren"))
    assert (floor(ctx, 1).width, floor(ctx, 1).height, floor(ctx, 1).schematic) == (1000, 500, False)


def test_an_uploaded_drawing_sets_the_plans_proportions(ctx):
    buffer = io.BytesIO()
    Image.new("RGB", (2000, 500), "white").save(buffer, "PNG")
    off = editing.set_floor_image(ctx, floor(ctx, 2), buffer.getvalue())
    assert (floor(ctx, 2).width, floor(ctx, 2).height) == (820, 205)
    assert off == ["Trappegangen i 2. etasje"]  # drawn down to 250: to be redrawn on the drawing
    plan = plan_of_floor(building_plans(ctx), place(ctx, "Trappegangen i 2. etasje"))
    assert (plan.frame.x, plan.frame.y) == (0, 0) and plan.frame.width >= 820
    assert 'href="/images/' in render_plan(plan)


def test_a_place_moved_to_another_floor_leaves_its_shape_behind(ctx):
    corridor = place(ctx, "Gangen ved kaffebaren")
    halden = stand_by_slug(ctx, "halden-kommune")
    editing.place_stand(ctx, floor(ctx, 1), halden, 100, 300)
    save_location(ctx, corridor, LocationDetails(name=corridor.name, building="H-bygget", floor=4, kind="corridor"))
    assert corridor.outline == "" and (halden.plan_x, halden.plan_y) == (None, None)
    assert floor(ctx, 4) is not None  # the new floor has its plan to draw


def test_deleting_a_place_takes_its_stands_off_the_plan(ctx):
    halden = stand_by_slug(ctx, "halden-kommune")
    editing.place_stand(ctx, floor(ctx, 1), halden, 100, 300)
    delete_location(ctx, place(ctx, "Gangen ved kaffebaren"))
    assert (halden.location, halden.plan_x, halden.plan_y) == (None, None, None)


def test_a_floor_without_drawings_lays_its_places_out_as_boxes(ctx):
    for name in ("Trappegangen i 3. etasje",):
        editing.clear_outline(ctx, place(ctx, name))
    plan = plan_of_floor(building_plans(ctx), place(ctx, "Trappegangen i 3. etasje"))
    assert [shape.drawn for shape in plan.shapes] == [False] and plan.schematic
    assert [marker.stand.organisation.name for marker in plan.markers] == ["Fredrikstad kommune"]


def test_a_copied_conference_keeps_the_plan(ctx):
    husbanken = stand_by_slug(ctx, "husbanken")
    editing.place_stand(ctx, floor(ctx, 1), husbanken, 700, 200)
    buffer = io.BytesIO()
    Image.new("RGB", (820, 440), "white").save(buffer, "PNG")
    editing.set_floor_image(ctx, floor(ctx, 1), buffer.getvalue())
    copy = Event(slug="levekar-2017", title="Neste år", date=ctx.date, venue=ctx.venue, building=ctx.building,
                 foreword="", foreword_signature="")
    db.session.add(copy)
    db.session.flush()
    copy_stands(ctx, copy, editing.copy_venue(ctx, copy))
    db.session.commit()

    def picture(event):
        return [(plan.number, plan.width, plan.height, plan.schematic, plan.floor.note, plan.image.digest if plan.image else None,
                 [(shape.location.name, shape.points) for shape in plan.shapes],
                 [(marker.stand.organisation.name, marker.number, marker.at, marker.placed) for marker in plan.markers])
                for plan in building_plans(event)]

    assert picture(copy) == picture(ctx)
    assert floor(copy, 1).image_id != floor(ctx, 1).image_id  # its own copy: deleting one keeps the other
