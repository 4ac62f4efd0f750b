"""The print centre at /admin/print: choose a document, preview page 1, make the PDF in the
background (a print job) and download it when it is ready."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from ..events.services import current_event_or_404
from ..i18n import format_moment
from . import (NothingToPrint, PrintOptionError, document_named, document_warnings, jobs, printable_documents,
               render_document)
from .models import DONE, PrintJob
from .preview import first_page_png

bp = Blueprint("printing", __name__, url_prefix="/admin/print")

# Print jobs and their PDFs hold personal data: no browser or proxy keeps a copy.
NO_STORE = {"Cache-Control": "no-store, private"}


@bp.context_processor
def _job_helpers() -> dict:
    # local_time: a stored UTC time as the organiser reads it, "26. november 2026 kl. 14.03" (Oslo).
    return {"local_time": format_moment, "file_size": file_size}


def file_size(size: int) -> str:
    """"850 kB", "1,2 MB" (decimal units, the decimal sign of the page's language)."""
    if size < 1_000_000:
        return f"{format_decimal(max(1, round(size / 1000)))} kB"
    return f"{format_decimal(round(size / 1_000_000, 1))} MB"


@bp.get("/")
def index() -> str:
    event = current_event_or_404()
    jobs.purge_expired()
    documents = printable_documents()
    warnings = {name: document_warnings(document, event) for name, document in documents.items()}
    return render_template("printing/index.html", event=event, documents=documents, warnings=warnings,
                           jobs=jobs.recent_jobs(event), keep_hours=format_decimal(jobs.keep_hours()))


def _document_or_404(name: str):
    document = document_named(name)
    if document is None:
        abort(404)
    return document


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
    if chosen.name != name:  # an earlier name (/admin/print/catalogue/ is the booklet's)
        return redirect(url_for(".document", name=chosen.name, **request.args), 308)
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
    """Start the PDF as a print job and send the organiser to its page (303: a reload does not
    order it twice)."""
    chosen = _document_or_404(name)
    given = _given_options(request.form)
    try:
        job = jobs.submit(name, current_event_or_404(), given, current_user)
    except PrintOptionError as problem:
        return _document_page(chosen, given, str(problem), None), 400
    return redirect(url_for(".job", token=job.token), 303)


def _job_or_404(token: str) -> PrintJob:
    job = jobs.find_job(token)
    if job is None:
        abort(404)
    return job


def _job_with_pdf(token: str) -> tuple[PrintJob, bytes]:
    found = _job_or_404(token)
    pdf = jobs.job_pdf(found.token)
    if pdf is None:
        abort(404)
    return found, pdf


@bp.get("/jobs/<token>")
def job(token: str):
    """A job's state, what was asked for, and the download once it is ready."""
    found = _job_or_404(token)
    document = document_named(found.document)
    options = jobs.describe_options(document, found.options) if document else []
    page = render_template("printing/job.html", event=current_event_or_404(), job=found,
                           title=document.title if document else found.document, options=options,
                           keep_hours=format_decimal(jobs.keep_hours()))
    return page, 200, NO_STORE


@bp.get("/jobs/<token>/status")
def job_status(token: str):
    """Only the job's status and actions, for the page's script to put in place while it waits."""
    return render_template("printing/_job_status.html", job=_job_or_404(token)), 200, NO_STORE


@bp.get("/jobs/<token>.pdf")
def job_pdf(token: str):
    found, pdf = _job_with_pdf(token)
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=f"{found.document}.pdf", max_age=0)
    response.headers.update(NO_STORE)
    return response


@bp.get("/jobs/<token>/print.pdf")
def job_pdf_to_print(token: str):
    """The job's PDF shown, not downloaded, and allowed in a frame of this site's own pages: the
    door page prints a badge by loading it into a hidden frame and calling ``print()``."""
    found, pdf = _job_with_pdf(token)
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                         download_name=f"{found.document}.pdf", max_age=0)
    response.headers.update(NO_STORE)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response


@bp.post("/jobs/<token>/delete")
def delete_job(token: str):
    jobs.delete_job(_job_or_404(token))
    flash(_("Utskriften og PDF-en er slettet."), "success")
    return redirect(url_for(".index"), 303)
