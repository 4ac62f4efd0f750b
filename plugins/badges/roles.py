"""The role band on a badge: Deltaker, Foredragsholder, Utstiller or Arrangør.

A role is derived from what the database already knows, so most badges need no decision:

1. a person whose name is a speaker's name on the programme is a **Foredragsholder**;
2. otherwise, a person from an organisation that has a stand is an **Utstiller**;
3. otherwise, a person from one of the organising organisations is an **Arrangør**;
4. everyone else is a **Deltaker**.

Organisations match by full or short name ("Moss kommune" or "Moss"), ignoring case and spacing.
An organiser can choose another role for anyone on ``/admin/badges`` (stored in ``badge_roles``).

Each role has a band colour; all four are dark enough for white text at more than 7:1 contrast
(WCAG AAA), and the band always names the role, so a black-and-white printer loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import Speaker
from fagkonferanse.stands.models import Stand

from .models import BadgeRole

PARTICIPANT, SPEAKER, EXHIBITOR, ORGANISER = "deltaker", "foredragsholder", "utstiller", "arrangor"


@dataclass(frozen=True)
class Role:
    key: str
    label: object  # lazy string
    colour: str  # band background; the text on it is white


ROLES = {
    PARTICIPANT: Role(PARTICIPANT, _l("Deltaker"), "#1d4f91"),
    SPEAKER: Role(SPEAKER, _l("Foredragsholder"), "#9b1c1c"),
    EXHIBITOR: Role(EXHIBITOR, _l("Utstiller"), "#1e6233"),
    ORGANISER: Role(ORGANISER, _l("Arrangør"), "#222222"),
}


def normalise(text: str) -> str:
    return " ".join((text or "").casefold().split())


@dataclass(frozen=True)
class RoleRules:
    """What the derivation looks at, loaded once per event (not once per badge)."""

    speakers: frozenset[str]
    exhibitors: frozenset[str]
    organisers: frozenset[str]

    def derive(self, name: str, organisation: str) -> str:
        if normalise(name) in self.speakers:
            return SPEAKER
        organisation = normalise(organisation)
        if organisation and organisation in self.exhibitors:
            return EXHIBITOR
        if organisation and organisation in self.organisers:
            return ORGANISER
        return PARTICIPANT


def _names(organisations: Iterable) -> frozenset[str]:
    return frozenset(normalise(name) for org in organisations for name in (org.name, org.short_name) if name)


def role_rules(event: Event) -> RoleRules:
    """The event's speakers, exhibiting organisations and organising organisations."""
    speakers = db.session.scalars(db.select(Speaker.name).where(Speaker.event_id == event.id))
    stands = db.session.scalars(db.select(Stand).where(Stand.event_id == event.id))
    return RoleRules(frozenset(normalise(name) for name in speakers),
                     _names(stand.organisation for stand in stands), _names(event.organisers))


def chosen_roles(registration_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Roles organisers chose, by registration id (all of them, or for the given ids)."""
    query = db.select(BadgeRole.registration_id, BadgeRole.role)
    if registration_ids is not None:
        ids = list(registration_ids)
        if not ids:
            return {}
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):  # stays under every database's parameter limit
            found.update(db.session.execute(query.where(BadgeRole.registration_id.in_(ids[start:start + 500]))).all())
        return found
    return dict(db.session.execute(query).all())


def choose_role(registration_id: int, role: str | None, by: str) -> None:
    """Store an organiser's choice; ``None`` (or "") goes back to the derived role."""
    existing = db.session.get(BadgeRole, registration_id)
    if not role:
        if existing is not None:
            db.session.delete(existing)
        return
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if existing is None:
        db.session.add(BadgeRole(registration_id=registration_id, role=role, updated_by=by))
    else:
        existing.role, existing.updated_by = role, by
