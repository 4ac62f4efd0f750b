"""The organisers' report page and its CSV: ``/admin/report``, ``/admin/report.csv``.

Both live under ``/admin``, where the core lets only a logged-in organiser in
(``register_blueprints``' contract); the stylesheet is public (the exhibitors' page uses it too).
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from fagkonferanse import current_event_or_404

from .collect import report_csv, shown_tables, split_stand_hours
from .document import made_at

bp = Blueprint("report", __name__, static_folder="static", static_url_path="/static/report")


@bp.get("/admin/report")
def page():
    """Every table of the report with its chart, a link to the CSV and one to the PDF."""
    event = current_event_or_404()
    tables, per_stand = split_stand_hours(shown_tables(event))
    return render_template("report/page.html", event=event, tables=tables, per_stand=per_stand, made=made_at(event))


@bp.get("/admin/report.csv")
def csv_file():
    event = current_event_or_404()
    return Response(report_csv(event), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="rapport-{event.slug}.csv"',
        "Cache-Control": "no-store",
    })
