"""Built-in plugin: a documented, read-only JSON API under ``/api/``.

For the people who build on the conference's data — a department's own web page, an info
screen, a research script — without scraping HTML. ``/api/openapi.json`` describes every
endpoint; other plugins add theirs through the ``openapi_paths`` hook, which this plugin declares
(``hookspecs.py``) and answers for its own endpoints like any other plugin.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from fagkonferanse import NavLink, hookimpl

from . import hookspecs
from .openapi import core_paths
from .views import bp


@hookimpl
def plugin_hookspecs():
    return [hookspecs]


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def openapi_paths():
    return core_paths()


@hookimpl
def navigation_links(area, request):
    if area != "exports":
        return None
    return [NavLink(_("Åpent API (JSON)"), url_for("api.openapi"), order=50,
                    detail=_("beskrevet med OpenAPI, for utviklere"))]


@hookimpl
def archive_endpoints():
    """The API reads one conference's public data: an archive's API answers for that year."""
    return ["api.*"]
