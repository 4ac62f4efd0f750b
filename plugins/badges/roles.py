"""The role band on a badge: Deltaker, Foredragsholder, Utstiller or Arrangør, in its colour.

Which role a person has is the core's business: one field of the registration, set by organisers
on the attendee page or in the import, with speakers following the programme and exhibitors'
staff their stand (``fagkonferanse.registration.roles``). This module only gives each role its
band: all four colours are dark enough for white text at more than 7:1 contrast (WCAG AAA), and
the band always names the role, so a black-and-white printer loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from fagkonferanse import EXHIBITOR, ORGANISER, PARTICIPANT, ROLE_LABELS, SPEAKER


@dataclass(frozen=True)
class Role:
    key: str
    label: object  # lazy string
    colour: str  # band background; the text on it is white


COLOURS = {PARTICIPANT: "#1d4f91", SPEAKER: "#9b1c1c", EXHIBITOR: "#1e6233", ORGANISER: "#222222"}
ROLES = {key: Role(key, label, COLOURS[key]) for key, label in ROLE_LABELS.items()}
