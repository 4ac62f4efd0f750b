"""Property-based tests (hypothesis) for the time arithmetic and the programme rules.

Each property is what an organiser relies on whatever the day looks like: touching items never
clash, a clash is reported exactly when two items share a minute in one room, shifting keeps
every duration and gap, a swap fills the same stretch of the day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fagkonferanse.programme.rules import (
    CannotMove, Slot, check_location, overlaps, shift_following, swap_with_neighbour,
)

DAY = dt.date(2016, 11, 9)
MIDNIGHT = dt.datetime.combine(DAY, dt.time())


@pytest.fixture(scope="module", autouse=True)
def request_context(tmp_path_factory):
    """The rules write Norwegian messages, which needs an application context."""
    from ..conftest import make_app

    app = make_app(tmp_path_factory.mktemp("properties"))
    with app.test_request_context("/"):
        yield


def minute(n: int) -> dt.datetime:
    return MIDNIGHT + dt.timedelta(minutes=n)


@st.composite
def slots(draw, ident=st.integers(1, 10_000), with_points=True):
    start = draw(st.integers(0, 24 * 60 - 2))
    if with_points and draw(st.booleans()) and draw(st.booleans()):
        end = None
    else:
        end = minute(draw(st.integers(start + 1, 24 * 60)))
    return Slot(id=draw(ident), title=f"Punkt {start}", start=minute(start), end=end,
                location_id=draw(st.sampled_from([None, 1, 2])))


def minutes_of(slot: Slot) -> set[int]:
    first = int((slot.start - MIDNIGHT).total_seconds() // 60)
    last = first + 1 if slot.end is None else int((slot.end - MIDNIGHT).total_seconds() // 60)
    return set(range(first, last))


@given(slots(), slots())
def test_overlap_is_sharing_a_minute_and_symmetric(a, b):
    assert overlaps(a, b) == overlaps(b, a)
    assert overlaps(a, b) == bool(minutes_of(a) & minutes_of(b))


@given(st.integers(0, 24 * 60 - 20), st.integers(1, 10), st.integers(1, 10))
def test_touching_items_never_clash(start, first_length, second_length):
    first = Slot(1, "Foredrag", minute(start), minute(start + first_length), location_id=1)
    second = Slot(2, "Pause", minute(start + first_length), minute(start + first_length + second_length),
                  location_id=1)
    assert not overlaps(first, second)
    assert check_location(first, [second]) == []


@given(slots(with_points=False), slots(with_points=False))
def test_a_location_clash_is_reported_exactly_when_items_share_a_room_and_a_minute(a, b):
    b = Slot(a.id + 1 if a.id < 10_000 else 1, b.title, b.start, b.end, location_id=b.location_id)
    clashes = check_location(a, [b])
    expected = a.location_id is not None and a.location_id == b.location_id and overlaps(a, b)
    assert bool(clashes) == expected
    if clashes:
        assert b.title in clashes[0].message


@given(st.lists(slots(with_points=False), min_size=1, max_size=12, unique_by=lambda s: s.id),
       st.integers(0, 24 * 60), st.integers(-120, 120))
def test_shifting_keeps_every_duration_and_gap_and_moves_only_later_items(day, after, delta):
    moves = shift_following(day, minute(after), dt.timedelta(minutes=delta))
    moved = {move.slot.id for move in moves}
    assert moved == ({slot.id for slot in day if slot.start >= minute(after)} if delta else set())
    for move in moves:
        assert move.new_start - move.slot.start == dt.timedelta(minutes=delta)
        assert move.new_end - move.new_start == move.slot.end - move.slot.start
    ordered = sorted(moves, key=lambda move: move.slot.start)
    for first, second in zip(ordered, ordered[1:]):
        assert second.new_start - first.new_start == second.slot.start - first.slot.start


@given(st.integers(0, 600), st.integers(5, 60), st.integers(0, 30), st.integers(5, 60))
@settings(max_examples=60)
def test_a_swap_keeps_durations_and_fills_the_same_stretch(start, first_length, gap, second_length):
    first = Slot(1, "Først", minute(start), minute(start + first_length), location_id=1)
    second_start = start + first_length + gap
    second = Slot(2, "Sist", minute(second_start), minute(second_start + second_length), location_id=1)
    moves = {move.slot.id: move for move in swap_with_neighbour(second, [first, second], "earlier")}
    assert moves[2].new_start == first.start
    assert moves[1].new_end == second.end
    assert moves[1].new_end - moves[1].new_start == first.end - first.start
    assert moves[2].new_end - moves[2].new_start == second.end - second.start
    assert moves[1].new_start - moves[2].new_end == dt.timedelta(minutes=gap)
    with pytest.raises(CannotMove):
        swap_with_neighbour(first, [first, second], "earlier")
