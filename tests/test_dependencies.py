"""requirements.lock pins every package make run and make test install, within pyproject's ranges.

A fresh clone installs with ``pip install -c requirements.lock``: a dependency missing from the
lock would come in at whatever version is newest that day, and a pin outside pyproject's range
would make the install fail. Either way the clone would not run what the suite ran.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def declared() -> list[Requirement]:
    """The runtime dependencies and the test extra."""
    return [Requirement(text) for text in PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["test"]]


def pins() -> dict[str, Version]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    malformed = [line for line in entries if line.count("==") != 1]
    assert malformed == [], "every line of requirements.lock must be NAME==VERSION"
    return {canonicalize_name(name): Version(version) for name, version in (line.split("==") for line in entries)}


def test_every_declared_dependency_is_pinned_within_its_range():
    locked = pins()
    unpinned = [str(req) for req in declared() if canonicalize_name(req.name) not in locked]
    outside = [f"{req} (locked {locked[canonicalize_name(req.name)]})" for req in declared()
               if canonicalize_name(req.name) in locked and locked[canonicalize_name(req.name)] not in req.specifier]
    assert unpinned == [], "declared in pyproject.toml but missing from requirements.lock (run make lock)"
    assert outside == [], "requirements.lock pins a version pyproject.toml does not allow (run make lock)"


def test_everything_installed_for_them_is_pinned_at_the_version_installed():
    """Walks the installed dependency tree: indirect dependencies are pinned too, and this
    environment (made by make install-test) holds exactly the locked versions."""
    locked = pins()
    missing, differing, seen = [], [], set()
    todo = [(req, frozenset(req.extras)) for req in declared()]
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        installed = Version(metadata.version(name))
        if name not in locked:
            missing.append(name)
        elif locked[name] != installed:
            differing.append(f"{name}: locked {locked[name]}, installed {installed}")
        for text in metadata.requires(name) or ():
            sub = Requirement(text)
            wanted = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in wanted):
                todo.append((sub, frozenset(sub.extras)))
    assert sorted(set(missing)) == [], "installed but not pinned in requirements.lock (run make lock)"
    assert differing == []
