"""Plugins import from the package's face and their own package, nothing deeper.

``from fagkonferanse import …`` is the contract: a plugin that imports ``fagkonferanse.<module>``
breaks when the core is reorganised, and one that imports another plugin breaks when that plugin
is switched off. The built-in plugins, the throwaway test plugin and the kursbevis example are
held to the same rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fagkonferanse

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_FOLDERS = [ROOT / "plugins", ROOT / "tests" / "local_plugins",
                  ROOT / "examples" / "fagkonferanse-kursbevis" / "src"]
FORBIDDEN_TOP_LEVEL = ("fagkonferanse_plugins", "fagkonferanse_local")


def plugin_modules() -> list[Path]:
    return sorted(path for folder in PLUGIN_FOLDERS for path in folder.rglob("*.py")
                  if "migrations" not in path.parts)


def boundary_violations(path: Path) -> list[str]:
    """Every import in ``path`` that reaches past the face or out of the plugin's own package."""
    problems = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            if isinstance(node, ast.ImportFrom) and node.level > 1:
                problems.append(f"line {node.lineno}: from {'.' * node.level}{node.module or ''} (another plugin)")
            continue
        for name in names:
            if name.startswith("fagkonferanse.") or name.startswith(FORBIDDEN_TOP_LEVEL):
                problems.append(f"line {node.lineno}: {name}")
    return problems


def test_every_plugin_module_is_checked():
    names = {path.relative_to(ROOT).as_posix() for path in plugin_modules()}
    assert "plugins/booklet/render.py" in names
    assert "tests/local_plugins/throwaway_plugin/__init__.py" in names
    assert "examples/fagkonferanse-kursbevis/src/fagkonferanse_kursbevis/__init__.py" in names


@pytest.mark.parametrize("path", plugin_modules(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_plugins_import_only_the_face_and_their_own_package(path):
    assert boundary_violations(path) == []


def test_the_check_catches_a_deep_import_and_a_sibling_import(tmp_path):
    module = tmp_path / "sneaky.py"
    module.write_text("from fagkonferanse.events.models import Event\nfrom ..catalogue import services\n"
                      "import fagkonferanse_plugins.catalogue\nfrom fagkonferanse import hookimpl\nfrom . import own\n")
    assert boundary_violations(module) == [
        "line 1: fagkonferanse.events.models",
        "line 2: from ..catalogue (another plugin)",
        "line 3: fagkonferanse_plugins.catalogue",
    ]


def test_every_name_of_the_face_is_there_and_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    face = fagkonferanse.__all__
    assert len(face) == len(set(face))
    assert [name for name in face if not hasattr(fagkonferanse, name)] == []
    assert [name for name in face if f"`{name}`" not in readme] == []
