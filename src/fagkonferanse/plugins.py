"""The plugin manager: one per application, loading plugins from three sources.

1. the core's own domain modules and the built-in ``plugins/`` folder (registered ``trylast`` so
   an installed plugin can override them),
2. installed packages that declare an entry point in the group ``fagkonferanse``,
3. extra plugin folders named in the instance configuration (``PLUGIN_FOLDERS``).

A plugin folder holds packages (``name/__init__.py``) or single modules (``name.py``); each is
imported under a synthetic parent package so relative imports inside a plugin package work.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import types
from collections.abc import Iterable
from pathlib import Path

import pluggy

from . import hookspecs
from .resources import builtin_plugins_dir

# Core domains contribute their pages through the same hooks a third-party plugin uses.
CORE_PLUGINS = (
    "fagkonferanse.events.hooks",
    "fagkonferanse.programme.hooks",
    "fagkonferanse.stands.hooks",
    "fagkonferanse.venue.hooks",
    "fagkonferanse.uploads.hooks",
    "fagkonferanse.accounts.hooks",
    "fagkonferanse.admin.hooks",
    "fagkonferanse.registration.hooks",
    "fagkonferanse.checkin.hooks",
    "fagkonferanse.printing.hooks",
    "fagkonferanse.commands",
)

BUILTIN_PACKAGE = "fagkonferanse_plugins"


def build_plugin_manager(extra_folders: Iterable[str | Path] = ()) -> pluggy.PluginManager:
    """Create a plugin manager with every plugin loaded and the hook names checked."""
    pm = pluggy.PluginManager("fagkonferanse")
    pm.add_hookspecs(hookspecs)
    for module_name in CORE_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    for module in load_plugin_folder(builtin_plugins_dir(), BUILTIN_PACKAGE):
        pm.register(module, name=module.__name__)
    pm.load_setuptools_entrypoints("fagkonferanse")
    for folder in extra_folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise PluginError(f"plugin folder {folder} does not exist")
        package = "fagkonferanse_local_" + hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:10]
        for module in load_plugin_folder(folder, package):
            if pm.is_registered(module):
                continue
            pm.register(module, name=module.__name__)
    pm.check_pending()
    return pm


class PluginError(Exception):
    """A plugin could not be loaded; the message names the plugin and the reason."""


def load_plugin_folder(folder: Path, package_name: str) -> list[types.ModuleType]:
    """Import every plugin in ``folder`` as a submodule of ``package_name``.

    Modules are cached in ``sys.modules``, so several applications in one process (the tests)
    share one module object per plugin: SQLAlchemy models in a plugin are defined only once.
    """
    if not folder.is_dir():
        return []
    parent = sys.modules.get(package_name)
    if parent is None:
        parent = types.ModuleType(package_name)
        parent.__path__ = [str(folder)]
        sys.modules[package_name] = parent
    modules = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_dir() and (entry / "__init__.py").is_file():
            name = entry.name
        elif entry.suffix == ".py":
            name = entry.stem
        else:
            continue
        try:
            modules.append(importlib.import_module(f"{package_name}.{name}"))
        except Exception as error:  # a broken plugin must name itself, not crash anonymously
            raise PluginError(f"plugin {name!r} in {folder} failed to load: {error}") from error
    return modules


def plugin_summaries(pm: pluggy.PluginManager) -> list[tuple[str, list[str]]]:
    """Each plugin's name with the hooks it implements, for ``fagkonferanse plugins``."""
    rows = []
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin) or repr(plugin)
        hooks = sorted(impl.name for impl in pm.get_hookcallers(plugin) or [])
        rows.append((name, hooks))
    return sorted(rows)
