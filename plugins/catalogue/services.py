"""Reading the catalogue: sheets of an event or a stand, filters, and the funding overview.

A conference catalogue holds tens of sheets, so filters work on the loaded list in Python: the
same code on every database, and the filter options are counted from the same list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from fagkonferanse import Event, Organisation, Stand, db, slugify, sort_key

from .hookspecs import CatalogueContents, SheetPart
from .models import STATUS_PUBLISHED, CataloguePage, ProjectSheet, Recipe
from .sections import CONTACT_KEY, RECIPE_SECTIONS, ordered
from .vocabulary import CATEGORY_LABELS, NO_SCHEME, TARGET_CATEGORIES, funding_bodies, scheme_key, target_categories

# --- Loading ----------------------------------------------------------------------------------


def sheets(event: Event, include_hidden: bool = False) -> list[ProjectSheet]:
    """The event's sheets in booklet order (published ones only, unless ``include_hidden``)."""
    query = (db.select(ProjectSheet).where(ProjectSheet.event_id == event.id)
             .options(selectinload(ProjectSheet.owner), selectinload(ProjectSheet.stand),
                      selectinload(ProjectSheet.recipes))
             .order_by(ProjectSheet.position, ProjectSheet.id))
    if not include_hidden:
        query = query.where(ProjectSheet.status == STATUS_PUBLISHED)
    return list(db.session.scalars(query))


def sheet_by_slug(event: Event, slug: str, include_hidden: bool = False) -> ProjectSheet | None:
    sheet = db.session.scalar(db.select(ProjectSheet).where(ProjectSheet.event_id == event.id,
                                                            ProjectSheet.slug == slug))
    if sheet is not None and not (include_hidden or sheet.is_published):
        return None
    return sheet


def recipe_by_slug(event: Event, slug: str) -> Recipe | None:
    """A recipe; one whose project is hidden is hidden with it."""
    recipe = db.session.scalar(db.select(Recipe).where(Recipe.event_id == event.id, Recipe.slug == slug))
    if recipe is not None and recipe.sheet is not None and not recipe.sheet.is_published:
        return None
    return recipe


def recipes(event: Event) -> list[Recipe]:
    return [recipe for recipe in db.session.scalars(
        db.select(Recipe).where(Recipe.event_id == event.id).order_by(Recipe.position, Recipe.id))
        if recipe.sheet is None or recipe.sheet.is_published]


def pages(event: Event) -> list[CataloguePage]:
    return list(db.session.scalars(db.select(CataloguePage).where(CataloguePage.event_id == event.id)
                                   .order_by(CataloguePage.position, CataloguePage.id)))


def page_by_slug(event: Event, slug: str) -> CataloguePage | None:
    return db.session.scalar(db.select(CataloguePage).where(CataloguePage.event_id == event.id,
                                                            CataloguePage.slug == slug))


def stand_sheets(stand: Stand) -> list[ProjectSheet]:
    """The published sheets shown at a stand."""
    return list(db.session.scalars(
        db.select(ProjectSheet).where(ProjectSheet.stand_id == stand.id, ProjectSheet.status == STATUS_PUBLISHED)
        .options(selectinload(ProjectSheet.recipes)).order_by(ProjectSheet.position, ProjectSheet.id)))


def stand_pages(stand: Stand) -> list[CataloguePage]:
    return list(db.session.scalars(db.select(CataloguePage).where(CataloguePage.stand_id == stand.id)
                                   .order_by(CataloguePage.position, CataloguePage.id)))


# --- What other plugins read (the hooks in hookspecs.py) -------------------------------------------


def funding_text(sheet: ProjectSheet) -> str:
    """As the catalogue words it: "Jobbsjansen (IMDi)", "Midler fra Bufdir" or nothing known."""
    if sheet.funding_scheme:
        return f"{sheet.funding_scheme} ({sheet.funding_body})" if sheet.funding_body else sheet.funding_scheme
    if sheet.funding_body:
        return _("Midler fra %(body)s", body=sheet.funding_body)
    return ""


def stand_projects(stand: Stand) -> list[tuple[str, str]]:
    """The stand's published project sheets and the pages it shows (Husbanken: Veiviseren)."""
    found = [(sheet.project_name, funding_text(sheet)) for sheet in stand_sheets(stand)]
    return found + [(page.title, page.url) for page in stand_pages(stand)]


