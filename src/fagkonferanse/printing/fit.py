"""Choosing font sizes so text fits its box: shrink, then wrap, never cut.

Badges and posters print text of any length (a name, an organisation, a list of projects) in
boxes of fixed size. WeasyPrint cannot shrink text to fit, and a box that lets text overflow
prints it over the QR code or past the cut line. So the size is chosen here, in Python, from the
real advance widths of the fonts print templates use (the shipped DejaVu Sans): the largest size
at which the text, wrapped at spaces and after hyphens, fits the box's width and height. A word
wider than the box (a long double-barrelled surname) is broken inside only when no size down to
the smallest one fits otherwise; the template's ``overflow-wrap: anywhere`` then breaks it where
this code assumed (templates using this module set ``line-height: 1.15`` to match). Characters
the font lacks (Chinese, say) count a full em wide, the width of the fallback fonts' ideographs,
so the estimate errs on the safe side.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache


from ..resources import PACKAGE_DIR

STATIC_DIR = PACKAGE_DIR / "static"  # not pdf's: the floor plan measures text without loading WeasyPrint

FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
PT_PER_MM = 72 / 25.4
# Headroom for what the estimate does not model (kerning, shaping, rounding in the layout).
SAFETY = 1.03
LINE_HEIGHT = 1.15
HYPHEN_BREAK = re.compile(r"(?<=\w-)(?=[^\W\d_])")  # after a hyphen, before a letter (not "1-2")


@dataclass(frozen=True)
class Fitted:
    """A size for a text in a box: ``size`` in pt, ``lines`` it takes, ``breaks_words`` if it must."""

    size: float
    lines: int
    breaks_words: bool

    def height_mm(self) -> float:
        return self.lines * self.size * LINE_HEIGHT / PT_PER_MM


class FontWidths:
    """Advance widths of one font, in em, per character (cached)."""

    def __init__(self, weight: str):
        from fontTools.ttLib import TTFont  # here: only print runs need it, every command would pay

        with TTFont(STATIC_DIR / "fonts" / FONT_FILES[weight], lazy=True) as font:
            self._cmap = dict(font.getBestCmap())
            self._advances = dict(font["hmtx"].metrics)
            self._units = font["head"].unitsPerEm
        self._cache: dict[str, float] = {}

    def char(self, character: str) -> float:
        width = self._cache.get(character)
        if width is None:
            glyph = self._cmap.get(ord(character))
            width = self._advances[glyph][0] / self._units if glyph else 1.0
            self._cache[character] = width
        return width

    def text(self, text: str) -> float:
        """Width of ``text`` in em."""
        return sum(self.char(character) for character in text)


@lru_cache(maxsize=2)
def widths(weight: str) -> FontWidths:
    return FontWidths(weight)


def pieces(text: str) -> list[tuple[str, bool]]:
    """The unbreakable pieces of ``text`` and whether a space comes before each.

    Lines break at spaces and after a hyphen between letters ("Wolfeschlegel-" / "Ødegård"), as
    the line breaker (Unicode UAX #14) does.
    """
    found: list[tuple[str, bool]] = []
    for word in text.split():
        parts = HYPHEN_BREAK.split(word)
        for index, part in enumerate(parts):
            if part:
                found.append((part, index == 0))
    return found


def count_lines(words: list[tuple[float, bool]], space: float, box_em: float, break_words: bool) -> int | None:
    """Lines needed to set pieces of the given widths (in em) greedily in ``box_em``.

    Each piece is ``(width, space_before)``. None when a piece is wider than the box and
    ``break_words`` is off.
    """
    lines, used = 1, 0.0
    for word, space_before in words:
        if word > box_em:
            if not break_words:
                return None
            # The piece starts on a fresh line and takes as many full lines as its width needs.
            if used:
                lines += 1
            extra = math.ceil(word / box_em)
            lines += extra - 1
            used = word - (extra - 1) * box_em
            continue
        needed = word if not used else used + (space if space_before else 0.0) + word
        if needed <= box_em:
            used = needed
        else:
            lines += 1
            used = word
    return lines


def fit_text(text: str, width_mm: float, height_mm: float, largest: float, smallest: float,
             weight: str = "regular", step: float = 0.5) -> Fitted:
    """The largest size from ``largest`` down to ``smallest`` (pt) at which ``text`` fits the box.

    Whole words are preferred at every size before any word is broken. If nothing fits even at
    ``smallest`` with broken words, ``smallest`` is returned: the box then grows downwards on the
    page rather than cutting text (the callers' limits on text length keep that from happening).
    """
    # Sizes come in half points: badges then share a handful of sizes, and a document with few
    # distinct styles lays out much faster.
    largest, smallest = math.floor(largest * 2) / 2, max(0.5, math.ceil(smallest * 2) / 2)
    font = widths(weight)
    words = [(font.text(piece) * SAFETY, space_before) for piece, space_before in pieces(text)] or [(0.0, False)]
    space = font.char(" ")
    for break_words in (False, True):
        size = largest
        while size >= smallest - 1e-9:
            box_em = width_mm * PT_PER_MM / size
            lines = count_lines(words, space, box_em, break_words)
            if lines is not None and lines * size * LINE_HEIGHT <= height_mm * PT_PER_MM:
                return Fitted(size, lines, break_words)
            size = round(size - step, 2)
    box_em = width_mm * PT_PER_MM / smallest
    return Fitted(smallest, count_lines(words, space, box_em, True) or 1, True)


def lines_needed(runs: list[tuple[str, str]], width_mm: float, size: float) -> int:
    """How many lines a paragraph of ``(text, weight)`` runs takes at ``size`` pt in a box
    ``width_mm`` wide (a bold name followed by regular text, say; words may break)."""
    words: list[tuple[float, bool]] = []
    for text, weight in runs:
        font = widths(weight)
        words += [(font.text(piece) * SAFETY, space_before) for piece, space_before in pieces(text)]
    return count_lines(words or [(0.0, False)], widths("regular").char(" "), width_mm * PT_PER_MM / size, True) or 1
