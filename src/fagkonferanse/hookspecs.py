"""Every extension point of fagkonferanse, in one place.

A plugin is a module (or package) with functions decorated ``@hookimpl`` whose names match the
functions below. Built-in features (the catalogue, badges, posters, exports …) are plugins written
exactly like a third-party one; see README.md, "Writing a plugin".

Every hook is called on every plugin that implements it; pluggy returns the answers as a list
(for hooks that return lists, the core concatenates them). A plugin may declare hooks of its own
for other plugins to answer (:func:`plugin_hookspecs`): that is how one plugin reaches another's
data, e.g. the posters ask the catalogue's ``stand_projects`` which projects are at a stand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - imports for type hints only
    import click
    from flask import Blueprint, Flask, Request

    from .plugin_types import ExportFormat, MailKind, NavLink, PageSection, PrintableDocument, ReportTable

hookspec = pluggy.HookspecMarker("fagkonferanse")
hookimpl = pluggy.HookimplMarker("fagkonferanse")


# --- Plugins -----------------------------------------------------------------------------------


@hookspec
def plugin_hookspecs() -> list[Any] | None:
    """Called once while plugins load: the hook specifications this plugin declares.

    Return modules (or classes) holding functions marked ``@hookspec``, as this module does; they
    are added with pluggy's ``add_hookspecs``. Other plugins implement such a hook with
    ``@hookimpl(optionalhook=True)``, so that they still load when the declaring plugin is
    disabled or not installed, and call it through ``plugin_manager().hook.<name>(...)``. A plugin
    that cannot work without another names it in ``requires_plugins`` (a module attribute).
    """


# --- Routes, templates and static files ---------------------------------------------------------


@hookspec
def register_blueprints(app: Flask) -> list[Blueprint] | None:
    """Called once by ``create_app()`` to collect the plugin's Flask blueprints.

    Return a list of blueprints; the core registers each of them. A blueprint may carry its own
    ``template_folder`` and ``static_folder``. Organiser pages belong under ``/admin/...``: the
    core lets nobody but a logged-in organiser reach any address there (``accounts/guard.py``), so
    a plugin's organiser pages need no decorator of their own. Forms are protected against CSRF
    by the core too (Flask-WTF's ``CSRFProtect``).
    """


@hookspec
def template_folders() -> list[str] | None:
    """Called once by ``create_app()``: extra folders searched for Jinja templates.

    Folders are searched after the instance's ``templates/`` override folder and before the core
    templates, so a plugin can both add templates and override core ones.
    """


@hookspec
def translation_folders() -> list[str] | None:
    """Called once by ``create_app()``: folders of the plugin's own message catalogues.

    Each folder is laid out as Flask-Babel expects (``<folder>/en/LC_MESSAGES/messages.mo``); its
    translations are merged with the core's, so a plugin installed from its own package translates
    its texts without touching the core's catalogue.
    """


@hookspec
def migration_folders() -> list[str] | None:
    """Called when migrations run: folders of Alembic revisions for the plugin's own tables.

    A plugin that owns tables ships its revisions as a separate Alembic branch (its first revision
    sets ``branch_labels=("<plugin>",)`` and ``depends_on`` a core revision); ``db upgrade``
    upgrades every branch to its head.
    """


# --- Navigation and page sections --------------------------------------------------------------


@hookspec
def navigation_links(area: str, request: Request) -> list[NavLink] | None:
    """Called on every page render: links for the site navigation.

    ``area`` is ``"public"`` (the attendee site), ``"admin"`` (the organisers' pages) or
    ``"exports"`` (the "Eksporter og abonner" list under the programme: calendar feeds, files
    for conference apps, the API; ``detail`` is shown after the link). Return
    :class:`~fagkonferanse.plugin_types.NavLink` objects for the areas you serve and ``None``
    for the others; they are sorted by ``order``.

    The organisers' menu is grouped: give an admin link its ``group``, one of
    ``fagkonferanse.plugin_types.PROGRAMME``, ``PEOPLE``, ``STANDS`` (stands and catalogue),
    ``PRINT``, ``DOOR`` or ``SETTINGS`` (or a translated label for a group of your own, shown
    after those). A link without a group stands at the top of the menu, beside "Oversikt".
    """


@hookspec
def stand_page_sections(stand: Any, request: Request) -> list[PageSection] | None:
    """Called when ``/stands/<slug>`` is rendered: sections shown on that stand's page.

    ``stand`` is a :class:`~fagkonferanse.stands.models.Stand`. Return
    :class:`~fagkonferanse.plugin_types.PageSection` objects (title and safe HTML); sorted by
    ``order``. The catalogue plugin lists the stand's project sheets here.
    """


@hookspec
def dashboard_items(event: Any) -> list[NavLink] | None:
    """Called when the organisers' dashboard ``/admin`` is rendered: shortcuts and counts.

    Return :class:`~fagkonferanse.plugin_types.NavLink` objects (``detail`` may carry a count).
    """


# --- Printing and export -----------------------------------------------------------------------


@hookspec
def printable_documents() -> list[PrintableDocument] | None:
    """Called when the print centre or ``fagkonferanse print`` lists documents.

    Return :class:`~fagkonferanse.plugin_types.PrintableDocument` objects: a unique ``name``
    (used on the command line), a translated ``title`` and a ``render(event, options) -> bytes``
    function producing a PDF.
    """


@hookspec
def print_asset_folders() -> list[str] | None:
    """Called each time a PDF is laid out: folders whose files the PDF may read.

    Print templates may refer to fonts, images and stylesheets by ``file:`` URL (``Path.as_uri()``)
    only inside the core's ``static`` folder and the folders returned here; every other file, and
    every network URL, is refused. Return the folders holding the plugin's print assets (a logo,
    a font) — not the plugin's whole package, whose source and data need not be readable.
    """


@hookspec
def export_formats() -> list[ExportFormat] | None:
    """Called once by ``create_app()``: programme export formats served on public URLs.

    Return :class:`~fagkonferanse.plugin_types.ExportFormat` objects; the core serves each at its
    ``path`` (e.g. ``/programme.ics``) with its ``mimetype``, calling ``render(event)``. The
    address may ask for a language (``/programme.ics?lang=en``): ``render`` runs in that locale,
    so ``gettext`` and :func:`fagkonferanse.content.localized` give English text where there is one.
    """


# --- Data --------------------------------------------------------------------------------------


@hookspec
def conference_loaded(event: Any, source: str) -> None:
    """Called by ``fagkonferanse init`` after the core loaded a conference into the database.

    ``event`` is the new :class:`~fagkonferanse.events.models.Event`; ``source`` names the
    dataset (``"2016"`` for the built-in one). A plugin loads its part of the dataset here (the
    catalogue loads the 2016 project sheets). Runs inside the same transaction as the core data.
    """


@hookspec
def ticket_page_sections(registration: Any, request: Request) -> list[PageSection] | None:
    """Called when an attendee opens their ticket page (``/ticket/<secret>``): sections for it.

    ``registration`` is the attendee's :class:`~fagkonferanse.registration.models.Registration`
    (the page is theirs alone: its address is their secret). Return
    :class:`~fagkonferanse.plugin_types.PageSection` objects, shown under the ticket, sorted by
    ``order``. Links in them must not carry personal data; the page is never cached.
    """


@hookspec
def mail_kinds() -> list[MailKind] | None:
    """Called when mail is queued or sent: kinds of mail to attendees that the plugin owns.

    Return :class:`~fagkonferanse.plugin_types.MailKind` objects. Queue one with
    ``queue_mail(registration, kind)`` before the commit of the change that causes it and
    ``mail_committed()`` after; it goes through the core's outbox with its retries and limits,
    written in the language the attendee registered in.
    """


@hookspec
def report_tables(event: Any, stand: Any) -> list[ReportTable] | None:
    """Called when the conference report is built: the plugin's figures, as tables of counts.

    ``stand`` is None for the whole conference (the organisers' report page, ``print report``,
    the CSV), or a :class:`~fagkonferanse.stands.models.Stand` when its exhibitor opens their
    self-service page: then return only that stand's figures, nothing of the others'. Return
    :class:`~fagkonferanse.plugin_types.ReportTable` objects holding counts, never names or
    addresses; the report shows 1 to 4 as "under 5".
    """


@hookspec
def personal_data(registration: Any) -> dict[str, Any] | None:
    """Called when an attendee downloads their data (``/ticket/<secret>/data.json``): what the
    plugin stores about them, JSON-ready, under a key of the plugin's own (``{"kursbevis": {…}}``).

    A plugin that stores personal data answers here, so "download my data" stays complete, and
    deletes it with the registration (a foreign key ``ON DELETE CASCADE`` does that).
    """


# --- Registration events -----------------------------------------------------------------------


@hookspec
def after_registration(registration: Any) -> None:
    """Called after an attendee's registration is committed (confirmed or waiting list)."""


@hookspec
def after_checkin(checkin: Any) -> None:
    """Called after an attendee is checked in at the door (not called for a repeated scan).

    Runs on the server for every check-in, whatever the door device is (a browser without
    JavaScript too), inside the request that recorded it: hand slow work (printing) to a
    background job, and never raise — a failure here must not turn a check-in into an error.
    """


# --- The door ----------------------------------------------------------------------------------


@hookspec
def door_scripts() -> list[str] | None:
    """Called when the door page ``/admin/checkin`` is rendered: URLs of extra scripts for it.

    Return a list of URLs (the plugin's own static files, e.g. ``url_for("myplugin.static",
    filename="door.js")``); each is loaded with ``<script src=… defer>`` under the site's CSP
    (same origin only, no inline script). Plugins act on check-ins in the browser by listening
    for the event the door page dispatches on ``document`` after every green check-in::

        document.addEventListener("fk:door-checked-in", (event) => {
          const {registration_id, scan_id} = event.detail;  // a number and a string
        });

    ``registration_id`` is the registration admitted; ``scan_id`` the door device's unique id
    for that check-in (the same id if the event is announced again, e.g. after syncing), so a
    plugin can act once per check-in. A plugin that must also act for check-ins made without
    JavaScript uses ``after_checkin`` on the server.
    """


# --- Command line ------------------------------------------------------------------------------


@hookspec
def register_commands(cli: click.Group) -> None:
    """Called once by ``create_app()`` with the application's CLI group.

    Add ``click`` commands or groups to ``cli``; they appear as ``fagkonferanse <command>``
    and run inside an application context.
    """


# --- Next year's conference and the archives ----------------------------------------------------


@hookspec
def event_copied(source: Any, target: Any, parts: frozenset[str], copied: Any) -> None:
    """Called when an organiser creates a new conference (``/admin/conferences/new`` or
    ``fagkonferanse events new``), after the core copied its own part of ``source``.

    ``source`` is the earlier :class:`~fagkonferanse.events.models.Event` (None when nothing is
    copied), ``target`` the new one; ``parts`` the parts the organiser chose, a set of
    ``"venue"``, ``"stands"``, ``"registration"`` and ``"programme"``; ``copied`` maps what the
    core copied by the old row's id (``copied.stands[old_id]`` is the new
    :class:`~fagkonferanse.stands.models.Stand`; also ``locations``, ``floors``, ``items`` and
    ``questions``). A plugin copies its own per-event data that belongs to a chosen part (the
    badges plugin copies its settings with ``"registration"``). Runs in the same transaction,
    before the commit; never commit here. The return value is ignored.
    """


@hookspec
def archive_endpoints() -> list[str] | None:
    """Called once by ``create_app()``: the plugin's public pages shown in archives too.

    An earlier conference stays browsable under ``/arkiv/<slug>/``, where every page sees that
    conference as the current one (``current_event()``), and ``url_for`` keeps links inside the
    archive. Only endpoints named here are served there — anything else answers 404, so forms,
    tickets and organiser pages of an old conference never open. Return endpoint names
    (``"catalogue.sheet"``) or whole blueprints (``"catalogue.*"``) of GET pages that show only
    public, per-event content; nothing personal, nothing that writes.
    """


@hookspec
def attendees_anonymised(event: Any) -> None:
    """Called when the retention time of a past conference is over and its attendees have just
    been anonymised (``fagkonferanse events anonymise`` or the worker's daily sweep).

    ``event`` is the :class:`~fagkonferanse.events.models.Event`. The core has already removed
    names, addresses, answers and tokens from its registrations and the door's records; a plugin
    removes whatever personal data of that conference's attendees it keeps itself. Runs in the
    same transaction, before the commit. The return value is ignored.
    """
