"""Built-in plugin: the project catalogue, with each project shown at its owner's stand.

An attendee who scans a stand's QR code lands on the stand's page and reads the projects shown
there; ``/catalogue`` lists, filters and searches every sheet, and ``/catalogue/funding`` shows
which municipalities draw on which grant scheme. Organisers edit sheets and send exhibitors a
private link to correct their own; ``fagkonferanse catalogue import`` reads a booklet's text.

Module map: ``importer`` (pure text parser) → ``dataset`` (the shipped 2016 JSON) → ``loader``
(into the database) · ``models`` · ``services`` / ``search`` (+ ``search_postgres``) / ``vocabulary`` (reading) ·
``editing`` / ``exhibitors`` (changing) · ``views`` / ``admin_views`` / ``exhibitor_views`` ·
``textformat`` / ``contacts`` (text helpers) · ``reads`` (counting the sheets' readers) / ``report`` · ``cli``.
"""

from __future__ import annotations

from pathlib import Path

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from fagkonferanse import STANDS, NavLink, PageSection, hookimpl, norwegian

from . import admin_views, exhibitor_views, hookspecs, models, services, views  # noqa: F401  (models: tables)
from .cli import catalogue_group
from .dataset import read_2016
from .exhibitors import pending_proposals
from .loader import load_catalogue
from .report import read_tables

HERE = Path(__file__).resolve().parent


@hookimpl
def plugin_hookspecs():
    return [hookspecs]


@hookimpl
def stand_projects(stand):
    return services.stand_projects(stand)


@hookimpl
def catalogue_contents(event):
    return services.contents(event)


@hookimpl
def register_blueprints(app):
    return [views.bp, exhibitor_views.bp, admin_views.bp]


@hookimpl
def template_folders():
    return [str(HERE / "templates")]


@hookimpl
def migration_folders():
    return [str(HERE / "migrations" / "versions")]


@hookimpl
def register_commands(cli):
    cli.add_command(catalogue_group)


@hookimpl
def conference_loaded(event, source):
    """The built-in conference comes with its catalogue (19 sheets, 3 recipes, the Veiviser page)."""
    if source == "2016":
        load_catalogue(event, read_2016())


@hookimpl
def navigation_links(area, request):
    if area == "public":
        return [NavLink(_("Prosjektkatalog"), url_for("catalogue.index"), order=35)]
    if area == "admin":
        return [NavLink(_("Prosjektkatalog"), url_for("catalogue_admin.index"), order=45, group=STANDS)]
    return None


@hookimpl
def stand_page_sections(stand, request):
    """The stand's projects (name, funding, a few lines, link), and any page it shows."""
    sections = []
    sheets = services.stand_sheets(stand)
    if sheets:
        html = render_template("catalogue/_stand_sheets.html", sheets=sheets)
        sections.append(PageSection(_("Prosjekter på standen"), Markup(html), order=20))
    for page in services.stand_pages(stand):
        html = render_template("catalogue/_page_body.html", page=page, heading_level=3)
        # The page's title is Norwegian content: marked lang="nb" on an English page.
        sections.append(PageSection(norwegian(page.title).__html__(), Markup(html), order=30))
    return sections


@hookimpl
def dashboard_items(event):
    every = services.sheets(event, include_hidden=True)
    waiting = pending_proposals(event)
    empty = services.stands_without_sheets(event)
    url = url_for("catalogue_admin.index")
    return [
        NavLink(_("Prosjektkatalog"), url, order=50, detail=str(len(every))),
        NavLink(_("Forslag fra utstillere som venter"), url + "#forslag", order=51, detail=str(len(waiting))),
        NavLink(_("Stands uten prosjekter"), url + "#stands", order=52, detail=str(len(empty))),
    ]


@hookimpl
def report_tables(event, stand):
    """The most read project sheets; for an exhibitor, the reads of its own stand's sheets."""
    return read_tables(event, stand)


@hookimpl
def archive_endpoints():
    """The catalogue's public pages (not the exhibitors' editing links, ``catalogue_exhibitor``)."""
    return ["catalogue.*"]
