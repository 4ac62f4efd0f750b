"""Stand posters: what each poster says, laid out on A4 or A3, and the localhost guard.

A poster is read in three steps, and set that way: from across the corridor, a band in the
stand's colour with the organisation's name (and logo); closer, where we are on the floor's plan
("Du er her", drawn by the same renderer as the web's plan) and what the stand shows; at arm's
length, the large QR code with its short address under it. Every size is worked out for A4 in
millimetres and points and multiplied by √2 for A3, so both look the same from their distance.
Text boxes are sized with :mod:`fagkonferanse.printing.fit`, so a long name or a stand with
nine projects still fits; the plan gives up height to a long project list, down to a floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from fagkonferanse import (
    AA_TEXT,
    LINE_HEIGHT,
    PT_PER_MM,
    WHITE,
    Drawing,
    Event,
    FloorPlan,
    NothingToPrint,
    PrintOptionError,
    Stand,
    base_url_is_local,
    building_plans,
    contrast,
    current_language,
    fit_text,
    format_day,
    image_data_uri,
    lines_needed,
    plan_of_floor,
    plan_view,
    poster_url,
    qr_png_data_uri,
    plugin_manager,
    render_pdf,
    render_plan,
    stands,
    text_on,
)

from .location import location_in_words

SIZES = {"a4": (210.0, 297.0, 1.0), "a3": (297.0, 420.0, math.sqrt(2))}
DEFAULT_ACCENT = "#0b5c8c"  # the site's accent: white on it is 7:1
INK_ON_WHITE = "#1d2330"

# The A4 grid, in mm: 15 mm margins, 180 mm of width.
MARGIN, WIDTH = 15.0, 180.0
BAND_HEIGHT = 56.0  # the coloured band with the name
LOGO_SIZE = 40.0  # the logo's white tile in the band
PLAN_TOP = 74.0
PLAN_TALLEST, PLAN_LOWEST = 92.0, 58.0
QR_SIZE = 72.0
QR_LINES = 20.0  # "Skann koden …" and the address under the code
LIST_WIDTH = WIDTH - QR_SIZE - 8  # the projects, left of the code
PAGE_BOTTOM = 297.0 - 12
BLOCK_GAP = 8.0
HEADING = 9.0  # "Prosjekter på standen" above the list
LIST_BOTTOM = PAGE_BOTTOM - QR_LINES + 6  # the list may go down beside "Skann koden …"
SMALLEST_LIST, LARGEST_LIST, COMFORTABLE_LIST = 7.0, 18.0, 11.0
# At most this many mm per plan unit: a floor with one stairwell is drawn at the scale of the
# others, not blown up to fill the page (plan text is 20 units: 4.8 mm, about 14 pt, on A4).
PLAN_MM_PER_UNIT = 0.24


@dataclass(frozen=True)
class Project:
    """A line of the poster's list: a project (or a page the stand shows) and its funding."""

    name: str
    detail: str


@dataclass(frozen=True)
class Box:
    """A rectangle on the A4 grid (mm); the template scales it for A3."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Poster:
    stand: Stand
    event_line: str
    event_size: float
    organisation_size: float
    location: str
    projects: list[Project]
    list_size: float
    more_projects: int
    short_url: str
    url_size: float
    qr: str  # the QR code of the poster address, as a 1-bit PNG data: URI
    accent: str  # the band's colour, the text colour on it and the colour of words in it on white
    accent_text: str  # (both at AA contrast: 4.5:1 or more)
    accent_on_white: str
    logo: str | None  # data: URI
    plan: Markup | None  # the floor's plan with "Du er her" at this stand
    plan_box: Box | None  # where the plan is drawn (A4 mm)
    plan_view: tuple[float, float, float, float] | None  # the plan units it shows (x, y, w, h)
    list_box: Box
    qr_box: Box


def short_url(stand: Stand) -> str:
    """The stand page's address without "https://" and the poster marker, for typing in."""
    base = urlsplit(current_app.config["BASE_URL"])
    return f"{base.netloc}{base.path}/stands/{stand.slug}"


def projects(stand: Stand) -> list[Project]:
    """The projects at the stand, as the plugins that know them answer ``stand_projects`` (the
    catalogue, when it is installed: its sheets and the stand's own pages)."""
    hook = getattr(plugin_manager().hook, "stand_projects", None)  # declared by the catalogue
    if hook is None:
        return []
    return [Project(name, detail) for answer in hook(stand=stand) for name, detail in answer or ()]


def _list_height(items: list[Project], size: float, width: float) -> float:
    """The list's height in mm at ``size`` pt (line boxes plus the gap after each item)."""
    lines = sum(lines_needed([(item.name, "bold"), (f"– {item.detail}" if item.detail else "", "regular")],
                             width - 6, size) for item in items)
    return (lines * size * LINE_HEIGHT + len(items) * size * 0.35) / PT_PER_MM


