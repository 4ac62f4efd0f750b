"""The report as every plugin gives it: tables from ``report_tables``, ready to show or write out.

The report plugin answers ``report_tables`` itself with the core's figures, so the page, the PDF,
the CSV and an exhibitor's page all read one list in one way. Cells are turned into text here,
once, with the small-groups rule applied: no output can forget it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from markupsafe import Markup

from fagkonferanse import ReportTable, plugin_manager, slugify

from .charts import chart_svg
from .figures import STAND_HOURS_PREFIX, hour_label, short_day
from .rules import shown_count


@dataclass(frozen=True)
class ShownTable:
    """A table as the report shows it: cells as text ("under 5"), and its chart."""

    table: ReportTable
    anchor: str
    rows: tuple[tuple[str, ...], ...]
    chart: Markup | None

    @property
    def title(self) -> str:
        return self.table.title


def cell(value, for_csv: bool = False) -> str:
    """A cell as shown: counts through the small-groups rule, a day as "3. okt." (ISO in the CSV,
    which a spreadsheet reads as a date), an hour as "09–10", text as it is."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return shown_count(value)
    if isinstance(value, dt.time):
        return hour_label(value)
    if isinstance(value, dt.date):
        return value.isoformat() if for_csv else short_day(value)
    return str(value)


def report_tables(event, stand=None) -> list[ReportTable]:
    """Every plugin's tables for ``event`` (or one ``stand``), sorted by ``order``, then title."""
    answers = plugin_manager().hook.report_tables(event=event, stand=stand)
    tables = [table for answer in answers for table in answer or ()]
    return sorted(tables, key=lambda table: (table.order, table.title))


def shown_tables(event, stand=None, prefix: str = "report") -> list[ShownTable]:
    """The tables with their cells as text and their charts drawn; anchors unique on the page."""
    shown, used = [], set()
    for table in report_tables(event, stand):
        anchor = f"{prefix}-{slugify(table.key) or 'table'}"
        while anchor in used:
            anchor += "-x"
        used.add(anchor)
        rows = tuple(tuple(cell(value) for value in row) for row in table.rows)
        shown.append(ShownTable(table, anchor, rows, chart_svg(table, anchor + "-chart")))
    return shown


def split_stand_hours(tables: list[ShownTable]) -> tuple[list[ShownTable], list[ShownTable]]:
    """The report's tables, and apart from them each stand's scans per hour (``stand-<slug>``,
    from this plugin's ``figures``), which the page and the PDF lay out as a grid of small charts."""
    each = [shown for shown in tables if shown.table.key.startswith(STAND_HOURS_PREFIX)]
    return [shown for shown in tables if shown not in each], each


CSV_HEADER = ("table", "title", "label", "column", "value")


def report_csv(event) -> str:
    """The whole report as long-format CSV: one line per count (table key, table title, row label,
    column, value), values through the small-groups rule. Long format because the tables have
    different columns; a spreadsheet's pivot table turns it back into any table. ``;``-separated
    UTF-8 with a BOM, like the attendee list: what Excel on a Norwegian computer opens correctly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for table in report_tables(event):
        for row in table.rows:
            label = cell(row[0], for_csv=True)
            for column, value in zip(table.columns[1:], row[1:], strict=False):
                writer.writerow((table.key, table.title, label, column, cell(value, for_csv=True)))
    return "\ufeff" + out.getvalue()
