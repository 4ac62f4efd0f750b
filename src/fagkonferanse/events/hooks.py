"""The event pages, contributed through the plugin hooks like any other feature."""

from __future__ import annotations

from ..hookspecs import hookimpl
from .views import bp


@hookimpl
def register_blueprints(app):
    return [bp]
