"""Put a parsed catalogue into the database, updating what is already there by slug.

Used by ``conference_loaded`` (the built-in 2016 catalogue) and by ``fagkonferanse catalogue
import``. Everything is added to the caller's session and flushed, never committed: the caller
commits once, so a failure leaves the database as it was.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fagkonferanse import Event, Organisation, Stand, db

from .importer import ParsedCatalogue, ParsedPage, ParsedRecipe, ParsedSheet, Problem, slug
from .models import CataloguePage, ProjectSheet, Recipe

# Pages carry no owner in the booklet's text. The programme says "Lansering av Veiviseren –
# Husbanken", so the Veiviser page is Husbanken's and is shown at Husbanken's stand.
PAGE_OWNERS = {"www.veiviseren.no": "Husbanken"}

KINDS = ("sheets", "recipes", "pages")


@dataclass
class LoadReport:
    """What a load did, counted per kind ("sheets", "recipes", "pages")."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    # Sheets an organiser edited in the web UI whose file version differs: kept as edited.
    kept_edited: list[str] = field(default_factory=list)
    # Sheets in the database that the file does not have (never deleted by an import).
    not_in_file: list[str] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def load_catalogue(event: Event, parsed: ParsedCatalogue, overwrite_edited: bool = False) -> LoadReport:
    """Create or update the event's sheets, recipes and pages from ``parsed``.

    Sheets, recipes and pages are matched by slug within the event, so loading the same file
    twice creates nothing the second time. A sheet an organiser edited since its import is kept
    as edited unless ``overwrite_edited``.
    """
    check_fits(parsed)
    report = LoadReport(problems=list(parsed.problems))
    owners = _owners(parsed, report)
    stands = {stand.organisation_id: stand for stand in
              db.session.scalars(db.select(Stand).where(Stand.event_id == event.id))}
    sheets = _load_sheets(event, parsed.sheets, owners, stands, report, overwrite_edited)
    _load_recipes(event, parsed.recipes, sheets, report)
    _load_pages(event, parsed.pages, owners, stands, report)
    db.session.flush()
    return report


class DoesNotFit(ValueError):
    """A value is longer than its column allows; the message names the line. Nothing was loaded."""


def check_fits(parsed: ParsedCatalogue) -> None:
    """Refuse, before touching the database, text longer than the columns hold.

    PostgreSQL enforces ``VARCHAR`` lengths and SQLite does not; checking here gives the same
    clear message on both instead of a database error halfway through.
    """
    limits = [(ProjectSheet, parsed.sheets, ("owner", "project_name", "funding_scheme", "funding_body", "slug")),
              (Recipe, parsed.recipes, ("title", "slug")), (CataloguePage, parsed.pages, ("title", "url"))]
    columns = {"owner": Organisation.__table__.c.name}
    for model, units, names in limits:
        for unit in units:
            for name in names:
                column = columns.get(name, model.__table__.c.get(name))
                value = getattr(unit, name) or ""
                if len(value) > column.type.length:
                    raise DoesNotFit(f"line {unit.line}: {name.replace('_', ' ')} is {len(value)} characters long, "
                                     f"more than the {column.type.length} allowed: {value[:60]!r}…")


# --- Owners -----------------------------------------------------------------------------------


def _owners(parsed: ParsedCatalogue, report: LoadReport) -> dict[str, Organisation]:
    """The organisation of every owner named in the file, created when new (e.g. KLAR)."""
    names = {sheet.owner for sheet in parsed.sheets if sheet.owner}
    names |= {PAGE_OWNERS[page.url] for page in parsed.pages if page.url in PAGE_OWNERS}
    found = {}
    for name in sorted(names):
        organisation = db.session.scalar(db.select(Organisation).where(Organisation.name == name))
        if organisation is None:
            organisation = Organisation(name=name, short_name=short_name(name), kind=_kind(name))
            db.session.add(organisation)
            report.organisations_created.append(name)
        found[name] = organisation
    db.session.flush()
    return found


def short_name(name: str) -> str:
    """"Moss kommune" → "Moss"; "NAV og Høgskolen i Østfold (KLAR)" → "KLAR"."""
    bracketed = re.search(r"\(([^)]+)\)\s*$", name)
    if bracketed:
        return bracketed.group(1)
    return re.sub(r"\s+kommune$", "", name)


def _kind(name: str) -> str:
    return "municipality" if name.endswith(" kommune") else "organisation"


# --- Sheets -----------------------------------------------------------------------------------


