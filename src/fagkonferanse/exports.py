"""Serve the programme export formats that plugins register (see ``export_formats``)."""

from __future__ import annotations

from flask import Flask, Response
from flask_babel import force_locale

from .events.services import current_event_or_404
from .i18n import LANGUAGE_PARAMETER, requested_language
from .pagecache import reads_query
from .plugin_types import ExportFormat


def register_export_routes(app: Flask, formats: list[ExportFormat]) -> None:
    """One public URL per export format, rendering the current event."""
    for export in formats:
        app.add_url_rule(export.path, endpoint=f"export_{export.name}", view_func=_view(export))


def _view(export: ExportFormat):
    @reads_query(LANGUAGE_PARAMETER)
    def serve() -> Response:
        """The file in the language its address asks for (``?lang=en``), Norwegian otherwise:
        ``render`` runs in that locale, so content (:func:`fagkonferanse.content.localized`) and
        fixed words alike follow it, whatever language the visitor's cookie chose for the pages."""
        event = current_event_or_404()
        with force_locale(requested_language()):
            body = export.render(event)
        return Response(body, mimetype=export.mimetype)

    return serve
