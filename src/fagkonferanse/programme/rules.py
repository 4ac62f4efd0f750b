"""Scheduling rules for the programme, as plain functions over plain values.

The editor checks a *proposed* day (an edited item, plus the items a shift would move) before
anything is written, so the rules work on :class:`Slot` values rather than database rows: a
proposal is just a list of slots, and tests build them without a database or a request.

Times are naive wall-clock times on the event day, like the models. Intervals are half-open:
an item ending at 10.35 does not clash with one starting at 10.35. An item without an end is a
point in time (the day's closing words, "Vel hjem!").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _

from ..i18n import format_clock, format_time_range

CLOSING_KIND = "closing"


@dataclass(frozen=True)
class Person:
    """A speaker as the rules see them: enough to name them in a message."""

    id: int
    name: str


@dataclass(frozen=True)
class Slot:
    """One programme item, detached from the database."""

    id: int | None
    title: str
    start: dt.datetime
    end: dt.datetime | None
    kind: str = "talk"
    location_id: int | None = None
    location_name: str = ""
    speakers: tuple[Person, ...] = ()

    @classmethod
    def from_item(cls, item: Any) -> Slot:
        """The slot of a :class:`~fagkonferanse.programme.models.ProgrammeItem`."""
        return cls(
            id=item.id, title=item.title, start=item.start, end=item.end, kind=item.kind,
            location_id=item.location_id,
            location_name=item.location.name if item.location else "",
            speakers=tuple(Person(s.id, s.name) for s in item.speakers),
        )

    def at(self, start: dt.datetime, end: dt.datetime | None) -> Slot:
        """The same item at other times."""
        return replace(self, start=start, end=end)

    @property
    def when(self) -> str:
        """"kl. 10.35–10.55", for messages."""
        return format_time_range(self.start, self.end)

    @property
    def where(self) -> str:
        """" i H-113", or nothing for an item without a location."""
        return _(" i %(place)s", place=self.location_name) if self.location_name else ""


@dataclass(frozen=True)
class Violation:
    """A broken rule: the message names the clashing item; ``field`` is the form field it is about."""

    rule: str
    message: str
    field: str
    slot: Slot
    other: Slot | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        """Two items clashing with each other are one problem, whichever side found it."""
        ids = frozenset({self.slot.id, self.other.id if self.other else None})
        return (self.rule, ids, self.message if self.other is None else None)


@dataclass(frozen=True)
class Move:
    """An item moving in time: ``slot`` as it is now, and where it goes."""

    slot: Slot
    new_start: dt.datetime
    new_end: dt.datetime | None

    @property
    def after(self) -> Slot:
        """The slot at its new times, for checking the day as it would be."""
        return self.slot.at(self.new_start, self.new_end)

    @property
    def old_when(self) -> str:
        """"kl. 10.35–10.55": where the item is now, for previews and the audit log."""
        return self.slot.when

    @property
    def new_when(self) -> str:
        """Where the item would be."""
        return self.after.when


class CannotMove(Exception):
    """A move the rules refuse outright; ``str(error)`` is the message for the organiser."""


# --- Single rules -------------------------------------------------------------------------------


def overlaps(a: Slot, b: Slot) -> bool:
    """Whether two items take up some of the same time.

    Intervals are half-open, so touching items (end == start) do not overlap. A point in time
    (no end) overlaps an interval it falls inside, including the interval's first minute.
    """
    if a.end is None and b.end is None:
        return a.start == b.start
    if a.end is None:
        return b.start <= a.start < b.end
    if b.end is None:
        return a.start <= b.start < a.end
    return a.start < b.end and b.start < a.end


def check_duration(slot: Slot) -> list[Violation]:
    """An item ends after it starts; only a closing point may have no end at all."""
    if slot.end is None:
        if slot.kind == CLOSING_KIND:
            return []
        message = _("Sett varighet eller slutt. Bare et avslutningspunkt (som «Vel hjem!») kan stå uten slutt.")
        return [Violation("no_end", message, "end", slot)]
    if slot.end <= slot.start:
        message = _("Slutt må være etter start (start %(start)s, slutt %(end)s).",
                    start=format_clock(slot.start), end=format_clock(slot.end))
        return [Violation("end_before_start", message, "end", slot)]
    return []


def check_within_day(slot: Slot, day: dt.date) -> list[Violation]:
    """An item lies on the conference day: it may end at midnight, not after it."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    if slot.start.date() != day:
        message = _("«%(title)s» ville begynt utenfor konferansedagen (%(when)s %(date)s).",
                    title=slot.title, when=format_clock(slot.start), date=slot.start.strftime("%d.%m.%Y"))
        return [Violation("outside_day", message, "start", slot)]
    if slot.end is not None and slot.end > midnight:
        message = _("«%(title)s» ville gått over midnatt. Et punkt må slutte senest kl. 24.00.",
                    title=slot.title)
        return [Violation("outside_day", message, "end", slot)]
    return []


