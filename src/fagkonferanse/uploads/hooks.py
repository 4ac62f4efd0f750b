"""The image address, through the plugin hooks."""

from __future__ import annotations

from ..hookspecs import hookimpl
from .views import bp


@hookimpl
def register_blueprints(app):
    return [bp]
