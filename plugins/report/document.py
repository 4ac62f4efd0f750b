"""The report as a print document (``fagkonferanse print report``; the print centre): A4, a cover
with the conference, its organisers and when the report was made, then every table with its chart.

The charts are the page's own SVG, so the printed report and the page never disagree.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fagkonferanse import render_pdf, utcnow

from .collect import shown_tables, split_stand_hours


def made_at(event):
    """Now, on the conference's clock (naive): when the report was made, for its cover."""
    return utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)


def render_report(event, options) -> bytes:
    tables, per_stand = split_stand_hours(shown_tables(event))
    return render_pdf("report/print.html", event=event, tables=tables, per_stand=per_stand, made=made_at(event))
