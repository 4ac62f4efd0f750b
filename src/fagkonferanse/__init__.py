"""fagkonferanse: run a professional conference end to end.

This module is the toolkit's face: everything a plugin may use, and the only place a plugin
imports from (``from fagkonferanse import hookimpl, Event, render_pdf``). Built-in plugins keep
to it too (``tests/test_plugin_boundary.py`` fails otherwise). Anything not listed here is the
core's own business and may change without notice. The groups below are described in README.md,
"The plugin API".
"""

from .app import create_app, plugin_manager
from .hookspecs import hookimpl, hookspec

# --- Plugins: hooks and what they return ----------------------------------------------------------
from .plugin_types import (
    DOOR,
    PEOPLE,
    PRINT,
    PROGRAMME,
    SETTINGS,
    STANDS,
    ExportFormat,
    MailKind,
    NavLink,
    PageSection,
    PrintableDocument,
    PrintOption,
)

# --- The database and the models plugins read -----------------------------------------------------
from .extensions import db
from .database import is_initialised as database_is_initialised
from .events.models import Event, Organisation
from .programme.models import ProgrammeItem, Speaker
from .registration.models import CONFIRMED, Registration
from .stands.models import Stand
from .venue.models import Location

# --- The conference being shown, and what belongs to it ---------------------------------------------
from .events.phase import conference_day
from .events.services import current_event, current_event_or_404
from .programme.services import programme_items, speakers
from .stands.services import stand_by_slug, stands
from .venue.plan import FloorPlan, building_plans, plan_of_floor
from .venue.plan_svg import Drawing, plan_view, render_plan
from .registration.roles import (
    AUTOMATIC,
    EXHIBITOR,
    ORGANISER,
    PARTICIPANT,
    ROLE_LABELS,
    SPEAKER,
    choose_role,
    role_rules,
)
from .registration.agenda import MAX_STARS, feed_selection
from .registration.outbox import mail_committed, queue_mail
from .checkin.models import CheckIn
from .registration.tokens import checkin_url, grouped
from .checkin.visits import poster_url

# --- Addresses and stable identities --------------------------------------------------------------
from .identity import (
    MAX_ID,
    POINT_IN_TIME_LENGTH,
    absolute_url,
    base_host,
    exported_end,
    find_in_event,
    item_guid,
    item_key,
    location_guid,
    speaker_guid,
    zoned,
)

# --- Language, text and the clock ------------------------------------------------------------------
from .clock import utcnow
from .collation import sort_key, split_name, surname_key
from .content import Localized, localized, norwegian
from .i18n import (
    LANGUAGE_PARAMETER,
    current_language,
    format_clock,
    format_day,
    language_query,
    requested_language,
)
from .text import slugify

# --- PDFs and printing -----------------------------------------------------------------------------
from .pdf import render_pdf
from .printing import NothingToPrint, PrintOptionError, base_url_is_local, in_document_language, language_option
from .printing.fit import LINE_HEIGHT, PT_PER_MM, Fitted, fit_text, lines_needed
from .printing.jobs import submit as submit_print_job
from .printing.models import DONE as PRINT_JOB_DONE, PrintJob
from .printing.parallel import Chunk, render_chunks, worker_count
from .printing.printers import known_printers, valid_printer_name
from .qr import qr_png_data_uri
from .uploads.images import image_data_uri
from .colours import AA_TEXT, WHITE, contrast, text_on

# --- Pages, forms and the organisers' record -------------------------------------------------------
from .pagecache import note_content_changed, reads_query
from .resources import toolkit_version
from .formfields import NumberRange, strip
from .audit.services import diff, record

__all__ = [
    # plugins
    "create_app", "plugin_manager", "hookimpl", "hookspec",
    "NavLink", "PageSection", "PrintableDocument", "PrintOption", "ExportFormat", "MailKind",
    "PROGRAMME", "PEOPLE", "STANDS", "PRINT", "DOOR", "SETTINGS",
    # the database and models
    "db", "database_is_initialised", "Event", "Organisation", "ProgrammeItem", "Speaker",
    "Registration", "CONFIRMED", "CheckIn", "Stand", "Location",
    # the conference
    "current_event", "current_event_or_404", "conference_day", "programme_items", "speakers", "stands",
    "stand_by_slug", "FloorPlan", "building_plans", "plan_of_floor", "Drawing", "plan_view",
    "render_plan", "AUTOMATIC", "EXHIBITOR", "ORGANISER", "PARTICIPANT", "SPEAKER", "ROLE_LABELS",
    "choose_role", "role_rules", "MAX_STARS", "feed_selection", "queue_mail", "mail_committed", "checkin_url",
    "grouped", "poster_url",
    # addresses and identities
    "absolute_url", "base_host", "zoned", "exported_end", "find_in_event", "item_key", "item_guid",
    "speaker_guid", "location_guid", "MAX_ID", "POINT_IN_TIME_LENGTH",
    # language, text, clock
    "utcnow", "sort_key", "split_name", "surname_key", "Localized", "localized", "norwegian",
    "LANGUAGE_PARAMETER", "current_language", "format_day", "format_clock", "language_query",
    "requested_language", "slugify",
    # PDFs and printing
    "render_pdf", "NothingToPrint", "PrintOptionError", "base_url_is_local",
    "in_document_language", "language_option", "LINE_HEIGHT", "PT_PER_MM", "Fitted", "fit_text",
    "lines_needed", "submit_print_job", "PrintJob", "PRINT_JOB_DONE", "Chunk", "render_chunks",
    "worker_count", "known_printers", "valid_printer_name", "qr_png_data_uri", "image_data_uri",
    "AA_TEXT", "WHITE", "contrast", "text_on",
    # pages, forms, audit
    "reads_query", "note_content_changed", "toolkit_version", "NumberRange", "strip", "diff", "record",
]
