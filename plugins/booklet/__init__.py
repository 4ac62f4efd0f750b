"""Built-in plugin: the whole conference booklet as one PDF, regenerated from the database.

``fagkonferanse print booklet -o programhefte.pdf`` (or /admin/print/booklet/; ``catalogue``, its
earlier name, still works): a cover, a
table of contents with page numbers, the foreword, the programme, where the stands are (a table
and the floor plan), the stand pages (Husbanken's Veiviseren), every published project sheet —
each on a new page — followed by its recipes. Running headers name the part a page belongs to.

The booklet needs the catalogue plugin (``requires_plugins``) and reads it only through the hook
the catalogue declares, ``catalogue_contents``: the sheets come with their sections in the
catalogue's order and are typeset with its block macros (``catalogue/_macros.html``), so an edit
to a sheet or to a heading shows up in the booklet and on the web alike.

``-O language=en`` prints the English booklet: fixed texts, headings and dates in English, the
title, foreword, programme and room names in English where an organiser gave them. The project
sheets exist only in Norwegian and are printed so, marked ``lang="nb"``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _

from fagkonferanse import PrintableDocument, hookimpl, language_option

from .render import render_booklet

HERE = Path(__file__).resolve().parent
requires_plugins = ["catalogue"]


@hookimpl
def printable_documents():
    return [PrintableDocument(
        "booklet", _("Programhefte og prosjektkatalog"), render_booklet,
        description=_("Hele heftet fra databasen: forside, innhold, forord, program, standsplassering, "
                      "Veiviseren, alle prosjektark og oppskrifter, med sidetall."),
        options=(language_option(),),
        aliases=("catalogue",),  # its name on the command line until issue 15
    )]


@hookimpl
def template_folders():
    return [str(HERE / "templates")]
