"""Where a stand is, in the words a poster uses: "2. etg, trappegangen", "1. etg, rom H-113".

The venue's locations are named for the programme editor ("Trappegangen i 2. etasje"); a poster
next to the stand says the floor first, briefly, and the place in lower case, as people say it.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from fagkonferanse import Location

FLOOR_IN_NAME = re.compile(r"\s+(?:i|på)\s+\d+\.?\s*(?:etasje|etg\.?)\s*$", re.IGNORECASE)


def place_in_words(location: Location) -> str:
    """The place without the floor: "trappegangen", "gangen ved kaffebaren", "rom H-113"."""
    place = FLOOR_IN_NAME.sub("", location.name.strip())
    if location.kind == "room" and not any(c.islower() for c in place[:2]):
        return _("rom %(name)s", name=place)  # a room code such as H-113
    if len(place) > 1 and place[0].isupper() and place[1].islower():
        place = place[0].lower() + place[1:]  # "Gangen ved kaffebaren" → "gangen ved kaffebaren"
    return place


def location_in_words(location: Location | None) -> str:
    """"2. etg, trappegangen"; empty when the stand has no location yet."""
    if location is None:
        return ""
    return _("%(floor)s. etg, %(place)s", floor=location.floor, place=place_in_words(location))
