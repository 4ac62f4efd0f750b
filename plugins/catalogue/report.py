"""The catalogue's part of the conference report: how often each project sheet was read.

Counts only (see :mod:`.reads`). The whole conference gets its most read sheets; an exhibitor
gets the sheets shown at its own stand, each with its reads, and nothing of the others'.
"""

from __future__ import annotations

from flask_babel import gettext as _

from fagkonferanse import Event, ReportTable, Stand, db

from .models import ProjectSheet
from .reads import reads_by_sheet

TABLE_KEY = "catalogue-reads"
MOST_READ = 20
ORDER = 70


def read_tables(event: Event, stand: Stand | None) -> list[ReportTable]:
    """One table for the report (none when the conference or the stand has no sheets)."""
    if stand is None:
        sheets = _sheets(ProjectSheet.event_id == event.id)
    else:
        sheets = _sheets(ProjectSheet.event_id == event.id, ProjectSheet.stand_id == stand.id)
    if not sheets:
        return []
    counts = reads_by_sheet([sheet.id for sheet in sheets])
    # Most read first; equal counts in the booklet's order (``_sheets`` gives it, sorted() keeps it).
    ranked = sorted(sheets, key=lambda sheet: -counts.get(sheet.id, 0))
    columns = (_("Prosjektark"), _("Lesninger"))
    if stand is None:
        rows = tuple((_label(sheet), counts[sheet.id]) for sheet in ranked if sheet.id in counts)[:MOST_READ]
        return [ReportTable(TABLE_KEY, _("Mest leste prosjektark"), columns, rows, chart="bars", order=ORDER,
                            note=_("Hvor mange ganger hvert prosjektark ble åpnet i den digitale "
                                   "katalogen, uten arrangørene og søkemotorenes roboter. De %(count)d "
                                   "mest leste.", count=MOST_READ))]
    # The stand's published sheets, read or not; a hidden one only if it was read before it was hidden.
    rows = tuple((_label(sheet), counts.get(sheet.id, 0)) for sheet in ranked
                 if sheet.is_published or sheet.id in counts)
    return [ReportTable(TABLE_KEY, _("Lesninger av standens prosjektark"), columns, rows, chart="bars",
                        order=ORDER, note=_("Hvor mange ganger prosjektarkene ble åpnet i den digitale "
                                            "katalogen."))]


def _sheets(*conditions) -> list[ProjectSheet]:
    """Every sheet (hidden ones too: their reads happened) in the booklet's order."""
    return list(db.session.scalars(db.select(ProjectSheet).where(*conditions)
                                   .order_by(ProjectSheet.position, ProjectSheet.id)))


def _label(sheet: ProjectSheet) -> str:
    return sheet.project_name or sheet.slug
