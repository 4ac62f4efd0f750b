"""Stand posters: what each poster says, fitted to A4 or A3, and the localhost guard.

Every size on the poster is worked out for A4 in millimetres and points and multiplied by √2
for A3, so both sizes look the same from across a corridor. Text boxes are sized with
:mod:`fagkonferanse.printing.fit`, so a long organisation name or a stand with nine projects
still fits the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from fagkonferanse.checkin.visits import poster_url
from fagkonferanse.events.models import Event
from fagkonferanse.pdf import render_pdf
from fagkonferanse.printing import NothingToPrint, PrintOptionError, base_url_is_local
from fagkonferanse.printing.fit import LINE_HEIGHT, PT_PER_MM, fit_text, lines_needed
from fagkonferanse.qr import qr_png_data_uri
from fagkonferanse.stands.models import Stand
from fagkonferanse.stands.services import stands

from .location import location_in_words

try:  # the catalogue is a separate plugin: without it a poster lists no projects
    from ..catalogue import services as catalogue
except ImportError:  # pragma: no cover - the built-in catalogue is always there
    catalogue = None

SIZES = {"a4": (210.0, 297.0, 1.0), "a3": (297.0, 420.0, math.sqrt(2))}
WIDTH = 180.0  # text width on A4 (mm)
LIST_HEIGHT = 80.0  # the project list's box on A4 (mm)


@dataclass(frozen=True)
class Project:
    """A line of the poster's list: a project (or a page the stand shows) and its funding."""

    name: str
    detail: str


@dataclass(frozen=True)
class Poster:
    stand: Stand
    organisation_size: float
    location: str
    projects: list[Project]
    list_size: float
    more_projects: int
    short_url: str
    qr: str  # the QR code of the poster address, as a 1-bit PNG data: URI


def short_url(stand: Stand) -> str:
    """The stand page's address without "https://" and the poster marker, for typing in."""
    base = urlsplit(current_app.config["BASE_URL"])
    return f"{base.netloc}{base.path}/stands/{stand.slug}"


def funding_text(sheet) -> str:
    """As the catalogue words it: "Jobbsjansen (IMDi)", "Midler fra Bufdir" or nothing known."""
    if sheet.funding_scheme:
        return f"{sheet.funding_scheme} ({sheet.funding_body})" if sheet.funding_body else sheet.funding_scheme
    if sheet.funding_body:
        return _("Midler fra %(body)s", body=sheet.funding_body)
    return ""


def projects(stand: Stand) -> list[Project]:
    """The stand's published project sheets and the pages it shows (Husbanken: Veiviseren)."""
    if catalogue is None:
        return []
    found = [Project(sheet.project_name, funding_text(sheet)) for sheet in catalogue.stand_sheets(stand)]
    found += [Project(page.title, page.url) for page in catalogue.stand_pages(stand)]
    return found


SMALLEST_LIST = 7.0  # pt on A4


def _list_height(items: list[Project], size: float) -> float:
    """The list's height in mm at ``size`` pt (line boxes plus the gap after each item)."""
    lines = sum(lines_needed([(item.name, "bold"), (f"– {item.detail}" if item.detail else "", "regular")],
                             WIDTH - 6, size) for item in items)
    return (lines * size * LINE_HEIGHT + len(items) * size * 0.35) / PT_PER_MM


def fit_list(items: list[Project]) -> tuple[float, list[Project], int]:
    """``(size in pt on A4, the items shown, how many more there are)`` so the list fits its box.

    The list shrinks from 16 pt; a stand with so many projects that 7 pt is not enough drops
    the funding lines, and then the last projects, pointing to the stand's page for the rest.
    """
    size = 16.0
    while size > SMALLEST_LIST and _list_height(items, size) > LIST_HEIGHT:
        size -= 0.5
    if _list_height(items, size) <= LIST_HEIGHT:
        return size, items, 0
    names = [Project(item.name, "") for item in items]
    shown = len(names)
    while shown > 1 and _list_height(names[:shown], size) + size * 1.5 / PT_PER_MM > LIST_HEIGHT:
        shown -= 1
    return size, names[:shown], len(names) - shown


def poster(stand: Stand, scale: float) -> Poster:
    """What one stand's poster shows, with sizes for the paper (``scale`` 1 for A4, √2 for A3)."""
    name = fit_text(stand.organisation.name, WIDTH, 34, 54, 18, weight="bold")
    size, items, more = fit_list(projects(stand))
    return Poster(stand, round(name.size * scale, 1), location_in_words(stand.location), items,
                  round(size * scale, 1), more, short_url(stand), qr_png_data_uri(poster_url(stand)))


def chosen_stands(event: Event, wanted: str) -> list[Stand]:
    """Every stand (floor by floor), or the one asked for; NothingToPrint when there is none."""
    every = stands(event)
    if not every:
        raise NothingToPrint(_("Konferansen har ingen stands ennå, så det er ingen plakater å skrive ut."))
    if wanted and wanted != "all":
        every = [stand for stand in every if stand.slug == wanted]
        if not every:
            raise NothingToPrint(_("Det finnes ingen stand som heter «%(slug)s».", slug=wanted))
    return every


def localhost_warning(event: Event) -> list[str]:
    """The print centre's and the CLI's warning while BASE_URL points at this computer."""
    base = current_app.config["BASE_URL"]
    if not base_url_is_local(base):
        return []
    return [_("Adressen i QR-kodene er %(base)s, som bare virker på denne maskinen: telefonene til deltakerne "
              "kan ikke åpne den. Sett FAGKONFERANSE_BASE_URL (eller base_url i config.toml) til konferansens "
              "offentlige adresse før plakatene skrives ut.", base=base)]


def render_posters(event: Event, options: dict) -> bytes:
    """One poster per stand (or the chosen one) on A3 or A4.

    A real print refuses a local BASE_URL unless ``allow_localhost=yes``: a wall of posters with
    dead QR codes is worse than a print that stops and says why. A preview always renders.
    """
    width, height, scale = SIZES[options.get("size") or "a3"]
    chosen = chosen_stands(event, options.get("stand") or "all")
    if not options.get("preview") and options.get("allow_localhost") != "yes" and localhost_warning(event):
        raise PrintOptionError(_("Plakatene er ikke skrevet ut: adressen i QR-kodene (%(base)s) virker bare på denne "
                                 "maskinen. Sett FAGKONFERANSE_BASE_URL til konferansens offentlige adresse, eller "
                                 "skriv ut likevel med allow_localhost=yes.", base=current_app.config["BASE_URL"]))
    if options.get("preview"):
        chosen = chosen[:1]
    return render_pdf("posters/posters.html", event=event, posters=[poster(stand, scale) for stand in chosen],
                      page=(width, height), scale=scale)
