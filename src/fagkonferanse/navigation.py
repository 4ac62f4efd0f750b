"""The site's menus, built from the ``navigation_links`` hook.

The public menu is a short flat list. The organisers' menu holds every admin page of the core
and the plugins (sixteen links and counting), so it is grouped as organisers think of their
work — programme, people, stands and catalogue, print, the door, settings — and each link says
its group (:attr:`~fagkonferanse.plugin_types.NavLink.group`); on a phone the whole menu folds
into one button.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_babel import lazy_gettext as _l

from .events.archive import archive_event_id, shown_in_archive
from .plugin_types import DOOR, PEOPLE, PRINT, PROGRAMME, SETTINGS, STANDS, NavLink

GROUP_LABELS = {
    PROGRAMME: _l("Program"),
    PEOPLE: _l("Personer"),
    STANDS: _l("Stands og katalog"),
    PRINT: _l("Utskrift"),
    DOOR: _l("Døra"),
    SETTINGS: _l("Innstillinger"),
}


@dataclass(frozen=True)
class NavGroup:
    """One group of the organisers' menu: ``key`` is the NavLink's ``group`` (None: the top)."""

    key: str | None
    label: str
    links: tuple[NavLink, ...]


def navigation_links(area: str) -> list[NavLink]:
    """Every plugin's links for ``area`` ("public", "admin", "exports"), sorted by ``order``."""
    pm = current_app.extensions["fagkonferanse.plugins"]
    links = [link for group in pm.hook.navigation_links(area=area, request=request) for link in group or ()]
    if area != "admin" and archive_event_id() is not None:
        # An archive keeps its public pages only: no registration, no ticket search.
        links = [link for link in links if shown_in_archive(link.url)]
    return sorted(links, key=lambda link: link.order)


def group_links(links: list[NavLink]) -> list[NavGroup]:
    """``links`` in menu groups: the ungrouped ones first, then the core's groups in their order,
    then plugins' own groups in the order of their first link. Empty groups are left out."""
    found: dict[str | None, list[NavLink]] = {}
    for link in links:
        found.setdefault(link.group, []).append(link)
    keys = [None, *GROUP_LABELS, *(key for key in found if key is not None and key not in GROUP_LABELS)]
    return [NavGroup(key, str(GROUP_LABELS.get(key, key or "")), tuple(found[key])) for key in keys if key in found]


def navigation_groups(area: str = "admin") -> list[NavGroup]:
    """The organisers' menu as groups (a template global)."""
    return group_links(navigation_links(area))


def current_link(links: list[NavLink], path: str) -> NavLink | None:
    """The link for the page at ``path``: its own address, else the longest one it lies under
    (``/admin/programme/5/edit`` belongs to Program). The dashboard matches itself only."""
    exact = next((link for link in links if link.url == path), None)
    if exact is not None:
        return exact
    under = [link for link in links if _section(link.url) not in ("", "/admin") and path.startswith(_section(link.url) + "/")]
    return max(under, key=lambda link: len(link.url), default=None)


def _section(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
