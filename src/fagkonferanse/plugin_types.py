"""Small value types that plugins return from hooks (see :mod:`fagkonferanse.hookspecs`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class NavLink:
    """A link in the navigation or on the dashboard. ``label`` is already translated."""

    label: str
    url: str
    order: int = 100
    detail: str | None = None


@dataclass(frozen=True)
class PageSection:
    """A titled block of HTML contributed to a page (e.g. a stand's projects)."""

    title: str
    html: Markup
    order: int = 100


@dataclass(frozen=True)
class PrintableDocument:
    """A PDF the print centre can produce. ``render(event, options)`` returns the PDF bytes."""

    name: str
    title: str
    render: Callable[[Any, dict[str, Any]], bytes]
    description: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportFormat:
    """A programme export served at ``path``. ``render(event)`` returns ``str`` or ``bytes``."""

    name: str
    title: str
    path: str
    mimetype: str
    render: Callable[[Any], str | bytes]
