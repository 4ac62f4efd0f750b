"""Shapes on a floor plan: points as organisers type them, the rules a shape follows, and where
a point is (a stand dropped on the plan lands in the smallest place holding it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fagkonferanse.venue import geometry
from fagkonferanse.venue.geometry import OutlineError, check_outline, contains, format_points, parse_points

L_SHAPE = [(0, 0), (100, 0), (100, 20), (20, 20), (20, 100), (0, 100)]


def test_points_are_read_as_svg_writes_them_and_as_people_type_them():
    assert parse_points("10,20 110,20 110,80") == [(10, 20), (110, 20), (110, 80)]
    assert parse_points(" 10, 20\n110 ,20   110,80.5 ") == [(10, 20), (110, 20), (110, 80.5)]
    assert parse_points("") == []
    assert format_points([(10.0, 20.0), (110.25, 80.04)]) == "10,20 110.2,80"


@pytest.mark.parametrize("typed", ["10;20 30,40 50,60", "a,b 1,2 3,4", "10 20 30 40", "1e999,2 3,4 5,6", "nan,1 2,3 4,5"])
def test_unreadable_points_say_which_one(typed):
    with pytest.raises(OutlineError) as refused:
        parse_points(typed)
    assert refused.value.reason == "unreadable" and refused.value.token


@pytest.mark.parametrize("points, reason", [
    ([(0, 0), (10, 10)], "too few"),
    ([(0, 0), (10, 0), (10, 10), (-1, 10)], "outside"),
    ([(0, 0), (10, 0), (10, 10), (0, 601)], "outside"),
    ([(0, 0), (50, 50), (100, 100)], "flat"),
    ([(x, x % 7) for x in range(201)], "too many"),
])
def test_a_shape_lies_on_its_plan_has_three_points_and_an_area(points, reason):
    with pytest.raises(OutlineError) as refused:
        check_outline(points, 1000, 600)
    assert refused.value.reason == reason


def test_a_double_click_and_a_closing_point_are_not_extra_corners():
    drawn = [(0, 0), (10, 0), (10, 0), (10, 10), (0, 10), (0, 0)]
    assert check_outline(drawn, 100, 100) == [(0, 0), (10, 0), (10, 10), (0, 10)]


def test_inside_outside_and_on_the_edge():
    assert contains(L_SHAPE, (10, 50)) and contains(L_SHAPE, (50, 10))
    assert not contains(L_SHAPE, (50, 50))  # the L's empty corner
    assert contains(L_SHAPE, (100, 10)) and contains(L_SHAPE, (0, 0))  # edges and corners count


def test_an_l_shaped_room_has_its_name_inside_it():
    assert geometry.label_point(geometry.rectangle(0, 0, 100, 40)) == (50, 20)
    assert contains(L_SHAPE, geometry.label_point(L_SHAPE))


def test_a_point_in_a_room_inside_a_hall_is_in_the_room():
    hall, room = geometry.rectangle(0, 0, 500, 300), geometry.rectangle(100, 100, 50, 50)
    shapes = [("hall", hall), ("room", room), ("not drawn", [])]
    assert geometry.innermost(shapes, (120, 120)) == "room"
    assert geometry.innermost(shapes, (400, 50)) == "hall"
    assert geometry.innermost(shapes, (600, 50)) is None


@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 600)), min_size=3, max_size=12))
def test_a_checked_outline_survives_storing_and_reading(points):
    try:
        checked = check_outline([(float(x), float(y)) for x, y in points], 1000, 600)
    except OutlineError:
        return
    assert parse_points(format_points(checked)) == checked
