"""The built-in 2016 catalogue is exactly what the importer makes of the booklet."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import BOOKLET, PLUGIN_DIR, booklet_text, plugin


def test_shipped_dataset_is_the_importers_result_on_the_booklet(app):
    dataset = plugin().dataset
    importer = plugin().importer
    built = dataset.build(booklet_text(), importer.load_corrections(), dataset.SOURCE_2016)
    shipped = json.loads(dataset.DATASET_2016.read_text(encoding="utf-8"))
    assert built == shipped
    assert dataset.dumps(built) == dataset.DATASET_2016.read_text(encoding="utf-8")


def test_regeneration_script_writes_the_shipped_file_byte_for_byte(tmp_path):
    booklet_text()
    out = tmp_path / "catalogue.json"
    result = subprocess.run([sys.executable, str(PLUGIN_DIR / "dataset.py"), str(BOOKLET), "-o", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "19 sheets, 3 recipes" in result.stdout
    assert out.read_bytes() == (PLUGIN_DIR / "data" / "catalogue_2016.json").read_bytes()


def test_dataset_reads_back_into_the_importers_dataclasses(app):
    parsed = plugin().dataset.read_2016()
    assert len(parsed.sheets) == 19 and len(parsed.recipes) == 3 and len(parsed.pages) == 1
    assert parsed.sheets[0].project_name == "Jobbsjansen i Moss"
    assert all(problem.line > 0 and problem.message for problem in parsed.problems)
    with pytest.raises(ValueError, match="not a catalogue dataset"):
        plugin().dataset.from_json({"format": "something else"})
