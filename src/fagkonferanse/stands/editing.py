"""Changing stands, with audit entries. A stand's slug never changes: it is printed on posters."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..audit.services import diff, record
from ..events.models import Event, Organisation
from ..extensions import db
from ..text import slugify
from ..venue.models import Location
from .models import Stand

ENTITY = "stand"


@dataclass(frozen=True)
class StandDetails:
    """What the stand form asks for: an existing organisation or the name of a new one."""

    organisation_id: int | None
    new_organisation: str = ""
    location_id: int | None = None
    short_text: str = ""
    short_text_en: str = ""  # optional: empty shows the Norwegian on English pages


def find_or_create_organisation(name: str) -> Organisation:
    """The organisation with this name (any letter case), or a new one: no duplicates by typing."""
    # Compared in Python: SQLite's lower() folds only A–Z, so "Østfold" would miss "ØSTFOLD" (and a
    # second "Østfold fylkeskommune" would break the unique name).
    wanted = name.casefold()
    for existing in db.session.scalars(db.select(Organisation)):
        if existing.name.casefold() == wanted:
            return existing
    organisation = Organisation(name=name, short_name=name, kind="organisation")
    db.session.add(organisation)
    return organisation


def save_stand(event: Event, stand: Stand | None, details: StandDetails) -> Stand:
    """Create or update a stand; moving it to another location moves it on the public floor plan."""
    before = snapshot(stand) if stand is not None else {}
    if details.organisation_id is not None:
        organisation = db.session.get(Organisation, details.organisation_id)
    else:
        organisation = find_or_create_organisation(details.new_organisation)
    location = db.session.get(Location, details.location_id) if details.location_id else None
    if stand is None:
        stand = Stand(event_id=event.id, slug=unique_slug(event, organisation.name))
        db.session.add(stand)
    stand.organisation, stand.location, stand.short_text = organisation, location, details.short_text
    stand.short_text_en = details.short_text_en
    db.session.flush()
    summary = (_("Endret standen til %(name)s", name=organisation.name) if before
               else _("La til stand for %(name)s", name=organisation.name))
    record("update" if before else "create", ENTITY, stand.id, summary, diff(before, snapshot(stand)),
           event_id=event.id)
    return stand


def delete_stand(event: Event, stand: Stand) -> None:
    """Remove a stand (the organisation stays: it may present on the programme)."""
    record("delete", ENTITY, stand.id, _("Slettet standen til %(name)s", name=stand.organisation.name),
           diff({}, snapshot(stand)), event_id=event.id)
    db.session.delete(stand)


def unique_slug(event: Event, name: str) -> str:
    """"moss-kommune", or "moss-kommune-2" when the organisation already has a stand."""
    base = slugify(name, max_length=70)
    taken = set(db.session.scalars(db.select(Stand.slug).where(Stand.event_id == event.id)))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def snapshot(stand: Stand) -> dict[str, str]:
    """A stand as an organiser reads it, for the audit log's before/after."""
    return {
        _("virksomhet"): stand.organisation.name if stand.organisation else "",
        _("standplass"): stand.location.name if stand.location else "",
        _("kort tekst"): stand.short_text,
        _("kort tekst (engelsk)"): stand.short_text_en,
    }
