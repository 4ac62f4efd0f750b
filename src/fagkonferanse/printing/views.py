"""The print centre at /admin/print: choose a document, preview page 1, download the PDF."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from ..events.services import current_event_or_404
from . import NothingToPrint, PrintOptionError, document_warnings, printable_documents, render_document
from .preview import first_page_png

bp = Blueprint("printing", __name__, url_prefix="/admin/print")


@bp.get("/")
def index() -> str:
    event = current_event_or_404()
    documents = printable_documents()
    warnings = {name: document_warnings(document, event) for name, document in documents.items()}
    return render_template("printing/index.html", event=event, documents=documents, warnings=warnings)


def _document_or_404(name: str):
    documents = printable_documents()
    if name not in documents:
        abort(404)
    return documents[name]


def _given_options(source) -> dict[str, str]:
    """The document options in a query or form (not the CSRF token or the "_" preview flag).

    A name given several times (checkboxes of a multiple-choice option) becomes one
    comma-separated value, as on the command line.
    """
    return {key: ",".join(value for value in source.getlist(key) if value) for key in source
            if key != "csrf_token" and not key.startswith("_")}


def _document_page(chosen, given: dict[str, str], error: str | None, preview_url: str | None):
    event = current_event_or_404()
    return render_template("printing/document.html", event=event, document=chosen, given=given, error=error,
                           warnings=document_warnings(chosen, event), preview_url=preview_url)


@bp.get("/<name>/")
def document(name: str):
    """The document's options and, once chosen, a preview of its first page."""
    chosen = _document_or_404(name)
    given = _given_options(request.args)
    wants_preview = bool(request.args)
    error = None
    if wants_preview:
        try:
            render_document(name, current_event_or_404(), given, preview=True)
        except (PrintOptionError, NothingToPrint) as problem:
            error = str(problem)
    status = 400 if error else 200
    preview_url = url_for(".preview", name=name, **given) if wants_preview and not error else None
    return _document_page(chosen, given, error, preview_url), status


@bp.get("/<name>/preview.png")
def preview(name: str) -> Response:
    _document_or_404(name)
    try:
        pdf = render_document(name, current_event_or_404(), _given_options(request.args), preview=True)
    except (PrintOptionError, NothingToPrint) as problem:
        return Response(str(problem), status=400, mimetype="text/plain")
    return Response(first_page_png(pdf), mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.post("/<name>/download")
def download(name: str):
    chosen = _document_or_404(name)
    given = _given_options(request.form)
    try:
        pdf = render_document(name, current_event_or_404(), given)
    except (PrintOptionError, NothingToPrint) as problem:
        return _document_page(chosen, given, str(problem), None), 400
    filename = f"{chosen.name}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
