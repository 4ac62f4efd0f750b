"""Badges as a PDF: choose who, fit each badge's text, lay the sheets out on every core.

The Jinja template renders a chunk of sheets at a time in this process (it needs the app for
translations and date formats); the layout of each chunk — the expensive part — and its QR codes
happen in worker processes (:mod:`fagkonferanse.printing.parallel`). Font sizes are chosen
here so nothing overflows (:mod:`fagkonferanse.printing.fit`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import gettext as _

from fagkonferanse import (
    Chunk,
    Event,
    Fitted,
    NothingToPrint,
    checkin_url,
    fit_text,
    format_day,
    grouped,
    render_chunks,
    worker_count,
)

from .layouts import ORGANISATION_SHARE, Box, Layout, layout
from .people import BadgeHolder, badge_holders, mark_printed, not_printed
from .roles import ROLES

# Badges per worker document, about: large enough that starting a document (fonts, CSS) is
# paid rarely, small enough that a worker's memory stays low and both cores get work.
CHUNK_BADGES = 125


@dataclass(frozen=True)
class FittedText:
    """A text with the size it prints at and how far down its box it starts (to centre it).

    Sizes are half points and offsets half millimetres, named by CSS classes (``f58`` is 29 pt,
    ``o3`` 1.5 mm) that the chunk's stylesheet defines: elements without a ``style`` attribute
    share their computed style, which took about a quarter off the layout work per badge.
    """

    text: str
    size: float
    offset: float = 0.0  # mm

    @classmethod
    def centred(cls, text: str, fitted: Fitted, box: Box) -> FittedText:
        offset = max(0.0, (box.height - fitted.height_mm()) / 2)
        return cls(text, fitted.size, math.floor(offset * 2) / 2)

    @property
    def css_class(self) -> str:
        size = f"f{round(self.size * 2)}"
        return f"{size} o{round(self.offset * 2)}" if self.offset else size


@dataclass(frozen=True)
class BadgeView:
    """One badge ready for the template: its cell on the sheet, its texts and its QR placeholder."""

    cell: int
    name: FittedText
    organisation: FittedText | None
    municipality: FittedText | None
    role_label: str
    role_key: str
    qr: str  # the placeholder the worker replaces with the code's image
    door_code: str  # "K7QM-4XT2"


def chunk_styles(views: list[BadgeView], top: Header) -> tuple[list[float], list[float]]:
    """The font sizes (pt) and offsets (mm) a chunk uses, for its size classes."""
    texts = [text for view in views for text in (view.name, view.organisation, view.municipality) if text]
    texts.append(top.text)
    return sorted({text.size for text in texts}), sorted({text.offset for text in texts if text.offset})


def select_people(event: Event, options: dict) -> list[BadgeHolder]:
    """The badges asked for, sorted by surname; NothingToPrint says why there are none.

    Chosen people are read alone (one badge on arrival must not read the whole list)."""
    wanted = options.get("people") or ""
    if wanted:
        holders = badge_holders(event, sorted({int(value) for value in wanted.split(",")}))
    else:
        holders = badge_holders(event)
        if not holders:
            raise NothingToPrint(_("Ingen har en bekreftet påmelding ennå, så det er ingen navneskilt å skrive ut."))
    if options.get("who") == "unprinted":
        holders = not_printed(holders)
        if not holders:
            raise NothingToPrint(_("Alle navneskiltene er allerede skrevet ut. Velg «Alle» for å skrive dem ut på nytt."))
    if not holders:
        raise NothingToPrint(_("Ingen av de valgte personene har en bekreftet påmelding."))
    return holders


def _municipality(holder: BadgeHolder) -> str:
    """The municipality, unless the organisation already names it ("Moss kommune", "Moss")."""
    municipality = holder.municipality.strip()
    if not municipality or municipality.casefold() in holder.organisation.casefold():
        return ""
    return municipality


def badge_view(holder: BadgeHolder, chosen: Layout, cell: int, qr_index: int) -> BadgeView:
    """Fit one person's text into the layout's boxes."""
    geometry, scale = chosen.badge, chosen.badge.scale
    name_box = geometry.name
    name = fit_text(holder.name, name_box.width, name_box.height, 30 * scale, 7 * scale, weight="bold")
    organisation = municipality = None
    org_box = geometry.organisation
    municipality_text = _municipality(holder)
    if holder.organisation:
        height = org_box.height * ORGANISATION_SHARE if municipality_text else org_box.height
        fitted = fit_text(holder.organisation, org_box.width, height, 15 * scale, 5.5 * scale)
        organisation = FittedText(holder.organisation, fitted.size)
    if municipality_text:
        box = geometry.municipality
        fitted = fit_text(municipality_text, box.width, box.height, 12 * scale, 5.5 * scale)
        municipality = FittedText(municipality_text, fitted.size)
    role = ROLES[holder.role]
    return BadgeView(cell, FittedText.centred(holder.name, name, name_box), organisation, municipality,
                     str(role.label), role.key, f"qr:{qr_index}", grouped(holder.door_code) if holder.door_code else "")


@dataclass(frozen=True)
class Header:
    """What every badge of an event repeats: "<title> · 9. november 2016", and the band's size.

    One paragraph, not a bold date on its own line: each line of text costs layout time on
    every badge, and thousands of badges must print in seconds.
    """

    text: FittedText
    band_size: float
    code_size: float  # the door code under the QR code (every code is as long)


def header(event: Event, chosen: Layout) -> Header:
    geometry, scale = chosen.badge, chosen.badge.scale
    box = geometry.header
    text = f"{event.title} · {format_day(event.date, short=True)}"
    fitted = fit_text(text, box.width, box.height, 9 * scale, 4.5 * scale)
    band = geometry.band
    longest = max((str(role.label) for role in ROLES.values()), key=len)
    band_fit = fit_text(longest, band.width - 8, band.height * 0.85, 22 * scale, 6, weight="bold")
    code = geometry.door_code
    code_fit = fit_text("WWWW-WWWW", code.width, code.height * 0.95, 11 * scale, 5, weight="bold")
    return Header(FittedText(text, fitted.size), band_fit.size, code_fit.size)


def chunk_size(chosen: Layout, total: int) -> int:
    """Badges per chunk: about CHUNK_BADGES, in whole sheets, and an even number of chunks so
    both workers finish together (1000 badges: 8 chunks of 128, not 8 of 124 and one of 8)."""
    count = max(1, round(total / CHUNK_BADGES))
    workers = worker_count(count)
    count = math.ceil(count / workers) * workers
    sheets = math.ceil(math.ceil(total / count) / chosen.per_page)
    return max(1, sheets) * chosen.per_page


def chunks(event: Event, holders: list[BadgeHolder], chosen: Layout) -> Iterator[Chunk]:
    """The document's HTML in chunks of whole sheets, with the check-in URL of every badge.

    A generator: the first chunk is being laid out in a worker while the next is written.
    """
    base_url = current_app.config["BASE_URL"]
    top = header(event, chosen)
    size = chunk_size(chosen, len(holders))
    for start in range(0, len(holders), size):
        part = holders[start:start + size]
        views = [badge_view(holder, chosen, index % chosen.per_page, index) for index, holder in enumerate(part)]
        sheets = [views[first:first + chosen.per_page] for first in range(0, len(views), chosen.per_page)]
        sizes, offsets = chunk_styles(views, top)
        html = render_template("badges/sheets.html", event=event, layout=chosen, sheets=sheets, header=top,
                               roles=ROLES, sizes=sizes, offsets=offsets)
        yield Chunk(html, tuple(checkin_url(base_url, holder.checkin_code) for holder in part))


def render_badges(event: Event, options: dict) -> bytes:
    """The badges PDF. A real print (not a preview) is remembered for "not printed yet"."""
    chosen = layout(options.get("layout") or "a6", options.get("size") or "")
    holders = select_people(event, options)
    if options.get("preview"):
        # Page one only: the organiser sees the layout, and nothing is remembered.
        return render_chunks(chunks(event, holders[:chosen.per_page], chosen), count=1)
    pdf = render_chunks(chunks(event, holders, chosen),
                        count=math.ceil(len(holders) / chunk_size(chosen, len(holders))))
    mark_printed(holders, chosen.key)
    return pdf
