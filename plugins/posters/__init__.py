"""Built-in plugin: a poster for every stand, with a QR code to the stand's page.

``fagkonferanse print posters -o plakater.pdf [-O size=a3|a4] [-O stand=<slug>|all]`` (or
/admin/print/posters/): the organisation in large type, where the stand is in words ("2. etg,
trappegangen"), the projects shown there (from the catalogue) and a large QR code to
``BASE_URL/stands/<slug>?from=poster`` — opening it counts an anonymous stand visit — with the
short address printed under it for people without a camera.

A poster's QR code is only as good as ``BASE_URL``: while it points at localhost the print
centre shows a warning, ``fagkonferanse print`` writes it to stderr, and a real print refuses
unless ``-O allow_localhost=yes`` (a test print on a laptop, say). See :mod:`.render`.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _

from fagkonferanse import PrintableDocument, PrintOption, current_event, hookimpl, stands

from .render import localhost_warning, render_posters

HERE = Path(__file__).resolve().parent


def _stand_choices() -> tuple[tuple[str, str], ...]:
    event = current_event()
    every = stands(event) if event is not None else []
    return (("all", _("Alle stands")), *((stand.slug, stand.organisation.name) for stand in every))


def posters_document() -> PrintableDocument:
    return PrintableDocument(
        "posters", _("Standplakater"), render_posters,
        description=_("En plakat per stand: hvem som står der, hvor standen er, prosjektene og en QR-kode til "
                      "standens side."),
        options=(
            PrintOption("size", _("Papir"), (("a3", "A3"), ("a4", "A4")), default="a3"),
            PrintOption("stand", _("Stand"), _stand_choices(), default="all"),
            PrintOption("allow_localhost", _("Skriv ut selv om adressen er lokal"),
                        (("no", _("Nei")), ("yes", _("Ja, bare for å prøve"))), default="no",
                        help=_("QR-kodene virker ikke på telefoner så lenge adressen er localhost eller 127.0.0.1.")),
        ),
        warnings=localhost_warning,
    )


@hookimpl
def printable_documents():
    return [posters_document()]


@hookimpl
def template_folders():
    return [str(HERE / "templates")]
