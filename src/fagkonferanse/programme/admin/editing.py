"""Changing the programme: plan a change against the rules, then write it with an audit entry.

Planning never touches the database rows, so a refused change leaves nothing half-done; writing
happens only after the plan is clean and, for a shift, after the organiser confirmed the preview.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm.attributes import flag_modified

from ...audit.services import diff, record
from ...events.models import Event, Organisation
from ...extensions import db
from ...venue.models import Location
from .. import rules
from ..models import ProgrammeItem, Speaker, item_organisations, item_speakers
from ..rules import Move, Person, Slot, Violation
from ..services import programme_items
from .labels import kind_label

ENTITY = "programme_item"


class StaleEdit(Exception):
    """Someone saved the item after this organiser opened it; nothing was written."""


class ProgrammeChanged(Exception):
    """An item to be moved is no longer where the plan found it; nothing was written."""


class Refused(Exception):
    """The rules refuse an operation; ``violations`` say why."""

    def __init__(self, violations: list[Violation]):
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


@dataclass(frozen=True)
class Proposal:
    """What the item form asks for, in the programme's terms (times on the event day)."""

    title: str
    kind: str
    start: dt.datetime
    end: dt.datetime | None
    location_id: int | None = None
    speaker_ids: tuple[int, ...] = ()
    organisation_ids: tuple[int, ...] = ()
    description: str = ""
    # Optional English versions; empty shows the Norwegian on English pages (fagkonferanse.content).
    title_en: str = ""
    description_en: str = ""


@dataclass
class SavePlan:
    """What saving an item would do: alone, or together with "shift the following items"."""

    slot: Slot
    before: Slot | None
    offered: list[Move] = field(default_factory=list)
    keep_violations: list[Violation] = field(default_factory=list)
    shift_violations: list[Violation] = field(default_factory=list)

    def violations(self, shift: bool) -> list[Violation]:
        """What the rules say about saving with or without the shift."""
        return self.shift_violations if shift else self.keep_violations

    @property
    def fingerprint(self) -> str:
        """The digest of the offered shift, carried by the preview's confirmation."""
        return fingerprint(self.offered)

    @property
    def minutes(self) -> int:
        """How far the offered shift moves the following items (negative: earlier)."""
        if not self.offered:
            return 0
        first = self.offered[0]
        return int((first.new_start - first.slot.start) / dt.timedelta(minutes=1))


# --- Reading -------------------------------------------------------------------------------------


def day_slots(event: Event) -> list[Slot]:
    """The event's programme as slots for the rules."""
    return [Slot.from_item(item) for item in programme_items(event)]


def programme_conflicts(event: Event) -> list[Violation]:
    """Problems in the programme as stored (after an import, or edits from before the rules)."""
    return rules.check_programme(day_slots(event), event.date)


def proposed_slot(event: Event, item_id: int | None, proposal: Proposal) -> Slot:
    """The slot an item would have after saving ``proposal``."""
    location = db.session.get(Location, proposal.location_id) if proposal.location_id else None
    people = {s.id: s for s in _event_rows(Speaker, event, proposal.speaker_ids)}
    return Slot(
        id=item_id, title=proposal.title, start=proposal.start, end=proposal.end, kind=proposal.kind,
        location_id=proposal.location_id, location_name=location.name if location else "",
        speakers=tuple(Person(i, people[i].name) for i in proposal.speaker_ids if i in people),
    )


def fingerprint(moves: list[Move]) -> str:
    """A short digest of a preview, so a confirmation applies exactly what the organiser saw."""
    text = ";".join(f"{m.slot.id}:{m.slot.start}:{m.slot.end}:{m.new_start}:{m.new_end}" for m in moves)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- Planning ------------------------------------------------------------------------------------


def plan_save(event: Event, item: ProgrammeItem | None, proposal: Proposal) -> SavePlan:
    """Check a new or edited item, and work out what "shift the following items" would move."""
    slots = day_slots(event)
    before = Slot.from_item(item) if item is not None else None
    slot = proposed_slot(event, item.id if item else None, proposal)
    if before is not None:
        offered = rules.shift_after_edit(before, slot, slots)
    else:
        offered = rules.shift_for_insert(slot, slots)
    keep = rules.check_plan([slot], slots, event.date)
    shifted = rules.check_plan([slot, *(m.after for m in offered)], slots, event.date) if offered else keep
    return SavePlan(slot, before, offered, keep, shifted)


def plan_shift(event: Event, item: ProgrammeItem, minutes: int, with_following: bool) -> tuple[list[Move], list[Violation]]:
    """Move one item, or it and everything from its start on, by ``minutes``."""
    slots = day_slots(event)
    slot = Slot.from_item(item)
    delta = dt.timedelta(minutes=minutes)
    if with_following:
        moves = rules.shift(rules.following(slots, slot.start), delta)
    else:
        moves = [rules.move_by(slot, delta)] if delta else []
    return moves, rules.check_plan([m.after for m in moves], slots, event.date)


# --- Writing -------------------------------------------------------------------------------------


