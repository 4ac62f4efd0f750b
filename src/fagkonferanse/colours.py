"""Colours organisers choose (a stand's poster colour), and text that stays readable on them.

WCAG 2.1's contrast ratio, from relative luminance: 4.5:1 for normal text (AA). Any colour has
white or black text at 4.58:1 or more on it, so the poster picks whichever reads better
instead of refusing a colour.
"""

from __future__ import annotations

import re

HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
WHITE, INK = "#ffffff", "#000000"
AA_TEXT = 4.5


def normalise(value: str) -> str | None:
    """"#0B5C8C", "0b5c8c" or "#0bc" as "#0b5c8c"/"#00bbcc"; None if it is not a hex colour."""
    match = HEX.match(value.strip())
    if match is None:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits}"


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of a "#rrggbb" colour."""
    channels = [int(colour[index:index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(background: str) -> str:
    """White or black, whichever has the higher contrast on ``background`` (always ≥ 4.5:1)."""
    return WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK
