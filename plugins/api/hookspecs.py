"""The hook the API plugin declares, for plugins that serve JSON of their own under ``/api/``."""

from __future__ import annotations

from typing import Any

from fagkonferanse import hookspec


@hookspec
def openapi_paths() -> dict[str, dict[str, Any]] | None:
    """Called when ``/api/openapi.json`` is served: the plugin's read-only API endpoints.

    A plugin that serves JSON under ``/api/`` (through ``register_blueprints``) describes it here,
    so the one OpenAPI 3.1 document covers the whole API. Return a mapping from path (OpenAPI
    spelling: ``/api/catalogue/{slug}``) to an OpenAPI Path Item object. Schemas are written
    inline or refer to the API's shared ones (``{"$ref": "#/components/schemas/Stand"}``, listed
    in ``plugins/api/schemas.py``). Describing a path another plugin already describes is an
    error. Implement it with ``@hookimpl(optionalhook=True)``: the API may be switched off.
    """
