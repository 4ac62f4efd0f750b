"""Gathering the booklet's parts from the database and laying them out in one document.

One WeasyPrint document, not chunks: the table of contents needs every page number
(``target-counter``), and running headers and page numbers run through the whole book.
"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _
from markupsafe import Markup

from fagkonferanse import (
    Drawing,
    Event,
    NothingToPrint,
    building_plans,
    current_language,
    image_data_uri,
    in_document_language,
    localized,
    plan_view,
    plugin_manager,
    programme_items,
    render_pdf,
    render_plan,
    stands,
)


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
    catalogue = plugin_manager().hook.catalogue_contents(event=event)
    parts, orphans, pages = catalogue.parts, catalogue.orphans, catalogue.pages
    if not (items or stand_list or parts or pages or localized(event, "foreword")):
        raise NothingToPrint(_("Konferansen har verken program, stands eller prosjektkatalog ennå: heftet ville vært tomt."))
    return render_pdf("booklet/booklet.html", event=event, cover_only=False, items=items, stands=stand_list,
                      plans=floor_plan_figures(event, plans),
                      numbers={marker.stand.id: marker.number for plan in plans for marker in plan.markers},
                      schematic=any(plan.schematic for plan in plans if plan.markers), pages=pages, parts=parts, orphans=orphans,
                      contact_key=catalogue.contact_key, running_header=running_header)
