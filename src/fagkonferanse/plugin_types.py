"""Small value types that plugins return from hooks (see :mod:`fagkonferanse.hookspecs`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup


# The groups of the organisers' menu, in the order it shows them (``NavLink.group``); their
# labels are the core's (fagkonferanse.navigation). A plugin may also name a group of its own.
PROGRAMME, PEOPLE, STANDS, PRINT, DOOR, SETTINGS = "programme", "people", "stands", "print", "door", "settings"


@dataclass(frozen=True)
class NavLink:
    """A link in the navigation or on the dashboard. ``label`` is already translated.

    ``group`` places an organiser link in its menu group: one of ``PROGRAMME``, ``PEOPLE``,
    ``STANDS`` (stands and catalogue), ``PRINT``, ``DOOR`` and ``SETTINGS``, or the translated
    label of a group of the plugin's own (shown after the core's). ``None`` puts it at the top of
    the menu, before the groups; public links have no group.
    """

    label: str
    url: str
    order: int = 100
    detail: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class PageSection:
    """A titled block of HTML contributed to a page (e.g. a stand's projects)."""

    title: str
    html: Markup
    order: int = 100


@dataclass(frozen=True)
class PrintOption:
    """A choice the organiser makes before printing (layout, size, who or which stand).

    With ``choices`` (value, label) pairs the value must be one of them; without, it is free text.
    With ``multiple`` the value is a comma-separated list (``-O people=3,7``; checkboxes in the
    print centre) and each item must be one of the choices.
    """

    name: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    default: str = ""
    help: str = ""
    multiple: bool = False


@dataclass(frozen=True)
class PrintableDocument:
    """A PDF the print centre can produce.

    ``render(event, options)`` returns the PDF bytes; ``options`` holds a value for every
    :class:`PrintOption` (defaults filled in) and ``preview=True`` when only a preview is wanted
    (a preview must not change anything, e.g. must not mark badges as printed).

    ``render`` runs inside an application context but outside any request: in a background print
    job (``printing/jobs.py``), a queue worker or ``fagkonferanse print``. Build addresses with
    ``fagkonferanse.absolute_url``, never from ``request``.

    ``warnings(event)``, when given, returns translated messages the organiser should read before
    printing (QR codes that would point at localhost, say): the print centre shows them above the
    options and ``fagkonferanse print`` writes them to stderr.

    ``aliases`` are earlier names the document answers to as well (``fagkonferanse print
    catalogue`` is the booklet), so scripts and bookmarks keep working after a rename.
    """

    name: str
    title: str
    render: Callable[[Any, dict[str, Any]], bytes]
    description: str = ""
    options: tuple[PrintOption, ...] = ()
    warnings: Callable[[Any], list[str]] | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportFormat:
    """A programme export served at ``path``. ``render(event)`` returns ``str`` or ``bytes``.

    It runs in the language the address asks for (``?lang=en``; Norwegian without it).
    """

    name: str
    title: str
    path: str
    mimetype: str
    render: Callable[[Any], str | bytes]


MAIL_KIND_LENGTH = 20  # the outbox stores the kind's name in a column this wide


@dataclass(frozen=True)
class MailKind:
    """A kind of mail to attendees that a plugin owns (the ``mail_kinds`` hook).

    ``name`` is unique (at most 20 characters; the outbox stores it with each message) and
    best starts with the plugin's name. ``subject(registration)`` and the plain-text Jinja
    ``template`` are rendered when the message is sent, in the language the attendee registered
    in; the template gets ``registration``, ``event`` and ``ticket_url`` (their ticket page),
    and whatever ``context(registration)`` returns.
    """

    name: str
    subject: Callable[[Any], str]
    template: str
    context: Callable[[Any], dict[str, Any]] | None = None


@dataclass(frozen=True)
class ReportTable:
    """One table of figures in the conference report (the ``report_tables`` hook).

    ``key`` names the table in the CSV (``catalogue-reads``); ``title`` and ``columns`` are shown
    as they are (translated by the plugin). Each row is a label followed by one count per further
    column. ``chart`` says how the page and the PDF draw the first count: ``"bars"`` (one bar per
    row, largest first as given), ``"timeline"`` (rows in time order, e.g. hours) or ``""``
    (the table alone). Counts only: the report shows 1 to 4 as "under 5" wherever they stand.
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: str = "bars"
    note: str = ""
    order: int = 100