def save_item(event: Event, item: ProgrammeItem | None, proposal: Proposal, moves: list[Move],
              expected_version: int | None = None) -> ProgrammeItem:
    """Write a planned item (and the moves the organiser confirmed), with one audit entry.

    Raises :class:`StaleEdit` when the item changed since the form was opened; the database's
    version check (``version_id_col``) catches the same race between this check and the commit.
    """
    if item is not None and expected_version != item.version:
        raise StaleEdit()
    before = snapshot(item) if item is not None else {}
    if item is None:
        item = ProgrammeItem(event_id=event.id)
        db.session.add(item)
    with db.session.no_autoflush:  # a half-filled new item must not be flushed by a lookup
        _fill(item, event, proposal)
    moved = apply_moves(moves)
    db.session.flush()
    _store_positions(item, proposal)
    changes = diff(before, snapshot(item))
    changes.update(_move_changes(moved))
    action = "update" if before else "create"
    summary = (_("Endret programpunktet «%(title)s»", title=item.title) if before
               else _("La til programpunktet «%(title)s»", title=item.title))
    if moved:
        summary += " " + ngettext("og flyttet %(num)s etterfølgende punkt", "og flyttet %(num)s etterfølgende punkter",
                                   len(moved))
    record(action, ENTITY, item.id, summary, changes, event_id=event.id)
    return item


def move_items(event: Event, moves: list[Move], summary: str, subject: ProgrammeItem) -> None:
    """Apply moves already checked and confirmed (swap, shift), with one audit entry."""
    moved = apply_moves(moves)
    db.session.flush()
    record("update", ENTITY, subject.id, summary, _move_changes(moved), event_id=event.id)


def swap(event: Event, item: ProgrammeItem, direction: str, expected_version: int) -> list[Move]:
    """Swap an item with its neighbour; raises :class:`rules.CannotMove`, :class:`Refused` or
    :class:`StaleEdit` and writes nothing in those cases."""
    if expected_version != item.version:
        raise StaleEdit()
    slots = day_slots(event)
    moves = rules.swap_with_neighbour(Slot.from_item(item), slots, direction)
    violations = rules.check_plan([m.after for m in moves], slots, event.date)
    if violations:
        raise Refused(violations)
    summary = (_("Flyttet «%(title)s» tidligere", title=item.title) if direction == "earlier"
               else _("Flyttet «%(title)s» senere", title=item.title))
    move_items(event, moves, summary, item)
    return moves


def delete_item(event: Event, item: ProgrammeItem) -> None:
    """Remove an item; its speakers and organisations stay, only the links go."""
    record("delete", ENTITY, item.id, _("Slettet programpunktet «%(title)s»", title=item.title),
           diff({}, snapshot(item)), event_id=event.id)
    db.session.delete(item)


def apply_moves(moves: list[Move]) -> list[tuple[ProgrammeItem, Move]]:
    """Set the new times of moved items (each gets a new version).

    Raises :class:`ProgrammeChanged` if an item's times differ from the plan's: someone moved it
    since. From here to the commit, ``version_id_col`` guards the rows.
    """
    moved = []
    for move in moves:
        target = db.session.get(ProgrammeItem, move.slot.id)
        if target is None or (target.start, target.end) != (move.slot.start, move.slot.end):
            raise ProgrammeChanged()
        target.start, target.end = move.new_start, move.new_end
        moved.append((target, move))
    return moved


def snapshot(item: ProgrammeItem) -> dict[str, str]:
    """An item's fields as an organiser reads them, for the audit log's before/after."""
    return {
        _("tittel"): item.title,
        _("tittel (engelsk)"): item.title_en,
        _("type"): kind_label(item.kind),
        _("tid"): rules.Slot.from_item(item).when,
        _("sted"): item.location.name if item.location else "",
        _("foredragsholdere"): ", ".join(s.name for s in item.speakers),
        _("presentert av"): ", ".join(o.name for o in item.organisations),
        _("beskrivelse"): item.description,
        _("beskrivelse (engelsk)"): item.description_en,
    }


def _fill(item: ProgrammeItem, event: Event, proposal: Proposal) -> None:
    # Everything is looked up before the first change, so an edit is one UPDATE (one new version).
    location = db.session.get(Location, proposal.location_id) if proposal.location_id else None
    speakers = {s.id: s for s in _event_rows(Speaker, event, proposal.speaker_ids)}
    organisations = {o.id: o for o in db.session.scalars(
        db.select(Organisation).where(Organisation.id.in_(proposal.organisation_ids)))}
    item.title, item.title_en = proposal.title, proposal.title_en
    item.kind = proposal.kind
    item.start, item.end = proposal.start, proposal.end
    item.description, item.description_en = proposal.description, proposal.description_en
    item.location = location
    item.speakers = [speakers[i] for i in proposal.speaker_ids if i in speakers]
    item.organisations = [organisations[i] for i in proposal.organisation_ids if i in organisations]
    if item.id is not None:
        # A change of speakers alone touches only the link table; the version must still move
        # on, or a second organiser's stale form would overwrite it unnoticed.
        flag_modified(item, "title")


def _store_positions(item: ProgrammeItem, proposal: Proposal) -> None:
    """Keep the order speakers and organisations were given in ("Erna Haug og Christian Ebeltoft")."""
    for table, column, ids in ((item_speakers, item_speakers.c.speaker_id, proposal.speaker_ids),
                               (item_organisations, item_organisations.c.organisation_id,
                                proposal.organisation_ids)):
        for position, row_id in enumerate(ids):
            db.session.execute(
                db.update(table).where(table.c.item_id == item.id, column == row_id).values(position=position)
            )
    db.session.expire(item, ["speakers", "organisations"])


def _move_changes(moved: list[tuple[ProgrammeItem, Move]]) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for target, move in moved:
        key = f"«{target.title}»"
        if key in changes:
            key = f"{key} (#{target.id})"
        changes[key] = [move.old_when, move.new_when]
    return changes


def _event_rows(model, event: Event, ids: tuple[int, ...]) -> list:
    if not ids:
        return []
    return list(db.session.scalars(db.select(model).where(model.event_id == event.id, model.id.in_(ids))))
