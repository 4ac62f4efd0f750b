"""A throwaway plugin implementing every hook, used by tests/test_plugins.py.

It is loaded the way a local plugin is: from a folder named in PLUGIN_FOLDERS.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint
from markupsafe import Markup

from fagkonferanse import hookimpl
from fagkonferanse.plugin_types import ExportFormat, NavLink, PageSection, PrintableDocument

bp = Blueprint("throwaway", __name__)
ASSETS = Path(__file__).parent / "print-assets"  # the logo its printed documents may show
CALLS: list[tuple[str, object]] = []


@bp.get("/throwaway")
def page():
    from flask import render_template

    return render_template("throwaway.html")


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def template_folders():
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def migration_folders():
    return []


@hookimpl
def navigation_links(area, request):
    return [NavLink("Kastelenke", "/throwaway", order=99)] if area == "public" else None


@hookimpl
def stand_page_sections(stand, request):
    return [PageSection("Seksjon fra testplugin", Markup(f"<p>Stand {stand.slug}</p>"), order=1)]


@hookimpl
def printable_documents():
    return [PrintableDocument("throwaway", "Testdokument", lambda event, options: b"%PDF-1.4 " + event.slug.encode())]


@hookimpl
def print_asset_folders():
    return [str(ASSETS)]


@hookimpl
def export_formats():
    return [ExportFormat("throwaway", "Tekst", "/programme.throwaway.txt", "text/plain",
                         lambda event: f"{event.title}\n")]


@hookimpl
def conference_loaded(event, source):
    CALLS.append(("conference_loaded", (event.slug, source)))


@hookimpl
def register_commands(cli):
    @cli.command("throwaway-hello")
    def hello():
        """Say hello from the throwaway plugin."""
        click.echo("hello from throwaway")


@hookimpl
def door_scripts():
    return ["/throwaway/door.js"]
