"""Gathering the booklet's parts from the database and laying them out in one document.

One WeasyPrint document, not chunks: the table of contents needs every page number
(``target-counter``), and running headers and page numbers run through the whole book.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from fagkonferanse.events.models import Event
from fagkonferanse.pdf import render_pdf
from fagkonferanse.content import localized
from fagkonferanse.printing import NothingToPrint, in_document_language
from fagkonferanse.programme.services import programme_items
from fagkonferanse.stands.services import stands
from fagkonferanse.uploads.images import image_data_uri
from fagkonferanse.venue.plan import building_plans
from fagkonferanse.venue.plan_svg import Drawing, render_plan

from ..catalogue import services as catalogue
from ..catalogue.models import ProjectSheet, Recipe
from ..catalogue.sections import CONTACT_KEY, RECIPE_SECTIONS, ordered


def floor_plan_figures(event: Event) -> list[tuple[str, Markup]]:
    """Each floor's plan as the web draws it (venue.plan_svg), without links, drawings inline:
    ``(heading, svg)`` for the floors that have stands."""
    from fagkonferanse.i18n import current_language

    plans = [plan for plan in building_plans(event, current_language()) if plan.markers]
    return [(_("%(floor)s. etasje", floor=plan.number),
             render_plan(plan, Drawing(id_prefix=f"booklet-{plan.anchor}", links=False,
                                       image_href=image_data_uri)))
            for plan in plans]


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
    parts, orphans = sheet_parts(event)
    pages = catalogue.pages(event)
    if not (items or stand_list or parts or pages or localized(event, "foreword")):
        raise NothingToPrint(_("Konferansen har verken program, stands eller prosjektkatalog ennå: heftet ville vært tomt."))
    return render_pdf("booklet/booklet.html", event=event, cover_only=False, items=items, stands=stand_list,
                      plans=floor_plan_figures(event) if stand_list else [], pages=pages, parts=parts, orphans=orphans,
                      contact_key=CONTACT_KEY, running_header=running_header)