def sheet_values(parsed: ParsedSheet, owner: Organisation | None, stand: Stand | None,
                 position: int) -> dict[str, Any]:
    """The columns a parsed sheet sets (compared with the stored row to count changes)."""
    return {
        "project_name": parsed.project_name,
        "owner_id": owner.id if owner else None,
        "stand_id": stand.id if stand else None,
        "funding_scheme": parsed.funding_scheme,
        "funding_body": parsed.funding_body,
        "target_groups": list(parsed.target_groups),
        "sections": {key: blocks for key, blocks in parsed.sections.items()},
        "position": position,
        "source_line": parsed.line,
    }


def _load_sheets(event, parsed_sheets, owners, stands, report, overwrite_edited) -> dict[str, ProjectSheet]:
    existing = {sheet.slug: sheet for sheet in
                db.session.scalars(db.select(ProjectSheet).where(ProjectSheet.event_id == event.id))}
    loaded: dict[str, ProjectSheet] = {}
    for position, parsed in enumerate(parsed_sheets):
        owner = owners.get(parsed.owner)
        values = sheet_values(parsed, owner, stands.get(owner.id) if owner else None, position)
        sheet = existing.get(parsed.slug)
        if sheet is None:
            sheet = ProjectSheet(event_id=event.id, slug=parsed.slug, **values)
            db.session.add(sheet)
            report.created["sheets"] += 1
        elif _differs(sheet, values):
            if sheet.edited_at is not None and not overwrite_edited:
                report.kept_edited.append(sheet.slug)
            else:
                _assign(sheet, values)
                sheet.edited_at, sheet.edited_by = None, ""
                report.updated["sheets"] += 1
        else:
            report.unchanged["sheets"] += 1
        loaded[parsed.slug] = sheet
    report.not_in_file = sorted(set(existing) - set(loaded))
    return loaded


# --- Recipes and pages ------------------------------------------------------------------------


def _load_recipes(event, parsed_recipes: list[ParsedRecipe], sheets: dict[str, ProjectSheet], report) -> None:
    existing = {recipe.slug: recipe for recipe in
                db.session.scalars(db.select(Recipe).where(Recipe.event_id == event.id))}
    db.session.flush()  # new sheets get their ids
    for position, parsed in enumerate(parsed_recipes):
        sheet = sheets.get(parsed.sheet_slug) or _stored_sheet(event, parsed.sheet_slug)
        values = {"title": parsed.title, "sheet_id": sheet.id if sheet else None,
                  "sections": dict(parsed.sections), "position": position, "source_line": parsed.line}
        _upsert(Recipe, existing.get(parsed.slug), values, "recipes", report,
                event_id=event.id, slug=parsed.slug)


def _stored_sheet(event: Event, sheet_slug: str) -> ProjectSheet | None:
    if not sheet_slug:
        return None
    return db.session.scalar(db.select(ProjectSheet).where(
        ProjectSheet.event_id == event.id, ProjectSheet.slug == sheet_slug))


def _load_pages(event, parsed_pages: list[ParsedPage], owners: dict[str, Organisation],
                stands: dict[int, Stand], report) -> None:
    existing = {page.slug: page for page in
                db.session.scalars(db.select(CataloguePage).where(CataloguePage.event_id == event.id))}
    for position, parsed in enumerate(parsed_pages):
        owner = owners.get(PAGE_OWNERS.get(parsed.url, ""))
        stand = stands.get(owner.id) if owner else None
        values = {
            "title": parsed.title, "url": parsed.url,
            "owner_id": owner.id if owner else None, "stand_id": stand.id if stand else None,
            "sections": [{"heading": heading, "blocks": blocks} for heading, blocks in parsed.sections.items()],
            "footer": list(parsed.footer), "position": position, "source_line": parsed.line,
        }
        _upsert(CataloguePage, existing.get(slug(parsed.title)), values, "pages", report,
                event_id=event.id, slug=slug(parsed.title))


def _upsert(model, row, values: dict[str, Any], kind: str, report: LoadReport, **keys) -> None:
    if row is None:
        db.session.add(model(**keys, **values))
        report.created[kind] += 1
    elif _differs(row, values):
        _assign(row, values)
        report.updated[kind] += 1
    else:
        report.unchanged[kind] += 1


def _differs(row, values: dict[str, Any]) -> bool:
    return any(getattr(row, name) != value for name, value in values.items())


def _assign(row, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(row, name, value)
