"""The plugin manager: one per application, loading plugins from three sources.

1. the built-in ``plugins/`` folder (the catalogue, badges, posters …),
2. installed packages that declare an entry point in the group ``fagkonferanse``,
3. extra plugin folders named in the instance configuration (``PLUGIN_FOLDERS``).

Every plugin is registered under a short name: its folder's or module's name, or its entry
point's name. ``DISABLED_PLUGINS`` (``disabled_plugins`` in ``config.toml``) names plugins that
are not loaded at all: no pages, navigation, commands or print documents. A plugin names the
plugins it needs in a module attribute, ``requires_plugins = ["catalogue"]``; start-up stops
with a message when one of them is missing or disabled.

A plugin may declare hooks of its own (``plugin_hookspecs``), which other plugins implement
with ``@hookimpl(optionalhook=True)`` so that they still load when the declaring plugin is off.

The core's domains (events, programme, registration …) contribute their pages through the same
hooks; they are registered first, under their module names, and cannot be switched off.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import sys
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pluggy

from . import hookspecs
from .resources import builtin_plugins_dir

CORE_PLUGINS = (
    "fagkonferanse.events.hooks",
    "fagkonferanse.programme.hooks",
    "fagkonferanse.stands.hooks",
    "fagkonferanse.venue.hooks",
    "fagkonferanse.uploads.hooks",
    "fagkonferanse.accounts.hooks",
    "fagkonferanse.admin.hooks",
    "fagkonferanse.registration.hooks",
    "fagkonferanse.messaging.hooks",
    "fagkonferanse.checkin.hooks",
    "fagkonferanse.printing.hooks",
    "fagkonferanse.commands",
)

# Plugin folders are imported as subpackages of these parents, so a plugin package's relative
# imports of its *own* modules work. Plugins never import each other (tests/test_plugin_boundary.py).
BUILTIN_PACKAGE = "fagkonferanse_plugins"
ENTRY_POINT_GROUP = "fagkonferanse"


class PluginError(Exception):
    """A plugin could not be loaded; the message names the plugin and the reason."""


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering where each plugin came from and which were switched off."""

    def __init__(self) -> None:
        super().__init__(ENTRY_POINT_GROUP)
        self.sources: dict[str, str] = {}  # name -> "core", "built-in", "installed (…)" or a folder
        self.disabled: dict[str, Callable[[], object]] = {}  # name -> how to import it (migrations)

    def disabled_migration_folders(self) -> list[str]:
        """The migration folders of disabled plugins: their tables stay, and Alembic must still
        know their revisions to upgrade the others."""
        folders = []
        for load in self.disabled.values():
            hook = getattr(load(), "migration_folders", None)
            folders.extend(hook() or () if hook else ())
        return folders


@dataclass(frozen=True)
class PluginInfo:
    """One row of ``fagkonferanse plugins``."""

    name: str
    source: str  # "core", "built-in", "installed (<distribution> <version>)" or the folder
    hooks: tuple[str, ...]
    disabled: bool = False
    requires: tuple[str, ...] = ()


def build_plugin_manager(extra_folders: Iterable[str | Path] = (),
                         disabled: Iterable[str] = ()) -> PluginManager:
    """Create a plugin manager with every enabled plugin loaded and checked."""
    disabled = set(disabled)
    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    for module_name in CORE_PLUGINS:
        if module_name in disabled:
            raise PluginError(f"{module_name} is part of the core and cannot be disabled")
        pm.register(importlib.import_module(module_name), name=module_name)
        pm.sources[module_name] = "core"

    loaders = {name: partial(importlib.import_module, f"{BUILTIN_PACKAGE}.{name}")
               for name in plugin_folder_entries(builtin_plugins_dir())}
    for folder in extra_folders:
        if not Path(folder).is_dir():
            raise PluginError(f"plugin folder {folder} does not exist")
        loaders.update((name, partial(importlib.import_module, f"{local_package(folder)}.{name}"))
                       for name in plugin_folder_entries(Path(folder)))
    installed = _entry_points()  # read once: scanning the installed distributions is slow
    loaders.update((ep.name, ep.load) for ep in installed)
    unknown = sorted(disabled - set(loaders))
    if unknown:
        raise PluginError(f"disabled_plugins names {', '.join(unknown)}, which is not installed "
                          f"(installed: {', '.join(sorted(loaders))})")
    for name in disabled:
        pm.set_blocked(name)
        pm.disabled[name] = loaders[name]

    _register_folder(pm, builtin_plugins_dir(), BUILTIN_PACKAGE, "built-in")
    for ep in installed:
        if pm.is_blocked(ep.name):
            continue
        if pm.has_plugin(ep.name):
            raise PluginError(f"the installed plugin {ep.name!r} has the name of a plugin already loaded")
        try:
            plugin = ep.load()
        except Exception as error:
            raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: {error}") from error
        pm.register(plugin, name=ep.name)
        dist = ep.dist
        pm.sources[ep.name] = f"installed ({dist.name} {dist.version})" if dist else "installed"
    for folder in extra_folders:
        _register_folder(pm, Path(folder), local_package(folder), str(Path(folder).resolve()))

    for specs in pm.hook.plugin_hookspecs():
        for spec in specs or ():
            pm.add_hookspecs(spec)
    check_requirements(pm)
    pm.check_pending()
    return pm