def contents(event: Event) -> CatalogueContents:
    """The published catalogue in booklet order: pages, sheets each with its recipes, then
    recipes of no sheet."""
    every_recipe = recipes(event)
    parts = []
    for sheet in sheets(event):
        own = [(recipe, ordered(recipe.sections, RECIPE_SECTIONS)) for recipe in every_recipe
               if recipe.sheet_id == sheet.id]
        parts.append(SheetPart(sheet, ordered(sheet.sections), own))
    orphans = [(recipe, ordered(recipe.sections, RECIPE_SECTIONS)) for recipe in every_recipe
               if recipe.sheet_id is None]
    return CatalogueContents(pages(event), parts, orphans, CONTACT_KEY)


# --- Text -------------------------------------------------------------------------------------


def block_texts(blocks: list[dict]) -> list[str]:
    """Every paragraph and list item of some blocks, in reading order."""
    texts: list[str] = []

    def walk(items: list[dict]) -> None:
        for item in items:
            texts.append(item["text"])
            walk(item["children"])

    for block in blocks:
        if block["type"] == "paragraph":
            texts.append(block["text"])
        else:
            walk(block["items"])
    return texts


def summary(sheet: ProjectSheet, length: int = 240) -> str:
    """A few lines about the project for lists: the start of its project description."""
    for key in ("prosjekt", "maal", "kommune"):
        text = " ".join(block_texts(sheet.sections.get(key, [])))
        if text:
            return shorten(text, length)
    return ""


