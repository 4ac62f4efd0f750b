"""The organisers' view of everyone: filtering, the CSV export and the caterer's summary."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _

from ..checkin.services import matches, search_key
from ..collation import norwegian_sorted, people_sorted, sort_key
from ..events.models import Event
from ..extensions import db
from .models import CANCELLED, CONFIRMED, WAITING, Registration
from .roles import ROLE_LABELS
from .settings import questions_for, to_local

STATUS_LABELS = {CONFIRMED: "Påmeldt", WAITING: "Venteliste", CANCELLED: "Avmeldt"}
# A spreadsheet runs a cell starting with these as a formula; the export neutralises them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Filters:
    """What the organiser asked the list for (empty means "any")."""

    query: str = ""
    status: str = ""
    organisation: str = ""
    municipality: str = ""


def everyone(event: Event) -> list[Registration]:
    """Every registration of the event, whatever its status."""
    return list(db.session.scalars(db.select(Registration).where(Registration.event_id == event.id)))


def filtered(event: Event, filters: Filters) -> list[Registration]:
    """The attendee list: the queue order for the waiting list, names alphabetically otherwise."""
    people = everyone(event)
    if filters.status:
        people = [p for p in people if p.status == filters.status]
    if filters.organisation:
        people = [p for p in people if p.organisation == filters.organisation]
    if filters.municipality:
        people = [p for p in people if p.municipality == filters.municipality]
    if filters.query.strip():
        people = [p for p in people if matches(p, filters.query)]
    if filters.status == WAITING:
        return sorted(people, key=lambda p: (p.queued_at, p.id))
    return people_sorted(people, name=lambda p: p.name)


def choices(event: Event) -> tuple[list[str], list[str]]:
    """The organisations and municipalities people wrote, for the filter menus."""
    people = everyone(event)
    organisations = norwegian_sorted({p.organisation for p in people if p.organisation})
    municipalities = norwegian_sorted({p.municipality for p in people if p.municipality})
    return organisations, municipalities


def csv_cell(value: object) -> str:
    """Text for a spreadsheet cell; a leading ``=``, ``+``, ``-`` or ``@`` gets an apostrophe so
    that a name like ``=HYPERLINK(…)`` is shown as text, not run (the import removes it again)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(event: Event, people: list[Registration]) -> str:
    """A ``;``-separated file with a BOM: what Excel on a Norwegian computer opens correctly."""
    questions = questions_for(event)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(["navn", "e-post", "organisasjon", "kommune", "stilling", "allergier", "tilrettelegging",
                     "lunsj", "status", "kilde", "påmeldt", "innsjekket", "rolle", "stand",
                     *[q.label for q in questions]])
    for person in people:
        checkin = person.checkin
        writer.writerow([csv_cell(value) for value in (
            person.name, person.email or "", person.organisation, person.municipality, person.job_title,
            person.dietary, person.accessibility, "ja" if person.lunch else "nei",
            STATUS_LABELS.get(person.status, person.status), person.source,
            f"{to_local(person.created_at, event):%Y-%m-%d %H:%M}",
            f"{to_local(checkin.at, event):%Y-%m-%d %H:%M}" if checkin else "",
            str(ROLE_LABELS[person.role]) if person.role in ROLE_LABELS else "automatisk",
            person.stand.organisation.name if person.stand else "",
            *[(person.answers or {}).get(str(q.id), "") for q in questions],
        )])
    return "\ufeff" + output.getvalue()


@dataclass(frozen=True)
class LunchSummary:
    """The caterer's page: portions, and every need with how many wrote it."""

    confirmed: int
    lunches: int
    without_lunch: int
    needs: list[tuple[str, int]]  # the need as first written, how many wrote it
    people: list[Registration]  # who has a need (for marking plates or badges)


def lunch_summary(event: Event) -> LunchSummary:
    """What the caterer needs: how many eat, and every allergy or special diet with a count."""
    confirmed = [p for p in everyone(event) if p.status == CONFIRMED]
    eating = [p for p in confirmed if p.lunch]
    counted: Counter[str] = Counter()
    first_wording: dict[str, str] = {}
    for person in eating:
        for need in _needs(person.dietary):
            key = search_key(need)
            first_wording.setdefault(key, need)
            counted[key] += 1
    needs = sorted(((first_wording[key], count) for key, count in counted.items()),
                   key=lambda n: (-n[1], sort_key(n[0])))
    people = people_sorted((p for p in eating if p.dietary.strip()), name=lambda p: p.name)
    return LunchSummary(len(confirmed), len(eating), len(confirmed) - len(eating), needs, people)


def _needs(text: str) -> list[str]:
    """"Glutenfri, laktosefri" → two needs; "Ingen"/"nei"/"-" → none."""
    parts = [part.strip(" .") for chunk in (text or "").splitlines() for part in chunk.replace(";", ",").split(",")]
    return [part for part in parts if part and search_key(part) not in {"ingen", "nei", "-", "none", "no", "ingenting"}]


def status_label(status: str) -> str:
    """The status in the page's language ("Påmeldt", "Venteliste", "Avmeldt")."""
    return {CONFIRMED: _("Påmeldt"), WAITING: _("Venteliste"), CANCELLED: _("Avmeldt")}.get(status, status)