def local_package(folder: str | Path) -> str:
    """The parent package of one local plugin folder's plugins (one per folder: two folders may
    hold plugins of the same module name)."""
    return "fagkonferanse_local_" + hashlib.sha1(str(Path(folder).resolve()).encode()).hexdigest()[:10]


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    return sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def plugin_folder_entries(folder: Path) -> list[str]:
    """The plugin names in ``folder``: packages (``name/__init__.py``) and modules (``name.py``)."""
    if not folder.is_dir():
        return []
    names = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_dir() and (entry / "__init__.py").is_file():
            names.append(entry.name)
        elif entry.suffix == ".py":
            names.append(entry.stem)
    return names


def _register_folder(pm: PluginManager, folder: Path, package: str, source: str) -> None:
    for module in load_plugin_folder(folder, package, skip=pm.is_blocked):
        name = module.__name__.rpartition(".")[2]
        if pm.is_registered(module):
            continue
        if pm.has_plugin(name):
            raise PluginError(f"plugin {name!r} in {folder}: a plugin of that name is already loaded")
        pm.register(module, name=name)
        pm.sources[name] = source


def load_plugin_folder(folder: Path, package_name: str, skip=lambda name: False) -> list[types.ModuleType]:
    """Import every plugin in ``folder`` (but those ``skip`` names) as a submodule of ``package_name``.

    Modules are cached in ``sys.modules``, so several applications in one process (the tests)
    share one module object per plugin: SQLAlchemy models in a plugin are defined only once.
    """
    if package_name not in sys.modules:
        parent = types.ModuleType(package_name)
        parent.__path__ = [str(folder)]
        sys.modules[package_name] = parent
    modules = []
    for name in plugin_folder_entries(folder):
        if skip(name):
            continue
        try:
            modules.append(importlib.import_module(f"{package_name}.{name}"))
        except Exception as error:  # a broken plugin must name itself, not crash anonymously
            raise PluginError(f"plugin {name!r} in {folder} failed to load: {error}") from error
    return modules


def check_requirements(pm: pluggy.PluginManager) -> None:
    """Stop when a plugin's ``requires_plugins`` names a plugin that is not loaded."""
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin)
        for needed in getattr(plugin, "requires_plugins", ()):
            if pm.has_plugin(needed):
                continue
            why = "is disabled (disabled_plugins in config.toml)" if pm.is_blocked(needed) else "is not installed"
            raise PluginError(f"plugin {name!r} needs the plugin {needed!r}, which {why}")


def plugin_table(pm: PluginManager) -> list[PluginInfo]:
    """Every plugin with its source and hooks, and the disabled ones, for ``fagkonferanse plugins``."""
    rows = []
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin) or repr(plugin)
        hooks = tuple(sorted(impl.name for impl in pm.get_hookcallers(plugin) or []))
        rows.append(PluginInfo(name, pm.sources.get(name, "registered at run time"), hooks,
                               requires=tuple(getattr(plugin, "requires_plugins", ()))))
    rows.extend(PluginInfo(name, "", (), disabled=True) for name in pm.disabled)
    return sorted(rows, key=lambda row: (row.source != "core", row.name))
