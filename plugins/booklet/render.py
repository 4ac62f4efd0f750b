"""Gathering the booklet's parts from the database and laying them out in one document.

One WeasyPrint document, not chunks: the table of contents needs every page number
(``target-counter``), and running headers and page numbers run through the whole book.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import get_template_attribute
from flask_babel import gettext as _
from markupsafe import Markup

from fagkonferanse.events.models import Event
from fagkonferanse.pdf import render_pdf
from fagkonferanse.content import localized
from fagkonferanse.printing import NothingToPrint, in_document_language
from fagkonferanse.programme.services import programme_items
from fagkonferanse.stands.services import floor_plan, stands

from ..catalogue import services as catalogue
from ..catalogue.models import ProjectSheet, Recipe
from ..catalogue.sections import CONTACT_KEY, RECIPE_SECTIONS, ordered


# The web styles the floor plan from style.css; WeasyPrint styles an inline SVG only from a
# <style> inside it, so the print colours go there.
PLAN_STYLE = (
    "<style>"
    ".floor-band { fill: #eef2f7; stroke: #b8c2d0; }"
    ".floor-label { font-weight: bold; fill: #111; font-size: 16px; }"
    ".place rect { fill: #fff; stroke: #1d4f91; stroke-width: 2; }"
    ".place-name { font-size: 13px; fill: #444; }"
    ".stand-name { font-size: 14px; font-weight: bold; fill: #111; }"
    "</style>"
)


def floor_plan_figure(event: Event, stand_list: list) -> Markup:
    """The web's floor-plan macro (``macros/floorplan.html``) with print styles inside the SVG."""
    figure = str(get_template_attribute("macros/floorplan.html", "floor_plan_svg")(floor_plan(event, stand_list)))
    return Markup(figure.replace("<title", PLAN_STYLE + "<title", 1))


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
                      plan=floor_plan_figure(event, stand_list) if stand_list else "", pages=pages, parts=parts, orphans=orphans,
                      contact_key=CONTACT_KEY, running_header=running_header)
