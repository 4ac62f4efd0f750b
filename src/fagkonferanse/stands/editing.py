"""Changing stands, with audit entries. A stand's slug never changes: it is printed on posters."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..audit.services import diff, record
from ..colours import normalise
from ..events.models import Event, Organisation
from ..extensions import db
from ..text import slugify
from ..uploads.images import store_image
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
    accent_colour: str = ""  # "#rrggbb" or empty (the conference's colour)
    logo: bytes | None = None  # an uploaded logo for the organisation (checked and cleaned)
    remove_logo: bool = False


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
    """Create or update a stand; moving it to another location moves it on the public floor plan
    (to the middle of the new place). A logo is cleaned (:mod:`..uploads.images`) and raises
    ImageRefused if it is not an image."""
    before = snapshot(stand) if stand is not None else {}
    if details.organisation_id is not None:
        organisation = db.session.get(Organisation, details.organisation_id)
    else:
        organisation = find_or_create_organisation(details.new_organisation)
    location = db.session.get(Location, details.location_id) if details.location_id else None
    if stand is None:
        stand = Stand(event_id=event.id, slug=unique_slug(event, organisation.name))
        db.session.add(stand)
    if stand.location is not location:
        stand.plan_x = stand.plan_y = None  # a position on the old place's floor means nothing here
    stand.organisation, stand.location, stand.short_text = organisation, location, details.short_text
    stand.short_text_en = details.short_text_en
    stand.accent_colour = normalise(details.accent_colour) or ""
    if details.logo:
        _replace_logo(organisation, store_image(details.logo))
    elif details.remove_logo:
        _replace_logo(organisation, None)
    db.session.flush()
    summary = (_("Endret standen til %(name)s", name=organisation.name) if before
               else _("La til stand for %(name)s", name=organisation.name))
    record("update" if before else "create", ENTITY, stand.id, summary, diff(before, snapshot(stand)),
           event_id=event.id)
    return stand


def _replace_logo(organisation: Organisation, logo) -> None:
    old = organisation.logo
    organisation.logo = logo
    if old is not None:
        db.session.delete(old)


def copy_stands(source: Event, target: Event, places: dict[int, Location]) -> list[Stand]:
    """Copy the stands, with their place on the plan and poster colour, to a copied conference;
    ``places`` is what :func:`..venue.plan_editing.copy_venue` returned."""
    copies = []
    for stand in db.session.scalars(db.select(Stand).where(Stand.event_id == source.id).order_by(Stand.id)):
        copies.append(Stand(event_id=target.id, slug=stand.slug, organisation=stand.organisation,
                            location=places.get(stand.location_id), short_text=stand.short_text,
                            short_text_en=stand.short_text_en, plan_x=stand.plan_x, plan_y=stand.plan_y,
                            accent_colour=stand.accent_colour))
    db.session.add_all(copies)
    db.session.flush()
    return copies


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
        _("plakatfarge"): stand.accent_colour,
        _("logo"): _("lastet opp") if stand.organisation and stand.organisation.logo_id else "",
    }
