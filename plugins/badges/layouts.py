"""Badge layouts: the sheet a badge is printed on and where each part of a badge goes.

* ``a6``: four A6 badges (105 × 148.5 mm, portrait) on an A4 sheet, with cut marks;
* ``a7``: eight A7 badges (105 × 74.25 mm, landscape) on an A4 sheet, with cut marks;
* ``single``: one badge per page in a size of the organiser's choice (``-O size=90x55``), for
  badge and label printers that cut on their own.

Boxes are worked out in millimetres here rather than in CSS so that :mod:`.fit` can choose font
sizes for exactly the box the text goes in. A4-sheet badges fill the sheet edge to edge (the A6
and A7 holders are that size); every box keeps a margin of at least 6 mm from the badge's edge,
which is more than an office printer's unprintable border.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from flask_babel import gettext as _

from fagkonferanse import PrintOptionError

A4 = (210.0, 297.0)
SIZE_PATTERN = re.compile(r"^\s*(\d{2,3}(?:[.,]\d)?)\s*[x×]\s*(\d{2,3}(?:[.,]\d)?)\s*(?:mm)?\s*$", re.IGNORECASE)
SMALLEST_BADGE = (50.0, 40.0)  # below this a name and a scannable QR code no longer fit side by side
LARGEST_BADGE = (297.0, 420.0)
ORGANISATION_SHARE = 0.62  # of the organisation box, when a municipality is printed under it


@dataclass(frozen=True)
class Box:
    """A rectangle on a badge, in mm from the badge's top-left corner."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class BadgeGeometry:
    """Where the parts of one badge go. Portrait badges stack the parts with the QR code at the
    bottom; landscape badges put the QR code at the right of the text."""

    width: float
    height: float
    header: Box
    name: Box
    organisation: Box
    band: Box
    qr: Box
    door_code: Box  # under the QR code: the short code a person can type at the door
    scale: float  # font sizes are multiplied by this (1 for an A6 or an A7 badge)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def municipality(self) -> Box:
        """The lower part of the organisation box, for the municipality under the organisation."""
        box = self.organisation
        return Box(box.left, box.top + box.height * ORGANISATION_SHARE, box.width, box.height * (1 - ORGANISATION_SHARE))


@dataclass(frozen=True)
class Layout:
    """A page of badges: its size, the grid of badges on it, and whether it has cut marks."""

    key: str
    page: tuple[float, float]
    columns: int
    rows: int
    badge: BadgeGeometry
    cut_marks: bool

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def cell_origin(self, index: int) -> tuple[float, float]:
        """Top-left corner (mm) of the ``index``-th badge on its page, row by row."""
        column, row = index % self.columns, index // self.columns
        return column * self.badge.width, row * self.badge.height

    def cut_lines(self) -> tuple[list[float], list[float]]:
        """x positions of vertical cuts and y positions of horizontal cuts inside the page."""
        return ([self.badge.width * column for column in range(1, self.columns)],
                [self.badge.height * row for row in range(1, self.rows)])

    def cut_marks_uri(self, tick: float = 8.0, arm: float = 3.0) -> str:
        """The sheet's cut marks as one SVG image (a ``data:`` URI): short ticks where each cut
        meets the sheet's edge and a small cross where two cuts meet.

        One image per sheet, the same for every sheet, is drawn far more cheaply than a dozen
        positioned elements (WeasyPrint reads an image once per document).
        """
        width, height = self.page
        xs, ys = self.cut_lines()
        path = [f"M{x:g} 0v{tick:g}M{x:g} {height - tick:g}v{tick:g}" for x in xs]
        path += [f"M0 {y:g}h{tick:g}M{width - tick:g} {y:g}h{tick:g}" for y in ys]
        path += [f"M{x - arm:g} {y:g}h{2 * arm:g}M{x:g} {y - arm:g}v{2 * arm:g}" for x in xs for y in ys]
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}">'
               f'<path d="{"".join(path)}" stroke="#000" stroke-width="0.2" fill="none"/></svg>')
        return "data:image/svg+xml," + quote(svg)


def geometry(width: float, height: float) -> BadgeGeometry:
    """The boxes of a ``width`` × ``height`` mm badge."""
    if width > height:
        return _landscape(width, height)
    return _portrait(width, height)


def _portrait(width: float, height: float) -> BadgeGeometry:
    margin = max(6.0, width * 0.075)
    inner = width - 2 * margin
    code_height = max(3.5, height * 0.035)
    band = Box(0, height * 0.57, width, height * 0.095)
    below_band = height - margin - code_height - (band.top + band.height + 1)  # room for the QR code
    qr_size = min(height * 0.27 - code_height, inner, below_band)
    qr = Box((width - qr_size) / 2, height - margin - code_height - qr_size, qr_size, qr_size)
    return BadgeGeometry(
        width, height,
        header=Box(margin, margin * 0.9, inner, height * 0.09),
        name=Box(margin, height * 0.165, inner, height * 0.24),
        organisation=Box(margin, height * 0.415, inner, height * 0.135),
        band=band,
        qr=qr,
        door_code=Box(margin, qr.top + qr_size, inner, code_height),
        scale=min(width / 105, height / 148.5),
    )


def _landscape(width: float, height: float) -> BadgeGeometry:
    margin = max(5.0, height * 0.08)
    band = Box(0, height * 0.75, width, height * 0.17)
    code_height = max(3.0, height * 0.05)
    qr_size = min(band.top - margin * 0.8 - code_height - 1, width * 0.34)
    qr = Box(width - margin - qr_size, margin * 0.8, qr_size, qr_size)
    text_width = qr.left - margin - 3
    return BadgeGeometry(
        width, height,
        header=Box(margin, margin * 0.7, text_width, height * 0.15),
        name=Box(margin, height * 0.22, text_width, height * 0.30),
        organisation=Box(margin, height * 0.53, text_width, height * 0.19),
        band=band,
        qr=qr,
        door_code=Box(qr.left - 2, qr.top + qr_size, qr_size + 4, code_height),
        scale=min(width / 105, height / 74.25),
    )


def parse_size(text: str) -> tuple[float, float]:
    """"90x55" (mm, width × height) → (90.0, 55.0); a clear error for anything else."""
    match = SIZE_PATTERN.match(text or "")
    if not match:
        raise PrintOptionError(_("size=%(size)s er ikke en størrelse: skriv bredde x høyde i mm, for eksempel 90x55.",
                                 size=text))
    width, height = (float(part.replace(",", ".")) for part in match.groups())
    too_small = min(width, height) < SMALLEST_BADGE[1] or max(width, height) < SMALLEST_BADGE[0]
    if too_small or width > LARGEST_BADGE[0] or height > LARGEST_BADGE[1]:
        raise PrintOptionError(_("size=%(size)s: et navneskilt må være mellom %(smallest)s og %(largest)s mm.",
                                 size=text, smallest="50x40", largest="297x420"))
    return width, height


def layout(key: str, size: str = "") -> Layout:
    """The layout called ``key`` (``a6``, ``a7`` or ``single`` with ``size``)."""
    if key == "a6":
        return Layout("a6", A4, 2, 2, geometry(A4[0] / 2, A4[1] / 2), cut_marks=True)
    if key == "a7":
        return Layout("a7", A4, 2, 4, geometry(A4[0] / 2, A4[1] / 4), cut_marks=True)
    width, height = parse_size(size)
    return Layout("single", (width, height), 1, 1, geometry(width, height), cut_marks=False)