def check_location(slot: Slot, others: Iterable[Slot]) -> list[Violation]:
    """Two items may not overlap in the same location; items without a location never clash here.

    Parallel items in different locations are allowed (a second track).
    """
    if slot.location_id is None:
        return []
    return [
        Violation("location_overlap",
                  _("Overlapper med «%(title)s» %(when)s%(where)s.", title=other.title, when=other.when,
                    where=other.where),
                  "location", slot, other)
        for other in others
        if other.location_id == slot.location_id and overlaps(slot, other)
    ]


def check_speakers(slot: Slot, others: Iterable[Slot]) -> list[Violation]:
    """A speaker cannot be in two places at once, whatever the locations."""
    mine = {person.id for person in slot.speakers}
    found = []
    for other in others:
        if not overlaps(slot, other):
            continue
        for person in other.speakers:
            if person.id in mine:
                message = _("%(name)s er også på «%(title)s» %(when)s%(where)s.", name=person.name,
                            title=other.title, when=other.when, where=other.where)
                found.append(Violation("speaker_overlap", message, "speakers", slot, other))
    return found


def check_closing_is_last(slot: Slot, others: Iterable[Slot]) -> list[Violation]:
    """A closing point ends the day: nothing may start after it, nor with it unless also a point."""
    found = []
    for other in others:
        if other.end is None and _starts_after_closing(slot, other):
            message = _("Dagen avsluttes med «%(title)s» %(when)s; punktet kan ikke starte etter det.",
                        title=other.title, when=format_clock(other.start))
            found.append(Violation("after_closing", message, "start", slot, other))
        elif slot.end is None and _starts_after_closing(other, slot):
            message = _("Et punkt uten slutt avslutter dagen, men «%(title)s» starter %(when)s.",
                        title=other.title, when=format_clock(other.start))
            found.append(Violation("after_closing", message, "end", slot, other))
    return found


def _starts_after_closing(slot: Slot, closing: Slot) -> bool:
    return slot.start > closing.start or (slot.start == closing.start and slot.end is not None)


# --- A whole item, a proposal, a day ------------------------------------------------------------


def check_item(slot: Slot, others: Iterable[Slot], day: dt.date) -> list[Violation]:
    """Every rule for one item against the rest of the day (``others`` may include ``slot``)."""
    rest = [other for other in others if other.id is None or other.id != slot.id]
    return [
        *check_duration(slot),
        *check_within_day(slot, day),
        *check_location(slot, rest),
        *check_speakers(slot, rest),
        *check_closing_is_last(slot, rest),
    ]


def check_plan(changed: Sequence[Slot], everything: Iterable[Slot], day: dt.date) -> list[Violation]:
    """The violations a set of changes would cause, each clash reported once.

    ``changed`` replaces the items with the same id in ``everything`` (a new item has id None);
    only the changed items are checked, so an old problem elsewhere does not block a new edit.
    """
    changed_ids = {slot.id for slot in changed if slot.id is not None}
    day_after = [slot for slot in everything if slot.id not in changed_ids] + list(changed)
    found: dict[tuple[Any, ...], Violation] = {}
    for slot in changed:
        others = [other for other in day_after if other is not slot]
        for violation in check_item(slot, others, day):
            found.setdefault(violation.key, violation)
    return list(found.values())


def check_programme(slots: Sequence[Slot], day: dt.date) -> list[Violation]:
    """Every problem in a whole day, for the dashboard and the top of the programme editor."""
    return check_plan(slots, slots, day)


def speaker_clashes(person: Person, slots: Sequence[Slot]) -> list[Violation]:
    """Where one speaker would be in two places at once among ``slots`` (their items)."""
    with_person = [replace(slot, speakers=(person,)) for slot in slots]
    found: dict[tuple[Any, ...], Violation] = {}
    for index, slot in enumerate(with_person):
        for violation in check_speakers(slot, with_person[index + 1:]):
            found.setdefault(violation.key, violation)
    return list(found.values())


# --- Moving items -------------------------------------------------------------------------------


def following(slots: Iterable[Slot], after: dt.datetime, exclude: int | None = None) -> list[Slot]:
    """Items starting at or after ``after``, in time order (``exclude`` is the item being edited)."""
    rows = [slot for slot in slots if slot.start >= after and (exclude is None or slot.id != exclude)]
    return sorted(rows, key=lambda slot: (slot.start, slot.id or 0))


