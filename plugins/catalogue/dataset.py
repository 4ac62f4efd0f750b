"""The built-in 2016 catalogue: the importer's result on the booklet, as JSON in ``data/``.

The booklet's text is not shipped; what is shipped is ``data/catalogue_2016.json``, the parsed
catalogue after ``data/corrections_2016.json``. Regenerate it after changing the importer or the
corrections (a test checks the shipped file is exactly what this produces)::

    python plugins/catalogue/dataset.py ../shared/seeds/000_7cea0bc938596cf3.txt

This module needs no Flask and no database, so it also runs as a plain script.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

if __package__:
    from .importer import (CORRECTIONS_2016, ParsedCatalogue, ParsedPage, ParsedRecipe, ParsedSheet,
                           Problem, apply_corrections, load_corrections, parse_catalogue)
else:  # run as a script: the importer sits beside this file
    from importer import (CORRECTIONS_2016, ParsedCatalogue, ParsedPage, ParsedRecipe,  # type: ignore
                          ParsedSheet, Problem, apply_corrections, load_corrections, parse_catalogue)

FORMAT = "fagkonferanse/catalogue@1"
DATASET_2016 = Path(__file__).resolve().parent / "data" / "catalogue_2016.json"
SOURCE_2016 = "Østfold prosjektkatalog 2016 (booklet text), with data/corrections_2016.json"


def build(text: str, corrections: dict | None, source: str = "") -> dict[str, Any]:
    """Parse booklet text, apply the corrections, and return the JSON-ready dataset."""
    parsed = parse_catalogue(text)
    if corrections:
        parsed = apply_corrections(parsed, corrections)
    return to_json(parsed, source)


def to_json(parsed: ParsedCatalogue, source: str = "") -> dict[str, Any]:
    """The dataset for a parsed catalogue: ``format`` and ``source``, then the dataclasses."""
    return {"format": FORMAT, "source": source, **dataclasses.asdict(parsed)}


def from_json(data: dict[str, Any]) -> ParsedCatalogue:
    """Read a dataset back into the importer's dataclasses (what the loader takes)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a catalogue dataset (format {data.get('format')!r}, expected {FORMAT!r})")
    return ParsedCatalogue(
        sheets=[ParsedSheet(**sheet) for sheet in data["sheets"]],
        recipes=[ParsedRecipe(**recipe) for recipe in data["recipes"]],
        pages=[ParsedPage(**page) for page in data["pages"]],
        problems=[Problem(**problem) for problem in data["problems"]],
    )


def dumps(data: dict[str, Any]) -> str:
    """The file's exact text: stable, readable in a diff, UTF-8 letters kept as they are."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def read_2016() -> ParsedCatalogue:
    """The shipped 2016 catalogue."""
    return from_json(json.loads(DATASET_2016.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the built-in catalogue dataset.")
    parser.add_argument("booklet", type=Path, help="the booklet's plain text (UTF-8)")
    parser.add_argument("--corrections", type=Path, default=CORRECTIONS_2016)
    parser.add_argument("-o", "--output", type=Path, default=DATASET_2016)
    args = parser.parse_args(argv)
    data = build(args.booklet.read_text(encoding="utf-8"), load_corrections(args.corrections), SOURCE_2016)
    args.output.write_text(dumps(data), encoding="utf-8")
    print(f"Wrote {args.output}: {len(data['sheets'])} sheets, {len(data['recipes'])} recipes, "
          f"{len(data['pages'])} pages, {len(data['problems'])} unplaced fragments")
    return 0


if __name__ == "__main__":
    sys.exit(main())
