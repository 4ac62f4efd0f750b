"""Built-in plugin: the programme in the schedule format conference apps read.

``/schedule.xml`` (frab) and ``/schedule.json`` (pretalx) are what Giggity, EventFahrplan,
pyfahrplan and info-beamer load: an attendee adds the conference to the app they already use.
Both are rendered from one :class:`~.model.Schedule`, so guids and times agree between them and
with the iCal and API exports (see :mod:`.identity`).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from fagkonferanse import ExportFormat, NavLink, absolute_url, hookimpl, language_query

from .json_format import render_json
from .model import build_schedule
from .xml_format import render_xml


def render_schedule_xml(event) -> bytes:
    """schedule.xml for the event (frab's layout), in the current locale's language."""
    return render_xml(build_schedule(event), url=absolute_url("export_schedule_xml", **language_query()))


def render_schedule_json(event) -> str:
    """schedule.json for the event (pretalx's layout), in the current locale's language."""
    return render_json(build_schedule(event))


@hookimpl
def export_formats():
    return [
        ExportFormat("schedule_xml", _l("Program for konferanseapper (XML)"), "/schedule.xml",
                     "application/xml", render_schedule_xml),
        ExportFormat("schedule_json", _l("Program for konferanseapper (JSON)"), "/schedule.json",
                     "application/json", render_schedule_json),
    ]


@hookimpl
def navigation_links(area, request):
    if area != "exports":
        return None
    detail = _("for Giggity, EventFahrplan og andre konferanseapper")
    return [
        NavLink(_("Program for konferanseapper (schedule.xml)"), url_for("export_schedule_xml", **language_query()),
                order=30, detail=detail),
        NavLink(_("Program for konferanseapper (schedule.json)"), url_for("export_schedule_json", **language_query()),
                order=31, detail=detail),
    ]
