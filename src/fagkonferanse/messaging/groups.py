"""Who a message goes to: the groups organisers can write to, as plain queries.

Every group leaves out cancelled registrations and people without an e-mail address (walk-ins);
deleted people are gone from the database, so no group can reach them. The groups of a kind of
person (speakers, exhibitors, one municipality or organisation) are of confirmed people.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from ..checkin.models import CheckIn
from ..events.models import Event
from ..extensions import db
from ..registration.models import CONFIRMED, WAITING, Registration
from ..registration.roles import EXHIBITOR, SPEAKER, roles_of


@dataclass(frozen=True)
class Group:
    name: str
    label: object  # lazy text
    needs_value: bool = False  # one municipality or organisation, chosen by the organiser


GROUPS = (
    Group("confirmed", _l("Alle påmeldte")),
    Group("waiting", _l("Ventelisten")),
    Group("registered", _l("Påmeldte og ventelisten")),
    Group("checked_in", _l("Påmeldte som er sjekket inn")),
    Group("not_checked_in", _l("Påmeldte som ikke er sjekket inn")),
    Group("municipality", _l("Påmeldte fra én kommune"), needs_value=True),
    Group("organisation", _l("Påmeldte fra én organisasjon"), needs_value=True),
    Group("speakers", _l("Foredragsholderne")),
    Group("exhibitors", _l("Utstillerne")),
)
BY_NAME = {group.name: group for group in GROUPS}


class UnknownGroup(ValueError):
    """A group name or value that does not exist (the form says so)."""


def recipients(event: Event, group: str, value: str = "") -> list[Registration]:
    """The registrations ``group`` reaches now, by name."""
    if group not in BY_NAME:
        raise UnknownGroup(group)
    query = (db.select(Registration)
             .where(Registration.event_id == event.id, Registration.email.is_not(None), Registration.email != "")
             .order_by(Registration.name, Registration.id))
    checked_in = db.select(CheckIn.id).where(CheckIn.registration_id == Registration.id).exists()
    if group == "waiting":
        query = query.where(Registration.status == WAITING)
    elif group == "registered":
        query = query.where(Registration.status.in_((CONFIRMED, WAITING)))
    else:
        query = query.where(Registration.status == CONFIRMED)
    if group == "checked_in":
        query = query.where(checked_in)
    elif group == "not_checked_in":
        query = query.where(~checked_in)
    elif group in ("municipality", "organisation"):
        if not value.strip():
            raise UnknownGroup(group)
        column = getattr(Registration, group)
        query = query.where(func.lower(func.trim(column)) == value.strip().lower())
    people = list(db.session.scalars(query))
    if group in ("speakers", "exhibitors"):
        wanted = SPEAKER if group == "speakers" else EXHIBITOR
        roles = roles_of(event, people)
        people = [person for person in people if roles[person.id] == wanted]
    return people


def values_of(event: Event, group: str) -> list[tuple[str, int]]:
    """The municipalities (or organisations) confirmed people with an address gave, with how many."""
    column = getattr(Registration, group)
    label = func.trim(column)
    rows = db.session.execute(
        db.select(func.min(label), func.count(Registration.id))
        .where(Registration.event_id == event.id, Registration.status == CONFIRMED, label != "",
               Registration.email.is_not(None), Registration.email != "")
        .group_by(func.lower(label))).all()
    return sorted(((name, count) for name, count in rows), key=lambda row: row[0].casefold())


def describe(group: str, value: str = "") -> str:
    """The group's name as the log shows it ("Påmeldte fra én kommune: Moss")."""
    found = BY_NAME.get(group)
    label = str(found.label) if found else group
    return f"{label}: {value}" if value else label
