"""Importing attendees from a spreadsheet export (CSV), in the web UI and on the command line.

All or nothing: the whole file is read and checked first (:func:`parse_csv`, no database); only a
file without problems is imported (:func:`import_people`), in one transaction. A known e-mail
address updates that person (empty cells leave their values alone, their status is kept); a new
one gets a seat by the normal rule, or a place on the waiting list — imported people are never
dropped, even when the public form has no waiting list.

Files from Excel are welcome: UTF-8 with or without BOM, or Windows-1252 (Excel's "CSV" on a
Norwegian Windows); ``;``, ``,`` or tab between columns; Norwegian or English column names.

Organisers' own columns: ``rolle`` (the badge's role: Deltaker, Foredragsholder, Utstiller,
Arrangør, or "automatisk") and ``stand`` (the stand an exhibitor's staff belong to, by its
organisation's name, short name or address; "ingen" unties), so a list of speakers or of an
exhibitor's people can be imported with their badges right.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..events.models import Event
from ..extensions import db
from ..app import plugin_manager
from ..audit.services import record
from . import capacity, services
from .outbox import queue_mail
from ..stands.models import Stand
from .models import CONFIRMED, Registration
from .roles import ROLE_LABELS, role_from_word
from .tokens import new_checkin_code, new_manage_secret
from .validation import InvalidValue, clean_email, clean_name, clean_text

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Column name (lower-case, as written in the header) → field.
COLUMN_ALIASES = {
    "name": ("name", "navn", "fullt navn", "full name", "deltaker"),
    "email": ("email", "e-mail", "e-post", "epost", "e-postadresse", "epostadresse", "mail"),
    "organisation": ("organisation", "organization", "organisasjon", "arbeidsgiver", "virksomhet", "employer"),
    "municipality": ("municipality", "kommune"),
    "job_title": ("job_title", "job title", "stilling", "tittel"),
    "dietary": ("dietary", "allergier", "allergi", "spesialkost", "allergier og spesialkost", "kost", "diet"),
    "accessibility": ("accessibility", "tilrettelegging", "behov for tilrettelegging"),
    "lunch": ("lunch", "lunsj"),
    "role": ("role", "rolle", "rolle på navneskilt", "badge role"),
    "stand_id": ("stand", "utstiller på stand"),
}
NO_STAND = {"ingen", "none", "-"}
REQUIRED_COLUMNS = ("name", "email")
TEXT_LIMITS = {"organisation": (200, False), "municipality": (100, False), "job_title": (200, False),
               "dietary": (1000, True), "accessibility": (1000, True)}
YES = {"ja", "j", "yes", "y", "1", "true", "x", "sant"}
NO = {"nei", "n", "no", "0", "false", "usant"}
# Cells written by our own export with a protective apostrophe (see admin_views.csv_cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportFailed(ValueError):
    """The file as a whole cannot be read (encoding, no header, missing columns)."""


@dataclass
class Problem:
    """A row that cannot be imported, by its line in the file."""

    line: int  # 1-based line in the file
    message: str


@dataclass
class ParsedFile:
    """A checked file: the good rows (with their line numbers) and the problems."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportSummary:
    """What an import did, for the organiser's message."""

    created: int = 0
    updated: int = 0
    waiting: int = 0


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read with."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed(_("Filen ser ikke ut som en CSV-fil (den inneholder binærdata)."))
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFailed(_("Fant ikke ut hvilken tegnkoding filen har. Lagre den som «CSV UTF-8»."))


