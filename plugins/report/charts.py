"""Charts for the report, drawn as inline SVG: the same drawing on the page and in the PDF.

Why hand-written SVG and not a chart library: a dozen lines per chart, no script, nothing fetched,
and WeasyPrint draws it exactly as the browser does. The SVG has no viewBox: positions across are
percentages of the width and heights are pixels, so the text keeps its size on a phone (a scaled
drawing would shrink it to nothing) while the bars stretch to the width there is.

Black and white first: one dark fill on white, every number written beside (bars) or above
(columns) its bar in dark text, so nothing depends on colour. A count of 1 to 4 draws no bar and
says "under 5" instead. The chart is an image with a title for screen readers; the table beside
it holds the same numbers for reading.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from markupsafe import Markup, escape

from fagkonferanse import ReportTable

from .figures import short_day
from .rules import is_suppressed, shown_count

FILL = "#083f61"  # the site's --accent-strong: 11.1:1 on white; prints as a dark grey
INK = "#111"
BAR_SHARE = 72  # per cent of the width the longest bar takes; the rest is for its number
ROW = 44  # px per bar: a label line, then the bar
COLUMN_AREA = 150  # px of the tallest column
MIN_SLOTS = 8


def first_counts(table: ReportTable) -> list[tuple[str, int]]:
    """(label, first count) of each row: what the chart draws."""
    return [(label_text(row[0]), int(row[1] or 0)) for row in table.rows if len(row) > 1]


def label_text(label) -> str:
    """A row's label as the chart writes it: a day as "3. okt.", an hour by its start ("09", which
    fits under a narrow column; the table beside says "09–10"), anything else as text."""
    if isinstance(label, dt.time):
        return f"{label.hour:02d}"
    return short_day(label) if isinstance(label, dt.date) else str(label)


def _peak(values: list[int]) -> int:
    return max((value for value in values if not is_suppressed(value)), default=0)


def _frame(chart_id: str, title: str, height: int, body: str, kind: str, columns: int = 0) -> Markup:
    label = _("Diagram: %(title)s. Tallene står i tabellen.", title=title)
    width = f' style="min-width: {columns * 3.2:.1f}em"' if columns else ""
    return Markup(
        f'<svg class="report-chart report-chart-{kind}" xmlns="http://www.w3.org/2000/svg" width="100%" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-title"{width}>'
        f'<title id="{chart_id}-title">{escape(label)}</title>{body}</svg>')


def bars_svg(table: ReportTable, chart_id: str) -> Markup:
    """Horizontal bars, one per row in the order given: the label above, the number at the end."""
    rows = first_counts(table)
    peak = _peak([value for _label, value in rows])
    parts = []
    for index, (label, value) in enumerate(rows):
        top = index * ROW
        parts.append(f'<text x="0" y="{top + 15}" font-size="14" fill="{INK}">{escape(label)}</text>')
        share = value / peak * BAR_SHARE if peak and not is_suppressed(value) else 0
        if share:
            parts.append(f'<rect x="0" y="{top + 21}" width="{share:.2f}%" height="16" fill="{FILL}"/>')
        parts.append(f'<text x="{share + 1:.2f}%" y="{top + 34}" font-size="13" font-weight="bold" '
                     f'fill="{INK}">{escape(shown_count(value))}</text>')
    return _frame(chart_id, table.title, max(len(rows) * ROW, ROW), "".join(parts), "bars")


def columns_svg(table: ReportTable, chart_id: str) -> Markup:
    """Columns in time order: the number above each column, the label (a day, an hour) below."""
    rows = first_counts(table)
    peak = _peak([value for _label, value in rows])
    # At least MIN_SLOTS slots: two days of registrations draw two columns, not two walls.
    slot = 100 / max(len(rows), MIN_SLOTS)
    base = COLUMN_AREA + 34  # the baseline: room above the tallest column for its number
    parts = [f'<line x1="0" x2="100%" y1="{base}" y2="{base}" stroke="{INK}" stroke-width="1"/>']
    for index, (label, value) in enumerate(rows):
        middle = (index + 0.5) * slot
        height = value / peak * COLUMN_AREA if peak and not is_suppressed(value) else 0
        if height:
            parts.append(f'<rect x="{middle - slot * 0.3:.3f}%" y="{base - height:.1f}" width="{slot * 0.6:.3f}%" '
                         f'height="{height:.1f}" fill="{FILL}"/>')
        if is_suppressed(value):
            # Two short lines, so narrow columns keep their words apart.
            under, _space, limit = shown_count(value).rpartition(" ")
            parts.append(f'<text x="{middle:.3f}%" y="{base - 20}" font-size="13" text-anchor="middle" fill="{INK}">'
                         f'{escape(under)}</text><text x="{middle:.3f}%" y="{base - 6}" font-size="13" '
                         f'text-anchor="middle" fill="{INK}">{escape(limit)}</text>')
        else:
            parts.append(f'<text x="{middle:.3f}%" y="{base - height - 6:.1f}" font-size="13" font-weight="bold" '
                         f'text-anchor="middle" fill="{INK}">{escape(shown_count(value))}</text>')
        parts.append(f'<text x="{middle:.3f}%" y="{base + 18}" font-size="13" text-anchor="middle" '
                     f'fill="{INK}">{escape(label)}</text>')
    return _frame(chart_id, table.title, base + 26, "".join(parts), "timeline", columns=len(rows))


def chart_svg(table: ReportTable, chart_id: str) -> Markup | None:
    """The table's chart, or None when it asks for none or has no rows."""
    if not table.rows or table.chart not in ("bars", "timeline"):
        return None
    return columns_svg(table, chart_id) if table.chart == "timeline" else bars_svg(table, chart_id)
