"""Built-in plugin: the conference report, for the organisers' funders and for each exhibitor.

The organisers read it at ``/admin/report`` (with a CSV of the same figures) and print it as
``fagkonferanse print report -o rapport.pdf`` or from the print centre. It holds counts only, and
1 to 4 is shown as "under 5" everywhere (``rules.py``).

Every figure comes through the ``report_tables`` hook, the core's own too: this plugin answers it
with registrations, attendees by municipality and organisation type, and stand visits
(``figures.py``), other plugins add theirs (feedback, the catalogue's reads), and one renderer
draws them all (``collect.py``, ``charts.py``: SVG charts beside their tables). An exhibitor sees
its own stand's tables on the catalogue's self-service page, through the catalogue's
``exhibitor_page_sections`` hook.

Module map: ``rules`` (small groups, organisation types) · ``figures`` (the core's counts) ·
``charts`` (SVG) · ``collect`` (every plugin's tables, CSV) · ``views`` · ``document`` (the PDF).
"""

from __future__ import annotations

from pathlib import Path

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from fagkonferanse import DOOR, Event, NavLink, PageSection, PrintableDocument, db, hookimpl

from . import views
from .collect import shown_tables
from .document import render_report
from .figures import core_tables

HERE = Path(__file__).resolve().parent


@hookimpl
def register_blueprints(app):
    return [views.bp]


@hookimpl
def template_folders():
    return [str(HERE / "templates")]


@hookimpl
def navigation_links(area, request):
    # Beside "Statistikk": the same figures, made into something to hand on.
    if area == "admin":
        return [NavLink(_("Rapport"), url_for("report.page"), order=24, group=DOOR)]
    return None


@hookimpl
def report_tables(event, stand):
    return core_tables(event, stand)


@hookimpl
def printable_documents():
    return [PrintableDocument(
        "report", _("Rapport"), render_report,
        description=_("Rapporten til oppdragsgivere og finansiører: påmeldinger, deltakere etter kommune "
                      "og type virksomhet, besøk på standene og tallene fra de andre delene. Bare antall; "
                      "grupper under 5 vises som «under 5»."),
    )]


@hookimpl(optionalhook=True)
def exhibitor_page_sections(stand, request):
    """The stand's own figures on its exhibitor's self-service page, and nothing of the others'."""
    tables = shown_tables(db.session.get(Event, stand.event_id), stand, prefix="stand-report")
    if not tables:
        return None
    html = render_template("report/_exhibitor.html", tables=tables, stand=stand)
    return [PageSection(_("Tall for standen"), Markup(html), order=10)]
