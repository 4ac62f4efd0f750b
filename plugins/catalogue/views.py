"""Public catalogue pages: the searchable list, the funding view, one sheet, a recipe, a page."""

from __future__ import annotations

import re

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from fagkonferanse import current_event_or_404, reads_query

from . import reads, services
from .contacts import contact_segments
from .search import MAX_QUERY, Hit, search
from .sections import CONTACT_KEY, RECIPE_SECTIONS, SHEET_SECTIONS, ordered
from .services import Filters
from .vocabulary import NO_SCHEME, scheme_key

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
bp.after_app_request(reads.hand_off_due_reads)  # counted reads whose time is up (reads.py)

NUMBERED = re.compile(r"\d{1,2}\.\s")


@bp.app_template_global("catalogue_contact_segments")
def _contact_segments(text: str):
    return contact_segments(text)


@bp.app_template_global("catalogue_summary")
def _summary(sheet, length: int = 240) -> str:
    return services.summary(sheet, length)


@bp.app_template_global("catalogue_numbered")
def _numbered(items: list[dict]) -> bool:
    """A list whose items all start "1. ", "2. " … already carries its numbers: no bullets."""
    return len(items) > 1 and all(NUMBERED.match(item["text"]) for item in items)


@bp.app_template_global("catalogue_scheme_key")
def _scheme_key(scheme: str | None) -> str:
    return scheme_key(scheme)


@bp.get("")
@reads_query("q", "owner", "scheme", "body", "group")
def index():
    event = current_event_or_404()
    every = services.sheets(event)
    filters = Filters(**{name: request.args.get(name, "")[:100] for name in ("owner", "scheme", "body", "group")})
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    shown = services.filter_sheets(every, filters)
    hits = search(shown, query) if query else [Hit(sheet, 0.0) for sheet in shown]
    return render_template(
        "catalogue/index.html", event=event, hits=hits, query=query, filters=filters, total=len(every),
        options=services.filter_options(every, _("Ingen navngitt ordning")),
        recipes=services.recipes(event), pages=services.pages(event),
    )


@bp.get("/funding")
def funding():
    event = current_event_or_404()
    every = services.sheets(event)
    return render_template("catalogue/funding.html", event=event, groups=services.funding_overview(every),
                           owners=services.catalogue_owners(every),
                           bodies=services.funding_bodies_overview(every))


@bp.get("/funding/<key>")
def funding_scheme(key: str):
    event = current_event_or_404()
    group = services.scheme_group(services.sheets(event), key)
    if group is None:
        abort(404)
    return render_template("catalogue/scheme.html", event=event, group=group, no_scheme=key == NO_SCHEME)


@bp.get("/oppskrift/<slug>")
def recipe(slug: str):
    event = current_event_or_404()
    found = services.recipe_by_slug(event, slug)
    if found is None:
        abort(404)
    return render_template("catalogue/recipe.html", event=event, recipe=found,
                           sections=ordered(found.sections, RECIPE_SECTIONS))


@bp.get("/side/<slug>")
def page(slug: str):
    event = current_event_or_404()
    found = services.page_by_slug(event, slug)
    if found is None:
        abort(404)
    return render_template("catalogue/page.html", event=event, page=found)


@bp.get("/<slug>")
def sheet(slug: str):
    event = current_event_or_404()
    found = services.sheet_by_slug(event, slug)
    if found is None:
        abort(404)
    siblings = [other for other in services.sheets(event)
                if other.owner_id == found.owner_id and other.id != found.id] if found.owner_id else []
    page = render_template(
        "catalogue/sheet.html", event=event, sheet=found, sections=ordered(found.sections, SHEET_SECTIONS),
        contact_key=CONTACT_KEY, categories=services.category_labels(found), siblings=siblings,
    )
    reads.count_read(found)  # once the page is there: an error page is no read
    return page
