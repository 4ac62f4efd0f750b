"""A throwaway plugin implementing every hook of the core, used by tests/test_plugins.py.

It is loaded the way a local plugin is: from a folder named in PLUGIN_FOLDERS. It declares a
hook of its own (``hookspecs.py``), which the ``throwaway_reader`` plugin beside it answers.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint
from markupsafe import Markup

from fagkonferanse import hookimpl
from fagkonferanse import ExportFormat, MailKind, NavLink, PageSection, PrintableDocument, ReportTable, plugin_manager

from . import hookspecs

bp = Blueprint("throwaway", __name__)
ASSETS = Path(__file__).parent / "print-assets"  # the logo its printed documents may show
CALLS: list[tuple[str, object]] = []


@bp.get("/throwaway")
def page():
    from flask import render_template

    return render_template("throwaway.html")


@hookimpl
def plugin_hookspecs():
    return [hookspecs]


@bp.get("/throwaway/answers")
def answers():
    return ", ".join(plugin_manager().hook.throwaway_question(topic="stands"))


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
def translation_folders():
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


@hookimpl
def dashboard_items(event):
    return [NavLink("Kastetall", "/throwaway", detail="42")]


@hookimpl
def ticket_page_sections(registration, request):
    return [PageSection("Fra testpluginen", Markup(f"<p>Status: {registration.status}</p>"))]


@hookimpl
def mail_kinds():
    return [MailKind("throwaway-hello", lambda registration: f"Hei {registration.name}",
                     "throwaway_mail.txt", lambda registration: {"greeting": "God dag"})]


@hookimpl
def after_registration(registration):
    CALLS.append(("after_registration", registration.email))


@hookimpl
def after_checkin(checkin):
    CALLS.append(("after_checkin", checkin.registration_id))


@hookimpl
def personal_data(registration):
    return {"throwaway": {"seen": True}}


@hookimpl
def report_tables(event, stand):
    label = stand.organisation.name if stand is not None else event.title
    return [ReportTable("throwaway", "Throwaway", ("Hva", "Antall"), ((label, 7),), chart="")]


@hookimpl
def event_copied(source, target, parts, copied):
    CALLS.append(("event_copied", (source.slug if source else None, target.slug, sorted(parts), len(copied.stands))))


@hookimpl
def archive_endpoints():
    return ["throwaway.page"]


@hookimpl
def attendees_anonymised(event):
    CALLS.append(("attendees_anonymised", event.slug))