def shorten(text: str, length: int) -> str:
    """Cut at a word boundary with an ellipsis."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,.;:–-") + " …"


# --- Filters ----------------------------------------------------------------------------------


def owner_key(owner: Organisation | None) -> str:
    return slugify(owner.name) if owner else "ukjent"


@dataclass(frozen=True)
class Filters:
    """What the catalogue page is asked to show (the query string's values; empty = any)."""

    owner: str = ""
    scheme: str = ""
    body: str = ""
    group: str = ""

    @property
    def active(self) -> bool:
        return bool(self.owner or self.scheme or self.body or self.group)


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    count: int


@dataclass
class FilterOptions:
    owners: list[Option] = field(default_factory=list)
    schemes: list[Option] = field(default_factory=list)
    bodies: list[Option] = field(default_factory=list)
    groups: list[Option] = field(default_factory=list)


def matches(sheet: ProjectSheet, filters: Filters) -> bool:
    """Does the sheet pass every filter that is set?"""
    return ((not filters.owner or owner_key(sheet.owner) == filters.owner)
            and (not filters.scheme or scheme_key(sheet.funding_scheme) == filters.scheme)
            and (not filters.body or filters.body in {slugify(b) for b in funding_bodies(sheet.funding_body)})
            and (not filters.group or filters.group in target_categories(sheet.target_groups, sheet.project_name)))


def filter_sheets(sheet_list: list[ProjectSheet], filters: Filters) -> list[ProjectSheet]:
    return [sheet for sheet in sheet_list if matches(sheet, filters)]


def filter_options(sheet_list: list[ProjectSheet], no_scheme_label: str) -> FilterOptions:
    """Every value the filters can take, with how many sheets have it."""
    owners: dict[str, list] = {}
    schemes: dict[str, list] = {}
    bodies: dict[str, list] = {}
    groups: dict[str, int] = defaultdict(int)
    for sheet in sheet_list:
        owners.setdefault(owner_key(sheet.owner), [sheet.owner_name, 0])[1] += 1
        schemes.setdefault(scheme_key(sheet.funding_scheme), [sheet.funding_scheme or no_scheme_label, 0])[1] += 1
        for body in funding_bodies(sheet.funding_body):
            bodies.setdefault(slugify(body), [body, 0])[1] += 1
        for key in target_categories(sheet.target_groups, sheet.project_name):
            groups[key] += 1

    def options(found: dict[str, list]) -> list[Option]:
        return sorted((Option(key, label, count) for key, (label, count) in found.items()),
                      key=lambda option: (option.key == NO_SCHEME, sort_key(option.label)))

    return FilterOptions(
        owners=options(owners), schemes=options(schemes), bodies=options(bodies),
        groups=[Option(c.key, str(c.label), groups[c.key]) for c in TARGET_CATEGORIES if groups[c.key]],
    )


def category_labels(sheet: ProjectSheet) -> list[str]:
    return [str(CATEGORY_LABELS[key]) for key in target_categories(sheet.target_groups, sheet.project_name)]


# --- Funding ----------------------------------------------------------------------------------


@dataclass
class SchemeGroup:
    """One funding scheme: who administers it and which municipalities run what under it."""

    key: str
    name: str | None  # None: sheets that name no scheme
    bodies: list[str]
    by_owner: list[tuple[Organisation | None, list[ProjectSheet]]]
    owners_without: list[Organisation]

    @property
    def sheet_count(self) -> int:
        return sum(len(group) for _, group in self.by_owner)

    def sheets_of(self, owner: Organisation) -> list[ProjectSheet]:
        return next((group for found, group in self.by_owner if found is not None and found.id == owner.id), [])


def catalogue_owners(sheet_list: list[ProjectSheet]) -> list[Organisation]:
    """The owners in the catalogue: municipalities first (by name), then the others."""
    found = {sheet.owner.id: sheet.owner for sheet in sheet_list if sheet.owner}
    return sorted(found.values(), key=lambda org: (org.kind != "municipality", sort_key(org.name)))


def funding_overview(sheet_list: list[ProjectSheet]) -> list[SchemeGroup]:
    """Every funding scheme with its projects per owner; the most used schemes first.

    This is the catalogue's coordination view: which municipalities draw on the same scheme,
    and which do not.
    """
    owners = catalogue_owners(sheet_list)
    by_scheme: dict[str, list[ProjectSheet]] = defaultdict(list)
    for sheet in sheet_list:
        by_scheme[scheme_key(sheet.funding_scheme)].append(sheet)
    groups = [_scheme_group(key, group, owners) for key, group in by_scheme.items()]
    return sorted(groups, key=lambda g: (g.name is None, -g.sheet_count, sort_key(g.name)))


def scheme_group(sheet_list: list[ProjectSheet], key: str) -> SchemeGroup | None:
    return next((group for group in funding_overview(sheet_list) if group.key == key), None)


def _scheme_group(key: str, group: list[ProjectSheet], owners: list[Organisation]) -> SchemeGroup:
    by_owner: dict[int | None, list[ProjectSheet]] = defaultdict(list)
    bodies: list[str] = []
    for sheet in group:
        by_owner[sheet.owner_id].append(sheet)
        bodies.extend(b for b in funding_bodies(sheet.funding_body) if b not in bodies)
    ordered = [(owner, by_owner[owner.id]) for owner in owners if owner.id in by_owner]
    if None in by_owner:
        ordered.append((None, by_owner[None]))
    without = [owner for owner in owners if owner.id not in by_owner and owner.kind == "municipality"]
    name = group[0].funding_scheme if key != NO_SCHEME else None
    return SchemeGroup(key, name, bodies, ordered, without)


def funding_bodies_overview(sheet_list: list[ProjectSheet]) -> list[tuple[str, str, list[ProjectSheet]]]:
    """``(body, slug, sheets)`` for every funding body, the busiest first."""
    found: dict[str, list[ProjectSheet]] = defaultdict(list)
    for sheet in sheet_list:
        for body in funding_bodies(sheet.funding_body):
            found[body].append(sheet)
    return sorted(((body, slugify(body), group) for body, group in found.items()),
                  key=lambda row: (-len(row[2]), sort_key(row[0])))


# --- Organisers -------------------------------------------------------------------------------


def stands_without_sheets(event: Event) -> list[tuple[Stand, list[CataloguePage]]]:
    """Stands that show no published project sheet, each with the pages it shows instead."""
    with_sheets = db.select(ProjectSheet.stand_id).where(ProjectSheet.stand_id.is_not(None),
                                                         ProjectSheet.status == STATUS_PUBLISHED)
    found = db.session.scalars(db.select(Stand).where(Stand.event_id == event.id, Stand.id.not_in(with_sheets))
                               .options(selectinload(Stand.organisation)))
    return sorted(((stand, stand_pages(stand)) for stand in found), key=lambda row: sort_key(row[0].organisation.name))
