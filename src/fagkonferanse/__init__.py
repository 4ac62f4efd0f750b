"""fagkonferanse: run a professional conference end to end.

This module is the toolkit's face: everything a plugin may use, and the only place a plugin
imports from (``from fagkonferanse import hookimpl, Event, render_pdf``). Built-in plugins keep
to it too (``tests/test_plugin_boundary.py`` fails otherwise). Anything not listed here is the
core's own business and may change without notice. The groups below are described in README.md,
"The plugin API".
"""

from __future__ import annotations

import importlib
import pkgutil

# Where each name lives: module -> names ("name as alias" where the face renames it). The names are
# imported when first used (PEP 562), not when the package is: a command then pays only for the
# modules it touches, and ``fagkonferanse.__main__`` can pause the garbage collector before the heavy
# imports start (see its ``main``). ``tests/test_startup.py`` checks this table against ``__all__``.
_SOURCES: dict[str, tuple[str, ...]] = {
    # --- The application and the plugin manager -----------------------------------------------------
    ".app": ("create_app", "plugin_manager"),
    ".hookspecs": ("hookimpl", "hookspec"),
    # --- Plugins: hooks and what they return --------------------------------------------------------
    ".plugin_types": ("DOOR", "PEOPLE", "PRINT", "PROGRAMME", "SETTINGS", "STANDS", "ExportFormat",
                      "MailKind", "NavLink", "PageSection", "PrintableDocument", "PrintOption", "ReportTable"),
    # --- The database and the models plugins read ---------------------------------------------------
    ".extensions": ("db",),
    ".database": ("is_initialised as database_is_initialised",),
    ".events.models": ("Event", "Organisation"),
    ".programme.models": ("ProgrammeItem", "Speaker"),
    ".registration.models": ("CANCELLED", "CONFIRMED", "WAITING", "Registration"),
    ".stands.models": ("Stand",),
    ".venue.models": ("Location",),
    # --- The conference being shown, and what belongs to it -----------------------------------------
    ".events.phase": ("conference_day",),
    ".events.services": ("current_event", "current_event_or_404"),
    ".programme.services": ("programme_items", "speakers"),
    ".stands.services": ("stand_by_slug", "stands"),
    ".venue.plan": ("FloorPlan", "building_plans", "plan_of_floor"),
    ".venue.plan_svg": ("Drawing", "plan_view", "render_plan"),
    ".registration.roles": ("AUTOMATIC", "EXHIBITOR", "ORGANISER", "PARTICIPANT", "ROLE_LABELS", "SPEAKER",
                            "choose_role", "role_rules"),
    ".registration.agenda": ("MAX_STARS", "feed_selection"),
    ".registration.outbox": ("mail_committed", "queue_mail"),
    ".registration.services": ("status_counts as registration_counts",),
    ".checkin.models": ("CheckIn", "PassportStamp", "StandVisit"),
    ".registration.tokens": ("checkin_url", "grouped"),
    ".checkin.visits": ("poster_url",),
    # --- Work after the answer (the job engine) --------------------------------------------------------
    ".jobs": ("task as job", "every_minute", "enqueue as enqueue_job"),
    # --- Addresses and stable identities ------------------------------------------------------------
    ".identity": ("MAX_ID", "POINT_IN_TIME_LENGTH", "absolute_url", "base_host", "exported_end",
                  "find_in_event", "item_guid", "item_key", "location_guid", "speaker_guid", "zoned"),
    # --- Language, text and the clock ---------------------------------------------------------------
    ".clock": ("utcnow",),
    ".collation": ("sort_key", "split_name", "surname_key"),
    ".content": ("Localized", "localized", "norwegian"),
    ".i18n": ("LANGUAGE_PARAMETER", "current_language", "format_clock", "format_day", "language_query",
              "requested_language"),
    ".text": ("slugify",),
    # --- PDFs and printing --------------------------------------------------------------------------
    ".pdf": ("render_pdf",),
    ".printing": ("NothingToPrint", "PrintOptionError", "base_url_is_local", "in_document_language",
                  "language_option"),
    ".printing.fit": ("LINE_HEIGHT", "PT_PER_MM", "Fitted", "fit_text", "lines_needed"),
    ".printing.jobs": ("submit as submit_print_job",),
    ".printing.models": ("DONE as PRINT_JOB_DONE", "PrintJob"),
    ".printing.parallel": ("Chunk", "render_chunks", "worker_count"),
    ".printing.printers": ("known_printers", "valid_printer_name"),
    ".qr": ("qr_png_data_uri",),
    ".uploads.images": ("image_data_uri",),
    ".colours": ("AA_TEXT", "WHITE", "contrast", "text_on"),
    # --- Pages, forms and the organisers' record ----------------------------------------------------
    ".pagecache": ("note_content_changed", "reads_query", "replay_with"),
    ".accounts.sessions": ("organiser_logged_in",),
    ".resources": ("toolkit_version",),
    ".formfields": ("NumberRange", "strip"),
    ".audit.services": ("diff", "record"),
}


def _origins() -> dict[str, tuple[str, str]]:
    """Each name of the face -> (module, the name there)."""
    origins = {}
    for module, entries in _SOURCES.items():
        for entry in entries:
            name, _as, alias = entry.partition(" as ")
            origins[alias or name] = (module, name)
    return origins


_ORIGIN = _origins()


def _keep_names_of_subpackages() -> None:
    """Let a face name that is also a subpackage's (``stands``) stay the face's function.

    The first import of a subpackage sets the package attribute of its name, hiding the face's
    object. So such a subpackage is imported now (its ``__init__`` is a docstring) and the
    attribute dropped: a look-up then reaches :func:`__getattr__`.
    """
    for module in pkgutil.iter_modules(__path__):
        if module.name in _ORIGIN:
            importlib.import_module(f"{__name__}.{module.name}")
            del globals()[module.name]


_keep_names_of_subpackages()


def __getattr__(name: str):
    try:
        module, attribute = _ORIGIN[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value  # the next look-up is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    # plugins
    "create_app", "plugin_manager", "hookimpl", "hookspec",
    "NavLink", "PageSection", "PrintableDocument", "PrintOption", "ExportFormat", "MailKind", "ReportTable",
    "PROGRAMME", "PEOPLE", "STANDS", "PRINT", "DOOR", "SETTINGS",
    # the database and models
    "db", "database_is_initialised", "Event", "Organisation", "ProgrammeItem", "Speaker",
    "Registration", "CONFIRMED", "WAITING", "CANCELLED", "CheckIn", "StandVisit", "PassportStamp", "Stand",
    "Location",
    # the conference
    "current_event", "current_event_or_404", "conference_day", "programme_items", "speakers", "stands",
    "stand_by_slug", "FloorPlan", "building_plans", "plan_of_floor", "Drawing", "plan_view",
    "render_plan", "AUTOMATIC", "EXHIBITOR", "ORGANISER", "PARTICIPANT", "SPEAKER", "ROLE_LABELS",
    "choose_role", "role_rules", "MAX_STARS", "feed_selection", "queue_mail", "mail_committed", "registration_counts",
    "checkin_url",
    "grouped", "poster_url",
    # the job engine
    "job", "every_minute", "enqueue_job",
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
    "reads_query", "note_content_changed", "replay_with", "organiser_logged_in", "toolkit_version", "NumberRange", "strip", "diff", "record",
]
