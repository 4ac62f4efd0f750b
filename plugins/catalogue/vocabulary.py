"""The words the catalogue's filters use: funding bodies one by one, and target-group categories.

Sheets name their funding body as printed ("IMDi, Fylkesmannen i Østfold og Arbeids- og
velferdsdirektoratet") and their target groups in their own words ("Unge sosialhjelpsmottakere
under 25 år"). Filtering needs values shared by several sheets, so bodies are split into single
names and target groups are sorted into a few broad categories by keyword. The sheet still shows
its own words; the categories only drive the filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from fagkonferanse import slugify

NO_SCHEME = "ingen-ordning"


def funding_bodies(body: str | None) -> list[str]:
    """"IMDi, Fylkesmannen i Østfold og Arbeids- og velferdsdirektoratet" → three names.

    "og" after a hyphen belongs to a name ("Arbeids- og velferdsdirektoratet") and is no separator.
    """
    if not body:
        return []
    parts = re.split(r"\s*,\s*|(?<!-)\s+og\s+", body.strip())
    return [part.strip() for part in parts if part.strip()]


def scheme_key(scheme: str | None) -> str:
    """The URL slug of a funding scheme; sheets without one share ``NO_SCHEME``."""
    return slugify(scheme) if scheme else NO_SCHEME


@dataclass(frozen=True)
class Category:
    key: str
    label: object  # a lazy string
    pattern: re.Pattern[str]


def _category(key: str, label, pattern: str) -> Category:
    return Category(key, label, re.compile(pattern, re.IGNORECASE))


TARGET_CATEGORIES = (
    _category("ungdom", _l("Ungdom og unge voksne"),
              r"\bung(?:dom|e\b|\b)|\b1[5-9]\s*[-–]\s*(?:2\d|30)\s*år|under 25"),
    _category("innvandrere", _l("Innvandrere og flyktninger"),
              r"innvandr|flyktning|\bintro|minoritetsspråklig|familie-?\s*gjenforen|bosetting"),
    _category("barnefamilier", _l("Barnefamilier og lavinntekt"),
              r"barnefamil|lavinntekt|barnefattigdom|\bbarn\b"),
    _category("bolig", _l("Vanskeligstilte på boligmarkedet"), r"bolig|bostedsløs|housing"),
    _category("ytelser", _l("Mottakere av stønad og ytelser"),
              r"sosialhjelp|livsopphold|arbeidsavklaringspenger|stønad"),
    _category("arbeidsevne", _l("Nedsatt arbeidsevne"), r"arbeidsevne|sammensatte behov"),
    _category("kvinner", _l("Kvinner"), r"kvinne"),
)
CATEGORY_LABELS = {category.key: category.label for category in TARGET_CATEGORIES}


def target_categories(target_groups: list[str], project_name: str = "") -> list[str]:
    """Category keys for a sheet, from its target groups and its project's name.

    The name counts too: "Boligveileder i NAV" is about housing even where its target group
    only says "nyetablerte ungdom under 25 år og barnefamilier".
    """
    text = " ".join([*target_groups, project_name])
    return [category.key for category in TARGET_CATEGORIES if category.pattern.search(text)]
