"""Gathering the booklet's parts from the database and laying them out in one document.

One WeasyPrint document, not chunks: the table of contents needs every page number
(``target-counter``), and running headers and page numbers run through the whole book.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from markupsafe import Markup

from fagkonferanse.events.models import Event
from fagkonferanse.pdf import render_pdf
from fagkonferanse.content import localized
from fagkonferanse.i18n import current_language
from fagkonferanse.printing import NothingToPrint, in_document_language
from fagkonferanse.programme.services import programme_items
from fagkonferanse.stands.services import stands
from fagkonferanse.uploads.images import image_data_uri
from fagkonferanse.venue.plan import building_plans
from fagkonferanse.venue.plan_svg import Drawing, plan_view, render_plan

from ..catalogue import services as catalogue
from ..catalogue.models import ProjectSheet, Recipe
from ..catalogue.sections import CONTACT_KEY, RECIPE_SECTIONS, ordered


PLAN_WIDTH_MM = 170.0  # the text width
PLAN_MM_PER_UNIT = 0.21  # every floor at one scale: a floor with one stairwell is not blown up


def floor_plan_figures(event: Event, plans: list) -> list[tuple[str, Markup]]:
    """Each floor's plan as the web draws it (venue.plan_svg), without links, drawings inline:
    ``(heading, svg)`` for the floors that have stands, all at one scale."""
    figures = []
    for plan in plans:
        if not plan.markers:
            continue
        drawing = Drawing(id_prefix=f"booklet-{plan.anchor}", links=False, image_href=image_data_uri)
        view = plan_view(plan, drawing)
        per_unit = min(PLAN_WIDTH_MM / view.width, PLAN_MM_PER_UNIT)
        size = (f"{view.width * per_unit:.1f}mm", f"{view.height * per_unit:.1f}mm")
        figures.append((_("%(floor)s. etasje", floor=plan.number),
                        render_plan(plan, replace(drawing, size=size))))
    return figures


RUNNING_HEADER_LENGTH = 95  # characters that fit one line of the running header


def running_header(*parts: str) -> str:
    """"Owner · Project" for the top of a sheet's pages, cut to one line with an ellipsis."""
    text = " · ".join(part for part in parts if part)
    if len(text) <= RUNNING_HEADER_LENGTH:
        return text
    return text[:RUNNING_HEADER_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,.:;–-·") + " …"


@dataclass(frozen=True)
class SheetPart:
    """A project sheet with its sections in template order, and its recipes after it."""

    sheet: ProjectSheet
    sections: list
    recipes: list[tuple[Recipe, list]]


def sheet_parts(event: Event) -> tuple[list[SheetPart], list[tuple[Recipe, list]]]:
    """Published sheets in booklet order, each with its recipes; then recipes of no sheet."""
    every_recipe = catalogue.recipes(event)
    parts = []
    for sheet in catalogue.sheets(event):
        own = [(recipe, ordered(recipe.sections, RECIPE_SECTIONS)) for recipe in every_recipe
               if recipe.sheet_id == sheet.id]
        parts.append(SheetPart(sheet, ordered(sheet.sections), own))
    orphans = [(recipe, ordered(recipe.sections, RECIPE_SECTIONS)) for recipe in every_recipe
               if recipe.sheet_id is None]
    return parts, orphans


def render_booklet(event: Event, options: dict) -> bytes:
    """The booklet PDF in the language of ``options`` (Norwegian by default); a preview lays out
    only the cover (page 1), which is all it shows."""
    with in_document_language(options):
        return _render(event, options)


def _render(event: Event, options: dict) -> bytes:
    if options.get("preview"):
        return render_pdf("booklet/booklet.html", event=event, cover_only=True, running_header=running_header)
    items = programme_items(event)
    stand_list = stands(event)
    plans = building_plans(event, current_language(), stand_list) if stand_list else []
    parts, orphans = sheet_parts(event)
    pages = catalogue.pages(event)
    if not (items or stand_list or parts or pages or localized(event, "foreword")):
        raise NothingToPrint(_("Konferansen har verken program, stands eller prosjektkatalog ennå: heftet ville vært tomt."))
    return render_pdf("booklet/booklet.html", event=event, cover_only=False, items=items, stands=stand_list,
                      plans=floor_plan_figures(event, plans),
                      numbers={marker.stand.id: marker.number for plan in plans for marker in plan.markers},
                      schematic=any(plan.schematic for plan in plans if plan.markers), pages=pages, parts=parts, orphans=orphans,
                      contact_key=CONTACT_KEY, running_header=running_header)
