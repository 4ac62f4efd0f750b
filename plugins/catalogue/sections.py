"""The catalogue template's headings, in the order the booklet prints them.

The importer keys sections by short ASCII names (``importer.SHEET_KEYS``); these are the
Norwegian headings a reader sees, exactly as the template words them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .importer import RECIPE_KEYS, SHEET_KEYS

SHEET_SECTIONS = (
    ("kommune", _l("Kort beskrivelse av kommunen")),
    ("prosjekt", _l("Kort beskrivelse av prosjektet")),
    ("maal", _l("Ønskede mål og resultater")),
    ("status", _l("Prosjektets status og fremgang")),
    ("robusthet", _l("Faglig robusthet")),
    ("suksess", _l("Suksesskriterier – prøving og feiling")),
    ("samhandling", _l("Samhandling med relevante aktører")),
    ("overforbarhet", _l("Overførbarhet")),
    ("unikhet", _l("Unikhet")),
    ("kontakt", _l("Kontaktinformasjon")),
)

RECIPE_SECTIONS = (
    ("beskrivelse", _l("Beskrivelse")),
    ("premisser", _l("Premisser")),
    ("styrker", _l("Styrker")),
    ("svakheter", _l("Svakheter")),
    ("overforbarhet", _l("Vurdering av overførbarhet")),
    ("hvor", _l("Hvor")),
)

CONTACT_KEY = "kontakt"

# The importer and the headings must name the same sections in the same order.
assert tuple(key for key, _ in SHEET_SECTIONS) == SHEET_KEYS
assert tuple(key for key, _ in RECIPE_SECTIONS) == RECIPE_KEYS


def ordered(sections: dict, table=SHEET_SECTIONS) -> list[tuple[str, object, list]]:
    """``(key, heading, blocks)`` for the sections present, in template order.

    Order comes from the template, never from the stored mapping: a JSON column on another
    database need not keep key order.
    """
    return [(key, heading, sections[key]) for key, heading in table if sections.get(key)]