def shift(slots: Iterable[Slot], delta: dt.timedelta) -> list[Move]:
    """Move every slot by ``delta``, keeping durations."""
    if not delta:
        return []
    return [
        Move(slot, slot.start + delta, slot.end + delta if slot.end is not None else None)
        for slot in slots
    ]


def shift_following(slots: Iterable[Slot], after: dt.datetime, delta: dt.timedelta,
                    exclude: int | None = None) -> list[Move]:
    """The preview of "shift the following items": what moves, from where to where.

    Everything starting at or after ``after`` moves by ``delta`` in every location, so parallel
    tracks stay aligned with the shared breaks. When a talk runs 10 minutes longer, ``after`` is
    its old end and ``delta`` ten minutes; when a new item is slotted in, ``after`` is its start.
    """
    return shift(following(slots, after, exclude), delta)


def shift_after_edit(before: Slot, proposed: Slot, slots: Iterable[Slot]) -> list[Move]:
    """What to offer when an edit changes an item's end: the following items, moved as much.

    "Following" means starting at or after the item's old end. Nothing is offered when the end
    did not change, when either version has no end, or when the item was moved past the items
    that follow it (that is a move to another part of the day, not a longer or shorter talk).
    """
    if before.end is None or proposed.end is None or proposed.end == before.end:
        return []
    later = following(slots, before.end, exclude=before.id)
    if later and proposed.start >= later[0].start:
        return []
    return shift(later, proposed.end - before.end)


def shift_for_insert(new: Slot, slots: Iterable[Slot]) -> list[Move]:
    """What to offer when a new item lands on a later one in its own location: push to make room.

    Only an item in the same location (or, with no location, another item without one) counts
    as "landing on": a new item in another room is a parallel track, not an insertion. When
    offered, every item from the new item's start on moves by how far the new item runs into
    the first of them, so the gaps between the following items stay as they were.
    """
    if new.end is None:
        return []
    later = following(slots, new.start, exclude=new.id)
    same_place = [slot for slot in later if slot.location_id == new.location_id]
    if not same_place or same_place[0].start >= new.end:
        return []
    return shift(later, new.end - same_place[0].start)


def move_by(slot: Slot, delta: dt.timedelta) -> Move:
    """One item moved by some minutes, keeping its duration."""
    return shift([slot], delta)[0] if delta else Move(slot, slot.start, slot.end)


def neighbour(slot: Slot, slots: Sequence[Slot], direction: str) -> Slot | None:
    """The item just before or after ``slot`` in the same location ("earlier" or "later")."""
    track = sorted((s for s in slots if s.location_id == slot.location_id),
                   key=lambda s: (s.start, s.id or 0))
    index = next(i for i, s in enumerate(track) if s.id == slot.id)
    index += -1 if direction == "earlier" else 1
    return track[index] if 0 <= index < len(track) else None


def swap_with_neighbour(slot: Slot, slots: Sequence[Slot], direction: str) -> list[Move]:
    """Swap an item with its neighbour, keeping both durations and the gap between them.

    The pair still fills the same stretch of the day, so nothing else moves. Raises
    :class:`CannotMove` at either end of the day or next to a closing point.
    """
    other = neighbour(slot, slots, direction)
    if other is None:
        raise CannotMove(_("«%(title)s» er allerede det første punktet.", title=slot.title)
                         if direction == "earlier" else
                         _("«%(title)s» er allerede det siste punktet.", title=slot.title))
    first, second = (other, slot) if direction == "earlier" else (slot, other)
    if first.end is None or second.end is None:
        closing = first if first.end is None else second
        raise CannotMove(_("«%(title)s» avslutter dagen og kan ikke bytte plass.", title=closing.title))
    gap = second.start - first.end
    second_start = first.start
    second_end = second_start + (second.end - second.start)
    first_start = second_end + gap
    first_end = first_start + (first.end - first.start)
    return [Move(second, second_start, second_end), Move(first, first_start, first_end)]


# --- Reading the form's times -------------------------------------------------------------------


def resolve_end(start: dt.datetime, duration: int | None, end: dt.datetime | None,
                before: Slot | None = None) -> tuple[dt.datetime | None, str]:
    """The end an organiser means from "start + duration" or "end", and which input said so.

    The edit form shows both; when they disagree, the one the organiser changed wins. Returns
    ``(end, field)``; raises :class:`ValueError` with a message when both were changed and disagree.
    """
    from_duration = start + dt.timedelta(minutes=duration) if duration is not None else None
    if from_duration is None:
        return end, "end"
    if end is None or end == from_duration:
        return from_duration, "duration"
    if before is not None and before.end is not None:
        if end == before.end:
            return from_duration, "duration"
        if duration == (before.end - before.start) // dt.timedelta(minutes=1):
            return end, "end"
    raise ValueError(_("Varighet og slutt stemmer ikke overens. Fyll inn bare den ene."))
