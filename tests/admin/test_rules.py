"""The scheduling rules, called directly: no request, no database."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from fagkonferanse.programme import rules
from fagkonferanse.programme.rules import Person, Slot

DAY = dt.date(2016, 11, 9)
H113, CORRIDOR = 1, 2
PLACES = {H113: "H-113", CORRIDOR: "Gangen utenfor H-113"}
ERNA = Person(2, "Erna Haug")
CHRISTIAN = Person(3, "Christian Ebeltoft")


def at(clock: str, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(clock))


def slot(id, title, start, end=None, location=None, speakers=(), kind="talk") -> Slot:
    return Slot(id=id, title=title, start=at(start), end=at(end) if end else None, kind=kind,
                location_id=location, location_name=PLACES.get(location, ""), speakers=tuple(speakers))


def morning() -> list[Slot]:
    """A stretch of the 2016 programme, single track, no locations (as in the booklet)."""
    return [
        slot(5, "Barnefattigdom", "09:55", "10:15"),
        slot(6, "Kommunale utviklingsmidler", "10:15", "10:35"),
        slot(7, "Pause", "10:35", "10:55", kind="break"),
        slot(8, "Lansering av Veiviseren", "10:55", "11:15"),
        slot(16, "Vel hjem!", "15:00", kind="closing"),
    ]


def messages(violations) -> list[str]:
    return [v.message for v in violations]


# --- Overlap ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "expected"), [
    (("10:15", "10:35"), ("10:35", "10:55"), False),  # touching: one ends as the next starts
    (("10:35", "10:55"), ("10:15", "10:35"), False),
    (("10:15", "10:40"), ("10:35", "10:55"), True),
    (("10:00", "12:00"), ("10:35", "10:55"), True),  # one inside the other
    (("15:00", None), ("14:50", "15:00"), False),  # a closing point right after the last talk
    (("15:00", None), ("14:50", "15:10"), True),  # a point inside an interval
    (("15:00", None), ("15:00", "15:10"), True),  # a point at an interval's first minute
    (("15:00", None), ("15:00", None), True),
])
def test_overlap_is_half_open(a, b, expected):
    assert rules.overlaps(slot(1, "A", *a), slot(2, "B", *b)) is expected
    assert rules.overlaps(slot(2, "B", *b), slot(1, "A", *a)) is expected


# --- Duration and the day -----------------------------------------------------------------------


@pytest.mark.parametrize("end", ["10:15", "10:00"])
def test_zero_and_negative_durations_are_refused(end):
    [violation] = rules.check_duration(slot(1, "Foredrag", "10:15", end))
    assert violation.rule == "end_before_start"
    assert violation.message == f"Slutt må være etter start (start kl. 10.15, slutt kl. {end.replace(':', '.')})."


def test_only_a_closing_point_may_have_no_end():
    assert rules.check_duration(slot(16, "Vel hjem!", "15:00", kind="closing")) == []
    [violation] = rules.check_duration(slot(1, "Foredrag", "15:00"))
    assert violation.rule == "no_end" and "Sett varighet eller slutt" in violation.message


def test_an_item_may_end_at_midnight_but_not_cross_it():
    late = Slot(1, "Nattkafé", at("23:00"), at("00:00", DAY + dt.timedelta(days=1)))
    assert rules.check_within_day(late, DAY) == []
    crossing = Slot(1, "Nattkafé", at("23:30"), at("00:15", DAY + dt.timedelta(days=1)))
    [violation] = rules.check_within_day(crossing, DAY)
    assert violation.field == "end" and "over midnatt" in violation.message


def test_an_item_pushed_onto_another_day_is_refused():
    next_day = Slot(1, "Vel hjem!", at("00:10", DAY + dt.timedelta(days=1)), None, kind="closing")
    [violation] = rules.check_within_day(next_day, DAY)
    assert violation.field == "start" and "utenfor konferansedagen" in violation.message


# --- Locations ----------------------------------------------------------------------------------


def test_overlap_in_the_same_location_names_the_clashing_item():
    pause = slot(7, "Pause", "10:35", "10:55", location=H113)
    longer = slot(6, "Kommunale utviklingsmidler", "10:15", "10:45", location=H113)
    [violation] = rules.check_location(longer, [pause])
    assert violation.message == "Overlapper med «Pause» kl. 10.35–10.55 i H-113."
    assert violation.other == pause and violation.field == "location"


def test_touching_items_in_the_same_location_do_not_clash():
    pause = slot(7, "Pause", "10:35", "10:55", location=H113)
    talk = slot(6, "Kommunale utviklingsmidler", "10:15", "10:35", location=H113)
    assert rules.check_location(talk, [pause]) == []


def test_parallel_items_in_different_locations_are_allowed():
    track_a = slot(20, "Spor A", "10:00", "10:45", location=H113)
    track_b = slot(21, "Spor B", "10:00", "10:45", location=CORRIDOR)
    assert rules.check_item(track_a, [track_b], DAY) == []


def test_items_without_a_location_do_not_clash_by_location():
    assert rules.check_location(slot(1, "A", "10:00", "11:00"), [slot(2, "B", "10:30", "11:30")]) == []


# --- Speakers -----------------------------------------------------------------------------------


def test_a_speaker_cannot_be_in_two_places_at_once():
    workshop = slot(20, "SE i praksis", "09:45", "10:15", location=CORRIDOR, speakers=[ERNA])
    talk = slot(4, "SE metodikken", "09:35", "09:55", location=H113, speakers=[ERNA, CHRISTIAN])
    [violation] = rules.check_speakers(workshop, [talk])
    assert violation.message == "Erna Haug er også på «SE metodikken» kl. 09.35–09.55 i H-113."
    assert violation.field == "speakers"


def test_a_speaker_may_go_straight_from_one_item_to_the_next():
    first = slot(4, "SE metodikken", "09:35", "09:55", speakers=[ERNA])
    second = slot(20, "Spørsmål", "09:55", "10:05", speakers=[ERNA])
    assert rules.check_item(second, [first], DAY) == []


def test_different_speakers_may_talk_at_the_same_time_in_different_rooms():
    a = slot(20, "A", "10:00", "10:30", location=H113, speakers=[ERNA])
    b = slot(21, "B", "10:00", "10:30", location=CORRIDOR, speakers=[CHRISTIAN])
    assert rules.check_item(a, [b], DAY) == []


def test_speaker_clashes_among_the_items_chosen_for_one_speaker():
    items = [slot(4, "SE metodikken", "09:35", "09:55"), slot(5, "Barnefattigdom", "09:55", "10:15"),
             slot(20, "Verksted", "09:45", "10:00")]
    clashes = rules.speaker_clashes(ERNA, items)
    assert sorted((v.slot.title, v.other.title) for v in clashes) == [
        ("Barnefattigdom", "Verksted"), ("SE metodikken", "Verksted")]
    assert all(v.message.startswith("Erna Haug er også på") for v in clashes)


# --- The closing point --------------------------------------------------------------------------


def test_nothing_may_start_after_the_closing_point():
    closing = slot(16, "Vel hjem!", "15:00", kind="closing")
    late = slot(20, "Ekstra", "15:00", "15:20")
    [violation] = rules.check_closing_is_last(late, [closing])
    assert "Dagen avsluttes med «Vel hjem!» kl. 15.00" in violation.message
    [violation] = rules.check_closing_is_last(closing, [late])
    assert "«Ekstra» starter kl. 15.00" in violation.message
    assert rules.check_closing_is_last(slot(15, "Oppsummering", "14:50", "15:00"), [closing]) == []
    [violation] = rules.check_closing_is_last(slot(17, "Ha det!", "15:30", kind="closing"), [closing])
    assert violation.field == "start"


# --- Checking a proposal ------------------------------------------------------------------------


def test_a_clash_between_two_changed_items_is_reported_once():
    a = slot(1, "A", "10:00", "10:30", location=H113, speakers=[ERNA])
    b = slot(2, "B", "10:15", "10:45", location=H113, speakers=[ERNA])
    found = rules.check_plan([a, b], [a, b], DAY)
    assert sorted(v.rule for v in found) == ["location_overlap", "speaker_overlap"]


def test_an_old_problem_elsewhere_does_not_block_an_unrelated_change():
    old_a = slot(1, "A", "10:00", "10:30", location=H113)
    old_b = slot(2, "B", "10:15", "10:45", location=H113)
    edited = slot(3, "C", "12:00", "12:30", location=H113)
    assert rules.check_plan([edited], [old_a, old_b, edited], DAY) == []
    assert len(rules.check_programme([old_a, old_b, edited], DAY)) == 1


def test_the_changed_item_replaces_its_stored_version():
    stored = slot(6, "Kommunale utviklingsmidler", "10:15", "10:35", location=H113)
    pause = slot(7, "Pause", "10:35", "10:55", location=H113)
    longer = stored.at(at("10:15"), at("10:45"))
    assert messages(rules.check_plan([longer], [stored, pause], DAY)) == [
        "Overlapper med «Pause» kl. 10.35–10.55 i H-113."]


# --- Shifting the following items ---------------------------------------------------------------


def test_a_longer_talk_offers_to_move_everything_after_it():
    day = morning()
    before = day[1]
    longer = before.at(before.start, at("10:45"))
    moves = rules.shift_after_edit(before, longer, day)
    assert [(m.slot.title, m.new_when) for m in moves] == [
        ("Pause", "kl. 10.45–11.05"),
        ("Lansering av Veiviseren", "kl. 11.05–11.25"),
        ("Vel hjem!", "kl. 15.10"),
    ]
    assert [m.old_when for m in moves] == ["kl. 10.35–10.55", "kl. 10.55–11.15", "kl. 15.00"]
    assert rules.check_plan([longer, *(m.after for m in moves)], day, DAY) == []


def test_a_shorter_talk_offers_to_move_the_rest_earlier():
    day = morning()
    shorter = day[1].at(at("10:15"), at("10:30"))
    moves = rules.shift_after_edit(day[1], shorter, day)
    assert moves[0].new_when == "kl. 10.30–10.50"
    assert len(moves) == 3


def test_no_shift_is_offered_when_the_end_stays_or_the_item_moves_past_the_others():
    day = morning()
    retitled = dataclasses.replace(day[1], title="Nytt navn")
    assert rules.shift_after_edit(day[1], retitled, day) == []
    moved_to_afternoon = day[1].at(at("13:00"), at("13:30"))
    assert rules.shift_after_edit(day[1], moved_to_afternoon, day) == []


def test_inserting_an_item_offers_to_push_the_items_it_lands_on():
    day = morning()
    new = slot(None, "Kort innlegg", "10:15", "10:25")
    moves = rules.shift_for_insert(new, day)
    assert [m.slot.title for m in moves] == ["Kommunale utviklingsmidler", "Pause", "Lansering av Veiviseren",
                                             "Vel hjem!"]
    assert moves[0].new_when == "kl. 10.25–10.45"


def test_inserting_into_a_gap_or_another_room_pushes_nothing():
    day = morning()
    assert rules.shift_for_insert(slot(None, "Etter", "11:15", "11:30"), day) == []
    assert rules.shift_for_insert(slot(None, "Parallelt", "10:15", "10:35", location=H113), day) == []


def test_a_shift_past_midnight_is_refused_by_the_rules():
    day = morning()
    moves = rules.shift(rules.following(day, at("10:35")), dt.timedelta(hours=13))
    assert [m.new_when for m in moves][:1] == ["kl. 23.35–23.55"]
    found = rules.check_plan([m.after for m in moves], day, DAY)
    assert sorted((v.slot.title, v.rule) for v in found) == [
        ("Lansering av Veiviseren", "outside_day"), ("Vel hjem!", "outside_day")]


# --- Moving an item earlier or later ------------------------------------------------------------


def test_swapping_with_the_next_item_keeps_durations_and_the_stretch_of_day():
    day = [slot(6, "Kommunale utviklingsmidler", "10:15", "10:35"), slot(7, "Pause", "10:40", "10:55"),
           slot(16, "Vel hjem!", "15:00", kind="closing")]
    moves = rules.swap_with_neighbour(day[0], day, "later")
    assert [(m.slot.title, m.new_when) for m in moves] == [
        ("Pause", "kl. 10.15–10.30"),
        ("Kommunale utviklingsmidler", "kl. 10.35–10.55"),  # the five-minute gap stays between them
    ]
    assert rules.swap_with_neighbour(day[1], day, "earlier") == moves


def test_the_first_item_cannot_move_earlier_nor_anything_past_the_closing_point():
    day = morning()
    with pytest.raises(rules.CannotMove, match="allerede det første"):
        rules.swap_with_neighbour(day[0], day, "earlier")
    with pytest.raises(rules.CannotMove, match="«Vel hjem!» avslutter dagen"):
        rules.swap_with_neighbour(day[3], day, "later")


def test_swapping_stays_within_the_item_s_location():
    day = [slot(1, "A1", "10:00", "10:30", location=H113), slot(2, "B1", "10:00", "10:20", location=CORRIDOR),
           slot(3, "A2", "10:30", "11:00", location=H113)]
    moves = rules.swap_with_neighbour(day[0], day, "later")
    assert [m.slot.title for m in moves] == ["A2", "A1"]


def test_moving_by_minutes_keeps_the_duration():
    move = rules.move_by(slot(7, "Pause", "10:35", "10:55"), dt.timedelta(minutes=-5))
    assert move.new_when == "kl. 10.30–10.50"


# --- Reading start, duration and end ------------------------------------------------------------


def test_the_end_comes_from_the_duration_or_the_end_field():
    start = at("10:15")
    assert rules.resolve_end(start, 20, None) == (at("10:35"), "duration")
    assert rules.resolve_end(start, None, at("10:40")) == (at("10:40"), "end")
    assert rules.resolve_end(start, 25, at("10:40")) == (at("10:40"), "duration")
    assert rules.resolve_end(start, None, None) == (None, "end")


def test_when_duration_and_end_disagree_the_changed_one_wins():
    stored = slot(6, "Kommunale utviklingsmidler", "10:15", "10:35")
    assert rules.resolve_end(at("10:15"), 30, at("10:35"), stored) == (at("10:45"), "duration")
    assert rules.resolve_end(at("10:15"), 20, at("10:50"), stored) == (at("10:50"), "end")
    # a new start with the old duration and end: the duration is kept
    assert rules.resolve_end(at("10:25"), 20, at("10:35"), stored) == (at("10:45"), "duration")
    with pytest.raises(ValueError, match="stemmer ikke overens"):
        rules.resolve_end(at("10:15"), 30, at("10:50"), stored)
    with pytest.raises(ValueError):
        rules.resolve_end(at("10:15"), 30, at("10:50"))
