"""Parallel sessions (issue 13): overlapping items side by side by place, on a second, two-room
conference (tests/data/two_rooms.json); 2016's single room stays a plain list."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fagkonferanse.programme.parallel import TimeSlot, programme_layout

from .two_rooms import two_rooms_app, two_rooms_database  # noqa: F401 (fixtures)


@dataclass(frozen=True)
class Place:
    id: int
    name: str


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    start: dt.datetime
    end: dt.datetime | None
    location: Place | None = None


A, B = Place(1, "Sal A"), Place(2, "Sal B")


def at(clock: str) -> dt.datetime:
    return dt.datetime.combine(dt.date(2017, 10, 18), dt.time.fromisoformat(clock))


def item(number: int, start: str, end: str | None, place: Place | None = None) -> Item:
    return Item(number, f"Punkt {number}", at(start), at(end) if end else None, place)


def shape(layout) -> list:
    """Rows as ids: an item's id, or a slot's [(id, column), …]."""
    return [[(entry.id, column) for entry, column in row.placed] if isinstance(row, TimeSlot) else row.id
            for row in layout.rows]


# --- The rule --------------------------------------------------------------------------------------


def test_a_day_where_nothing_overlaps_is_a_plain_list():
    items = [item(1, "09:00", "09:30", A), item(2, "09:30", "10:00", B), item(3, "10:00", None)]
    layout = programme_layout(items)
    assert not layout.is_parallel and layout.places == ()
    assert layout.rows == tuple(items)  # touching items (end == start) do not overlap


def test_overlapping_items_share_a_slot_with_a_column_per_place():
    items = [item(1, "09:00", "09:30", A), item(2, "09:30", "10:15", A), item(3, "09:30", "10:15", B),
             item(4, "10:15", "10:30")]
    layout = programme_layout(items)
    assert layout.places == (A, B)
    assert shape(layout) == [1, [(2, 1), (3, 2)], 4]
    slot = layout.rows[1]
    assert (slot.start, slot.end) == (at("09:30"), at("10:15"))


def test_a_chain_of_overlaps_is_one_slot_read_in_time_order():
    # Sal B's workshop runs beside two shorter talks in Sal A, one after the other.
    items = [item(1, "10:30", "11:00", A), item(2, "10:30", "11:30", B), item(3, "11:00", "11:30", A)]
    layout = programme_layout(items)
    assert shape(layout) == [[(1, 1), (2, 2), (3, 1)]]
    assert (layout.rows[0].start, layout.rows[0].end) == (at("10:30"), at("11:30"))


def test_items_without_a_place_get_the_last_column_and_a_moment_inside_a_session_overlaps_it():
    items = [item(1, "12:00", "13:00", None), item(2, "12:30", None, B), item(3, "12:30", "12:45", A)]
    layout = programme_layout(items)
    assert layout.places == (A, B, None)
    assert shape(layout) == [[(1, 3), (3, 1), (2, 2)]]  # same start: by column
    assert layout.rows[0].end == at("13:00")


# --- The page -----------------------------------------------------------------------------------------


def test_the_2016_programme_keeps_its_single_list(client):
    page = client.get("/programme").get_data(as_text=True)
    assert "programme-grid" not in page and "programme-slot" not in page and "--column" not in page
    assert page.count('<li id="item-') == 16


def test_the_two_room_programme_shows_overlapping_items_side_by_side(two_rooms_app):
    page = two_rooms_app.test_client().get("/programme").get_data(as_text=True)
    assert '<div class="programme-grid" style="--places: 2">' in page
    headings = re.search(r'<div class="place-headings" aria-hidden="true">(.*?)</div>', page, re.S).group(1)
    assert re.findall(r'<span class="place-heading">([^<]*)</span>', headings) == ["", "Sal A", "Sal B"]
    slots = re.findall(r'<li class="programme-slot">(.*?)</ol>\s*</li>', page, re.S)
    assert len(slots) == 2
    first, second = slots
    assert '<time datetime="2017-10-18T09:30:00">kl. 09.30–10.15</time> <span class="slot-note">Parallelle punkter' \
        in first
    placed = re.compile(r'<li id="item-\d+" class="[^"]*"[^>]*style="--column: (\d)">.*?<a href="/programme/\d+">'
                        r'([^<]+)</a>.*?<p class="where">Sted: (Sal [AB])</p>', re.S)
    assert placed.findall(first) == [("1", "Bostøtte som virker", "Sal A"),
                                     ("2", "Språkpraksis på arbeidsplassen", "Sal B")]
    # In time order, as a phone and a screen reader read it; the column places it on a desktop.
    assert placed.findall(second) == [("1", "Tidlig innsats for barn", "Sal A"),
                                      ("2", "Verksted: Samordnede tilskudd", "Sal B"),
                                      ("1", "Frivillighet og inkludering", "Sal A")]
    assert page.count('<li id="item-') == 11  # every item once: plenary, breaks and slots


def test_the_grid_keeps_what_live_js_marks(two_rooms_app):
    # At 10.40 the workshop in Sal B is "now" (the last item running), Sal A's second talk "next".
    page = two_rooms_app.test_client().get("/programme").get_data(as_text=True)
    now = re.search(r'<li id="item-\d+" class="programme-item kind-talk is-now" data-start="2017-10-18T10:30:00" '
                    r'data-end="2017-10-18T11:30:00" aria-current="time" style="--column: 2">.*?</li>', page, re.S)
    assert now and '<span class="badge now">Nå</span>' in now.group(0) and "Verksted" in now.group(0)
    assert re.search(r'<span class="badge next">Neste</span></p>\s*<h2 class="item-title">\s*'
                     r'<a href="/programme/\d+">Frivillighet og inkludering</a>', page)
    assert '<div id="programme-items" data-live-region>' in page


def test_mitt_program_lists_the_two_room_day_in_time_order_without_a_grid(two_rooms_app):
    page = two_rooms_app.test_client().get("/programme/mine").get_data(as_text=True)
    assert "programme-grid" not in page
    titles = re.findall(r'<a href="/programme/\d+">([^<]+)</a>\s*</h2>', page)
    assert titles[4:8] == ["Pause", "Tidlig innsats for barn", "Verksted: Samordnede tilskudd",
                           "Frivillighet og inkludering"]



def test_every_session_running_now_is_marked_and_every_one_starting_next(two_rooms_app):
    """Two rooms at 09.40: both talks are "Nå"; at 10.20 both 10.30 sessions are "Neste"."""
    client = two_rooms_app.test_client()
    client.set_cookie("fk_notice", "1")  # rendered each time, not the page cached at the first moment

    def marked(page: str, badge: str) -> set[str]:
        rows = re.findall(r'<li id="item-\d+" class="programme-item.*?</li>', page, re.S)
        return {re.search(r'<a href="/programme/\d+">([^<]+)</a>', row).group(1) for row in rows
                if f'<span class="badge {badge}">' in row}

    from fagkonferanse.programme import views

    for moment, now, following in (
            ("09:40", {"Bostøtte som virker", "Språkpraksis på arbeidsplassen"}, {"Pause"}),
            ("10:20", {"Pause"}, {"Tidlig innsats for barn", "Verksted: Samordnede tilskudd"})):
        views.local_now = lambda event, clock=moment: at(clock)
        try:
            page = client.get("/programme").get_data(as_text=True)
        finally:
            from fagkonferanse.programme.services import local_now
            views.local_now = local_now
        assert marked(page, "now") == now, moment
        assert marked(page, "next") == following, moment
