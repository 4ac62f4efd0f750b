"""Changing speakers and which items they are on, with audit entries."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified

from ...audit.services import diff, record
from ...events.models import Event
from ...extensions import db
from .. import rules
from ..models import ProgrammeItem, Speaker, item_speakers
from .editing import Refused

ENTITY = "speaker"


@dataclass(frozen=True)
class SpeakerDetails:
    """What the speaker form asks for: the person and the items they are on."""

    name: str
    affiliation: str = ""
    role: str = ""
    bio: str = ""
    role_en: str = ""  # optional English versions: empty shows the Norwegian
    bio_en: str = ""
    item_ids: tuple[int, ...] = ()


def check_items(event: Event, speaker: Speaker | None, details: SpeakerDetails) -> list[rules.Violation]:
    """Whether the speaker could be on all the chosen items: not two at the same time."""
    items = _items(event, details.item_ids)
    person = rules.Person(speaker.id if speaker else 0, details.name)
    return rules.speaker_clashes(person, [rules.Slot.from_item(item) for item in items])


def save_speaker(event: Event, speaker: Speaker | None, details: SpeakerDetails) -> Speaker:
    """Create or update a speaker and their items; raises :class:`Refused` on a double booking."""
    violations = check_items(event, speaker, details)
    if violations:
        raise Refused(violations)
    before = snapshot(speaker) if speaker is not None else {}
    if speaker is None:
        speaker = Speaker(event_id=event.id)
        db.session.add(speaker)
    speaker.name, speaker.affiliation = details.name, details.affiliation
    speaker.role, speaker.bio = details.role, details.bio
    speaker.role_en, speaker.bio_en = details.role_en, details.bio_en
    _link(speaker, _items(event, details.item_ids))
    db.session.flush()
    summary = (_("Endret foredragsholderen %(name)s", name=speaker.name) if before
               else _("La til foredragsholderen %(name)s", name=speaker.name))
    record("update" if before else "create", ENTITY, speaker.id, summary, diff(before, snapshot(speaker)),
           event_id=event.id)
    return speaker


def delete_speaker(event: Event, speaker: Speaker) -> None:
    """Remove a speaker; their items stay, without them (each item gets a new version)."""
    for item in speaker.items:
        flag_modified(item, "title")
    record("delete", ENTITY, speaker.id, _("Slettet foredragsholderen %(name)s", name=speaker.name),
           diff({}, snapshot(speaker)), event_id=event.id)
    db.session.delete(speaker)


def snapshot(speaker: Speaker) -> dict[str, str]:
    """A speaker as an organiser reads them, for the audit log's before/after."""
    return {
        _("navn"): speaker.name,
        _("arbeidssted"): speaker.affiliation,
        _("rolle"): speaker.role,
        _("rolle (engelsk)"): speaker.role_en,
        _("om"): speaker.bio,
        _("om (engelsk)"): speaker.bio_en,
        _("programpunkter"): ", ".join(item.title for item in speaker.items),
    }


def _link(speaker: Speaker, items: list[ProgrammeItem]) -> None:
    """Add the speaker last on new items and take them off the others; touched items get a new
    version, so an organiser editing one of them at the same time is warned instead of undoing it."""
    wanted = {item.id for item in items}
    for item in list(speaker.items):
        if item.id not in wanted:
            item.speakers.remove(speaker)
            flag_modified(item, "title")
    current = {item.id for item in speaker.items}
    for item in items:
        if item.id not in current:
            position = len(item.speakers)
            item.speakers.append(speaker)
            flag_modified(item, "title")
            db.session.flush()
            db.session.execute(db.update(item_speakers).where(
                item_speakers.c.item_id == item.id, item_speakers.c.speaker_id == speaker.id,
            ).values(position=position))
    db.session.flush()  # a new speaker on no item is still pending, and only a persistent one expires
    db.session.expire(speaker, ["items"])


def _items(event: Event, ids: tuple[int, ...]) -> list[ProgrammeItem]:
    if not ids:
        return []
    return list(db.session.scalars(
        db.select(ProgrammeItem).where(ProgrammeItem.event_id == event.id, ProgrammeItem.id.in_(ids))
        .order_by(ProgrammeItem.start)
    ))