def sniff_delimiter(header_line: str) -> str:
    """The most frequent of ``;``, ``,`` and tab in the header line (Excel's choice depends on the locale)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def stand_lookup(event: Event) -> dict[str, int]:
    """The event's stands by every name a spreadsheet may use for them (lower case): the
    organisation's name and short name and the stand's address (slug), for :func:`parse_csv`."""
    lookup: dict[str, int] = {}
    for stand in db.session.scalars(db.select(Stand).where(Stand.event_id == event.id)):
        for name in (stand.organisation.name, stand.organisation.short_name, stand.slug):
            if name:
                lookup.setdefault(" ".join(name.casefold().split()), stand.id)
    return lookup


def parse_csv(data: bytes, stands: dict[str, int] | None = None) -> ParsedFile:
    """Read and check every row; nothing is written. Raises :class:`ImportFailed` for the file.

    ``stands`` (from :func:`stand_lookup`) names the stands a ``stand`` column may name."""
    if len(data) > MAX_BYTES:
        raise ImportFailed(_("Filen er for stor (høyst %(mb)s MB).", mb=MAX_BYTES // (1024 * 1024)))
    text, encoding = decode(data)
    if not text.strip():
        raise ImportFailed(_("Filen er tom."))
    delimiter = sniff_delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ImportFailed(_("Linje 1: %(error)s", error=error)) from None
    columns, ignored = _map_columns(header)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.values()]
    if missing:
        raise ImportFailed(_("Filen mangler kolonnen for %(columns)s. Første linje må ha kolonnenavn, "
                             "for eksempel: navn;e-post;organisasjon;kommune",
                             columns=", ".join(missing)))
    parsed = ParsedFile(encoding=encoding, delimiter=delimiter, ignored_columns=ignored)
    seen: dict[str, int] = {}
    end_of_previous = reader.line_num
    try:
        for cells in reader:
            line, end_of_previous = end_of_previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(parsed.rows) >= MAX_ROWS:
                raise ImportFailed(_("Filen har mer enn %(max)s rader.", max=MAX_ROWS))
            values, problem = _row(cells, columns, stands or {})
            if problem is None and values["email"] in seen:
                problem = _("e-postadressen %(email)s står også på linje %(other)s",
                            email=values["email"], other=seen[values["email"]])
            if problem is not None:
                parsed.problems.append(Problem(line, problem))
                continue
            seen[values["email"]] = line
            parsed.rows.append((line, values))
    except csv.Error as error:
        parsed.problems.append(Problem(end_of_previous + 1, str(error)))
    if not parsed.rows and not parsed.problems:
        raise ImportFailed(_("Filen har ingen deltakere under kolonnenavnene."))
    return parsed


def _map_columns(header: list[str]) -> tuple[dict[int, str], list[str]]:
    lookup = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
    columns: dict[int, str] = {}
    ignored = []
    for index, title in enumerate(header):
        key = title.strip().strip('"').lower().replace("_", " ") if title else ""
        name = lookup.get(key) or lookup.get(key.replace(" ", "_"))
        if name and name not in columns.values():
            columns[index] = name
        elif title.strip():
            ignored.append(title.strip())
    return columns, ignored


def _row(cells: list[str], columns: dict[int, str], stands: dict[str, int]) -> tuple[dict[str, Any], str | None]:
    """One row's cleaned values, or the first problem in it (with the column named)."""
    raw = {name: _unprotect(cells[index]) if index < len(cells) else "" for index, name in columns.items()}
    values: dict[str, Any] = {}
    field_name = "name"
    try:
        values["name"] = clean_name(raw["name"])
        field_name = "email"
        values["email"] = clean_email(raw["email"])
        for name, (limit, multiline) in TEXT_LIMITS.items():
            field_name = name
            if name in raw:
                values[name] = clean_text(raw[name], limit, multiline=multiline)
        field_name = "lunch"
        if "lunch" in raw and raw["lunch"].strip():
            answer = raw["lunch"].strip().lower()
            if answer not in YES | NO:
                raise InvalidValue(_("Skriv ja eller nei."))
            values["lunch"] = answer in YES
        field_name = "role"
        if raw.get("role", "").strip():
            role = role_from_word(raw["role"])
            if role is None:
                raise InvalidValue(_("skriv %(roles)s eller automatisk.",
                                     roles=", ".join(str(label) for label in ROLE_LABELS.values())))
            values["role"] = role
        field_name = "stand"
        if raw.get("stand_id", "").strip():
            name = " ".join(raw["stand_id"].casefold().split())
            if name not in NO_STAND and name not in stands:
                raise InvalidValue(_("ingen stand heter «%(name)s».", name=raw["stand_id"].strip()))
            values["stand_id"] = None if name in NO_STAND else stands[name]
    except InvalidValue as error:
        return values, f"{field_name}: {error}"
    return values, None


def _unprotect(cell: str) -> str:
    if cell.startswith("'") and cell[1:2] in FORMULA_STARTS and cell[1:2]:
        return cell[1:]
    return cell


# --- Writing ----------------------------------------------------------------------------------


def import_people(event: Event, parsed: ParsedFile, *, send_tickets: bool = False) -> ImportSummary:
    """Import a checked file in one transaction (refuses a file with problems)."""
    if parsed.problems:
        raise ImportFailed(_("Filen har feil; ingenting er importert."))
    summary = ImportSummary()
    new_people: list[Registration] = []
    try:
        capacity.lock_registrations(event.id)
        promoted = services.fill_free_seats(event.id)
        for _line, values in parsed.rows:
            existing = services.find_by_email(event, values["email"])
            if existing is not None:
                # Empty cells leave what we have; the status (even cancelled) is kept.
                for name, value in values.items():
                    # A role or stand cell is only here when it said something ("automatisk", "ingen").
                    if value not in ("", None) or name in ("role", "stand_id"):
                        setattr(existing, name, value)
                summary.updated += 1
                continue
            person = Registration(event_id=event.id, manage_secret=new_manage_secret(),
                                  checkin_code=new_checkin_code(), source="import", answers={})
            for name, value in values.items():
                setattr(person, name, value)
            services.seat_or_queue(event.id, True, person)
            db.session.add(person)
            db.session.flush()
            if send_tickets:
                queue_mail(person, person.status)
            new_people.append(person)
            summary.created += 1
            summary.waiting += person.status != CONFIRMED
        record("create", "registration_import", None,
               _("Import: %(created)s nye, %(updated)s oppdatert", created=summary.created, updated=summary.updated),
               event_id=event.id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    services.announce(None, promoted)
    for person in new_people:
        plugin_manager().hook.after_registration(registration=person)
    return summary
