"""The hooks the catalogue declares: how other plugins read the catalogue.

Plugins never import the catalogue's modules; they call these hooks through
``plugin_manager().hook`` (the catalogue answers them) and, when they cannot do without it, name
it in ``requires_plugins``. The posters list a stand's projects; the booklet prints the whole
catalogue with the catalogue's own templates (``catalogue/_macros.html``: ``blocks``,
``funding``; ``catalogue/_page_body.html``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fagkonferanse import hookspec


@dataclass(frozen=True)
class SheetPart:
    """A published project sheet with its sections in the catalogue's order (``(key, heading,
    blocks)``), followed by its recipes, each ``(recipe, sections)``."""

    sheet: Any
    sections: list
    recipes: list[tuple[Any, list]]


@dataclass(frozen=True)
class CatalogueContents:
    """Everything the catalogue publishes for one conference, in reading order.

    ``pages``: the stands' own pages (Husbanken's Veiviseren); ``parts``: the project sheets with
    their recipes; ``orphans``: recipes of no sheet; ``contact_key``: the key of the section
    holding a sheet's contact people (shown apart from the others).
    """

    pages: list
    parts: list[SheetPart]
    orphans: list[tuple[Any, list]]
    contact_key: str


@hookspec
def stand_projects(stand: Any) -> list[tuple[str, str]] | None:
    """The projects shown at ``stand``: ``(name, detail)`` pairs in the catalogue's order.

    ``detail`` is the grant scheme and who gives it ("Jobbsjansen (IMDi)"), or for a stand's own
    page its address. The posters list them beside the QR code. Every plugin's answers are
    concatenated by the caller.
    """


@hookspec
def exhibitor_page_sections(stand: Any, request: Any) -> list | None:
    """Called when an exhibitor opens their self-service page (``/catalogue/edit/<token>``): sections
    about ``stand``, the :class:`~fagkonferanse.Stand` their sheet is shown at.

    The page's address is the exhibitor's secret, so it may show the stand's own figures (the
    report plugin shows its scans per hour, passport stamps and the reads of its sheets), but
    nothing of any other stand's. Return :class:`~fagkonferanse.PageSection` objects (title and
    safe HTML); shown after the form, sorted by ``order``. Not called for a sheet without a stand.
    """


@hookspec(firstresult=True)
def catalogue_contents(event: Any) -> CatalogueContents | None:
    """The whole published catalogue of ``event`` (:class:`CatalogueContents`), for a document
    that prints it (the booklet). The catalogue answers; the first answer is taken."""
