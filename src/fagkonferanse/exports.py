"""Serve the programme export formats that plugins register (see ``export_formats``)."""

from __future__ import annotations

from flask import Flask, Response

from .events.services import current_event_or_404
from .plugin_types import ExportFormat


def register_export_routes(app: Flask, formats: list[ExportFormat]) -> None:
    """One public URL per export format, rendering the current event."""
    for export in formats:
        app.add_url_rule(export.path, endpoint=f"export_{export.name}", view_func=_view(export))


def _view(export: ExportFormat):
    def serve() -> Response:
        return Response(export.render(current_event_or_404()), mimetype=export.mimetype)

    return serve
