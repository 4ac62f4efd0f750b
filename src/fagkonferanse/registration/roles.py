"""A person's role at the conference, as printed on their badge: one field of the registration.

The role comes from data, never from guesses. In order:

1. a role an organiser chose (on the attendee page, in a role column of the import) is the role;
2. otherwise a person whose name is a speaker's name on the programme is a **Foredragsholder**
   (speakers follow the programme, so moving a talk needs no second edit);
3. otherwise a person tied to a stand (exhibitors' staff, chosen on the attendee page) is an
   **Utstiller**;
4. everyone else is a **Deltaker**.

Nothing is read from an organisation's name: a student from the organising college is a
participant until an organiser says otherwise. ``registrations.role`` holds the choice ("" is
"automatic"), ``registrations.stand_id`` the stand; this module turns them into the role, and
plugins (the badges) read it through :func:`roles_of`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..events.models import Event
from ..extensions import db
from ..programme.models import Speaker
from .models import Registration

PARTICIPANT, SPEAKER, EXHIBITOR, ORGANISER = "deltaker", "foredragsholder", "utstiller", "arrangor"
AUTOMATIC = ""
ROLE_LABELS = {
    PARTICIPANT: _l("Deltaker"),
    SPEAKER: _l("Foredragsholder"),
    EXHIBITOR: _l("Utstiller"),
    ORGANISER: _l("Arrangør"),
}
ROLES = tuple(ROLE_LABELS)

# What an import's role column may say for each role (lower case), besides "automatisk".
ROLE_WORDS = {
    PARTICIPANT: ("deltaker", "participant", "attendee"),
    SPEAKER: ("foredragsholder", "speaker", "innleder"),
    EXHIBITOR: ("utstiller", "exhibitor"),
    ORGANISER: ("arrangør", "arrangor", "organiser", "organizer"),
}
AUTOMATIC_WORDS = ("automatisk", "auto", "automatic")


def normalise_name(text: str) -> str:
    """A name as the programme and a registration are compared: case and spacing ignored."""
    return " ".join((text or "").casefold().split())


def role_from_word(text: str) -> str | None:
    """The role a spreadsheet cell names ("Utstiller", "speaker"), ``AUTOMATIC`` for
    "automatisk", None for anything else (the import says which cell)."""
    word = " ".join((text or "").casefold().split())
    if word in AUTOMATIC_WORDS:
        return AUTOMATIC
    for role, words in ROLE_WORDS.items():
        if word in words:
            return role
    return None


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


@dataclass(frozen=True)
class RoleRules:
    """What the automatic role looks at, read once per event (not once per person)."""

    speakers: frozenset[str]

    def role(self, name: str, chosen: str, stand_id: int | None) -> str:
        """The role of a person with ``name``, the organisers' ``chosen`` role and stand."""
        if chosen in ROLE_LABELS:
            return chosen
        return self.automatic(name, stand_id)

    def automatic(self, name: str, stand_id: int | None) -> str:
        """The role the data gives when nobody chose one (shown as "Automatisk (…)")."""
        if normalise_name(name) in self.speakers:
            return SPEAKER
        if stand_id is not None:
            return EXHIBITOR
        return PARTICIPANT


def role_rules(event: Event) -> RoleRules:
    """The event's speakers, for the automatic role."""
    names = db.session.scalars(db.select(Speaker.name).where(Speaker.event_id == event.id))
    return RoleRules(frozenset(normalise_name(name) for name in names))


def roles_of(event: Event, people: Iterable) -> dict[int, str]:
    """The role of each registration (objects or rows with ``id``, ``name``, ``role`` and
    ``stand_id``), by id: what a badge prints."""
    rules = role_rules(event)
    return {person.id: rules.role(person.name, person.role, person.stand_id) for person in people}


def choose_role(registration: Registration, role: str) -> bool:
    """Set the role organisers chose (``AUTOMATIC`` to let the data decide); True if it changed.
    The caller commits (and writes the audit entry)."""
    if role != AUTOMATIC and role not in ROLE_LABELS:
        raise ValueError(f"unknown role {role!r}")
    if registration.role == role:
        return False
    registration.role = role
    return True
