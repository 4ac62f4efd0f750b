"""Where the project's shipped files live, in a source checkout and in an installed wheel.

The design card keeps ``templates/`` and ``plugins/`` at the top of the repository. A wheel
carries them inside the package (see ``pyproject.toml``), so each lookup tries the package first
and falls back to the checkout.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_DIR = PACKAGE_DIR.parent.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def core_templates_dir() -> Path:
    """The core Jinja templates."""
    return _first_existing(PACKAGE_DIR / "templates", _CHECKOUT_DIR / "templates")


def builtin_plugins_dir() -> Path:
    """The folder of plugins shipped with fagkonferanse (the catalogue, badges, posters …)."""
    return _first_existing(PACKAGE_DIR / "builtin_plugins", _CHECKOUT_DIR / "plugins")


def data_dir() -> Path:
    """Datasets shipped with the package (the 2016 conference)."""
    return PACKAGE_DIR / "data"


def migrations_dir() -> Path:
    """The core's Alembic revisions."""
    return PACKAGE_DIR / "migrations"


def toolkit_version() -> str:
    """The installed fagkonferanse version ("0" in a bare checkout that was never installed)."""
    try:
        return metadata.version("fagkonferanse")
    except metadata.PackageNotFoundError:
        return "0"
