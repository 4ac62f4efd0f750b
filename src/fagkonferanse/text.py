"""Small text helpers shared by the domains."""

from __future__ import annotations

import re
import unicodedata

_NORWEGIAN = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def slugify(text: str, max_length: int = 80) -> str:
    """An ASCII URL slug: "Høgskolen i Østfold" → "hogskolen-i-ostfold"."""
    text = unicodedata.normalize("NFKD", text.translate(_NORWEGIAN))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:max_length].rstrip("-") or "x"
