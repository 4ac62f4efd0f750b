"""Small text helpers shared by the domains."""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def slugify(text: str, max_length: int = 80) -> str:
    """An ASCII URL slug: "Høgskolen i Østfold" → "hogskolen-i-ostfold"."""
    text = unicodedata.normalize("NFKD", text.translate(_NORWEGIAN))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].rstrip("-") or "x"


def email_breaks(address: str) -> Markup:
    """An e-mail address that a narrow screen wraps after its @, where a reader expects it.

    Browsers otherwise break an address at its dots and hyphens, or, with
    ``overflow-wrap: anywhere``, mid-word ("oyvind.han|sen@…"). ``<wbr>`` after the @ gives them
    a better place: ``kari.nordmann@<wbr>moss.kommune.no``; a part longer than the line still
    wraps (``overflow-wrap: break-word`` on the element), as a last resort.
    """
    return Markup(str(escape(address)).replace("@", "@<wbr>"))
