"""Built-in plugin: the day's programme on one A4 page, as the booklet prints it.

``-O language=en`` prints it in English: fixed texts, dates and every title or description an
organiser gave in English; the rest in Norwegian, marked ``lang="nb"``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _

from fagkonferanse import (
    PrintableDocument,
    hookimpl,
    in_document_language,
    language_option,
    programme_items,
    render_pdf,
)


def render_programme(event, options) -> bytes:
    """One A4 page: event title, date and place, then every item with its time and people."""
    with in_document_language(options):
        return render_pdf("programme_pdf/programme.html", event=event, items=programme_items(event))


@hookimpl
def template_folders():
    return [str(Path(__file__).parent / "templates")]


@hookimpl
def printable_documents():
    return [PrintableDocument("programme", _("Program (A4)"), render_programme,
                              description=_("Dagens program på én A4-side, som i programheftet."),
                              options=(language_option(),))]
