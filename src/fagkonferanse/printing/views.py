"""The print centre at /admin/print: choose a document, preview page 1, download the PDF."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from ..events.services import current_event_or_404
from . import NothingToPrint, PrintOptionError, find_document, printable_documents, render_document
from .preview import first_page_png

bp = Blueprint("printing", __name__, url_prefix="/admin/print")


@bp.get("/")
def index() -> str:
    return render_template("printing/index.html", event=current_event_or_404(), documents=printable_documents())


def _document_or_404(name: str):
    documents = printable_documents()
    if name not in documents:
        abort(404)
    return documents[name]


def _given_options(source) -> dict[str, str]:
    """The document options in a query or form (not the CSRF token or the "_" preview flag)."""
    return {key: value for key, value in source.items() if key != "csrf_token" and not key.startswith("_")}


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
    return render_template("printing/document.html", event=current_event_or_404(), document=chosen,
                           given=given, error=error,
                           preview_url=url_for(".preview", name=name, **given) if wants_preview and not error else None), status


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
        return render_template("printing/document.html", event=current_event_or_404(), document=chosen,
                               given=given, error=str(problem), preview_url=None), 400
    filename = f"{chosen.name}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