def fit_list(items: list[Project], width: float, height: float) -> tuple[float, list[Project], int]:
    """``(size in pt on A4, the items shown, how many more there are)`` so the list fits its box.

    The list shrinks from 16 pt; a stand with so many projects that 7 pt is not enough drops
    the funding lines, and then the last projects, pointing to the stand's page for the rest.
    """
    size = LARGEST_LIST
    while size > SMALLEST_LIST and _list_height(items, size, width) > height:
        size -= 0.5
    if _list_height(items, size, width) <= height:
        return size, items, 0
    names = [Project(item.name, "") for item in items]
    shown = len(names)
    while shown > 1 and _list_height(names[:shown], size, width) + size * 1.5 / PT_PER_MM > height:
        shown -= 1
    return size, names[:shown], len(names) - shown


def floor_plan(plans: list[FloorPlan], stand: Stand) -> FloorPlan | None:
    """The plan of the stand's floor, when the stand is on it."""
    plan = plan_of_floor(plans, stand.location)
    return plan if plan is not None and plan.marker_of(stand) is not None else None


def layout(plan_size: tuple[float, float] | None, items: list[Project]) -> tuple[Box | None, Box, Box]:
    """The plan's, the list's and the code's boxes (A4 mm).

    The plan takes the full width at its own proportions, up to PLAN_TALLEST (and at most
    PLAN_MM_PER_UNIT), centred; when the projects
    would not fit the space left beside the code at a comfortable size, the plan gives up height
    down to PLAN_LOWEST.
    """
    bottom_block = QR_SIZE + QR_LINES
    plan_box = None
    top = PLAN_TOP
    if plan_size is not None:
        plan_aspect = plan_size[0] / plan_size[1]
        height = min(PLAN_TALLEST, WIDTH / plan_aspect, plan_size[1] * PLAN_MM_PER_UNIT)
        wanted = _list_height(items, COMFORTABLE_LIST, LIST_WIDTH) + 10 if items else 0
        room = LIST_BOTTOM - (PLAN_TOP + height + BLOCK_GAP + HEADING)
        if wanted > room:
            height = max(PLAN_LOWEST, height - (wanted - room))
        width = min(WIDTH, height * plan_aspect)
        plan_box = Box(MARGIN + (WIDTH - width) / 2, PLAN_TOP, width, height)
        top = PLAN_TOP + height + BLOCK_GAP
    qr_top = max(top, PAGE_BOTTOM - bottom_block)
    qr_box = Box(MARGIN + WIDTH - QR_SIZE, qr_top, QR_SIZE, QR_SIZE)
    list_box = Box(MARGIN, top + HEADING, LIST_WIDTH, LIST_BOTTOM - (top + HEADING))
    return plan_box, list_box, qr_box


def event_text(event: Event) -> str:
    """The band's first line: which conference, when and where."""
    return f"{event.title} · {format_day(event.date, short=True)} · {event.venue}, {event.building}"


def poster(stand: Stand, scale: float, plans: list[FloorPlan], event: Event) -> Poster:
    """What one stand's poster shows, with sizes for the paper (``scale`` 1 for A4, √2 for A3);
    ``plans`` are the event's floor plans (:func:`fagkonferanse.venue.plan.building_plans`)."""
    logo = stand.organisation.logo
    name_width = WIDTH - (LOGO_SIZE + 6 if logo is not None else 0)
    name = fit_text(stand.organisation.name, name_width, 26, 48, 16, weight="bold")
    event_line = fit_text(event_text(event), WIDTH, 4.5, 9.5, 6)
    found = projects(stand)
    plan = floor_plan(plans, stand)
    drawing = Drawing(id_prefix=f"poster-{stand.id}", links=False, highlight=stand, here=stand,
                      image_href=image_data_uri)
    view = plan_view(plan, drawing) if plan is not None else None
    plan_box, list_box, qr_box = layout((view.width, view.height) if view else None, found)
    size, items, more = fit_list(found, list_box.width, list_box.height)
    svg = None
    if plan is not None and plan_box is not None:
        svg = render_plan(plan, Drawing(id_prefix=drawing.id_prefix, links=False, highlight=stand, here=stand,
                                        image_href=image_data_uri,
                                        size=(f"{plan_box.width * scale:.2f}mm", f"{plan_box.height * scale:.2f}mm")))
    address = short_url(stand)
    url = fit_text(address, WIDTH, 8, 15, 9, weight="bold")
    accent = stand.accent_colour or DEFAULT_ACCENT
    return Poster(stand, event_text(event), round(event_line.size * scale, 1), round(name.size * scale, 1),
                  location_in_words(stand.location), items,
                  round(size * scale, 1), more, address, round(url.size * scale, 1), qr_png_data_uri(poster_url(stand)),
                  accent, text_on(accent), accent if contrast(accent, WHITE) >= AA_TEXT else INK_ON_WHITE,
                  image_data_uri(logo) if logo is not None else None, svg, plan_box,
                  (view.x, view.y, view.width, view.height) if view else None, list_box, qr_box)


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
    plans = building_plans(event, current_language())
    return render_pdf("posters/posters.html", event=event, posters=[poster(stand, scale, plans, event) for stand in chosen],
                      page=(width, height), scale=scale)
