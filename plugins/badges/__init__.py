"""Built-in plugin: name badges with the door's QR code, printed from the print centre or on arrival.

``fagkonferanse print badges -o navneskilt.pdf`` (or /admin/print/badges/) prints a badge for
every confirmed registration, sorted by surname: name, organisation and municipality, a role band
(Deltaker, Foredragsholder, Utstiller, Arrangør: the registration's own role field) and a QR code
holding the person's check-in URL (``BASE_URL/c/<code>``, nothing personal) with the short door
code under it. Layouts: A6 four-up or A7 eight-up on A4 with cut marks, or one badge per page in
any size for a badge printer. The app remembers what was printed (``badge_prints``), so late
registrations print with "not printed yet"; ``/admin/badges`` lists everyone with their role and
print status. Optionally a badge prints when its person is checked in (``arrival``).

Module map: ``roles`` (band colours) · ``people`` (who,
and what was printed) · ``layouts`` and ``fit`` (geometry, font sizes) · ``render`` (HTML chunks →
PDF on every core) · ``arrival`` (printing on arrival) · ``admin_views``, ``arrival_views`` ·
``models`` · ``static/door.js`` (the door page's half of printing on arrival).
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _

from fagkonferanse import (
    PRINT,
    NavLink,
    PrintableDocument,
    PrintOption,
    base_url_is_local,
    current_event,
    hookimpl,
    split_name,
)

from . import admin_views, arrival_views, models  # noqa: F401  (models: the plugin's tables)
from .arrival import print_on_server_printer, settings_for
from .models import OFF
from .people import badge_choices, badge_holders, not_printed
from .render import render_badges

HERE = Path(__file__).resolve().parent


def _people_choices() -> tuple[tuple[str, str], ...]:
    """Everyone who can get a badge, as "Surname, Given names (Organisation)", in print order."""
    event = current_event()
    if event is None:
        return ()
    choices = []
    for number, name, organisation in badge_choices(event):
        surname, given = split_name(name)
        label = f"{surname}, {given}" if given else surname
        choices.append((str(number), f"{label} ({organisation})" if organisation else label))
    return tuple(choices)


def _local_address_warning(event) -> list[str]:
    """Badges still work at the door with a local address (the scanner reads the code at the end
    of the URL), but a phone's camera app would open an address that leads nowhere."""
    base = current_app.config["BASE_URL"]
    if not base_url_is_local(base):
        return []
    return [_("QR-kodene på navneskiltene peker til %(base)s. Innsjekkingen i døra leser dem likevel, men "
              "en vanlig kamera-app på en telefon åpner en adresse som ikke virker. Sett FAGKONFERANSE_BASE_URL "
              "til konferansens offentlige adresse før navneskiltene skrives ut.", base=base)]


def badges_document() -> PrintableDocument:
    return PrintableDocument(
        "badges", _("Navneskilt"), render_badges,
        description=_("Navneskilt med QR-kode for innsjekking til alle med bekreftet plass, sortert på etternavn."),
        options=(
            PrintOption("layout", _("Format"), (
                ("a6", _("A6, fire per A4-ark, med skjæremerker")),
                ("a7", _("A7, åtte per A4-ark, med skjæremerker")),
                ("single", _("Ett per side (navneskiltskriver)")),
            ), default="a6"),
            PrintOption("size", _("Størrelse for «Ett per side»"), default="90x55",
                        help=_("Bredde x høyde i millimeter, for eksempel 90x55 eller 86x54.")),
            PrintOption("who", _("Hvem"), (
                ("all", _("Alle med bekreftet plass")),
                ("unprinted", _("Bare de som ikke er skrevet ut ennå, eller er endret siden")),
            ), default="all"),
            PrintOption("people", _("Bare disse"), _people_choices(), multiple=True,
                        help=_("Kryss av for å skrive ut for noen få. Ingen avkrysning betyr alle.")),
        ),
        warnings=_local_address_warning,
    )


@hookimpl
def printable_documents():
    return [badges_document()]


@hookimpl
def template_folders():
    return [str(HERE / "templates")]


@hookimpl
def migration_folders():
    return [str(HERE / "migrations" / "versions")]


@hookimpl
def register_blueprints(app):
    return [admin_views.bp]


@hookimpl
def navigation_links(area, request):
    if area == "admin":
        return [NavLink(_("Navneskilt"), url_for("badges_admin.index"), order=610, group=PRINT)]
    return None


@hookimpl
def dashboard_items(event):
    waiting = len(not_printed(badge_holders(event)))
    return [NavLink(_("Navneskilt som ikke er skrevet ut"), url_for("badges_admin.index"), order=60,
                    detail=str(waiting))]


@hookimpl
def door_scripts():
    """The door device prints badges itself only when printing on arrival is on and no printer
    on the server does it; otherwise the door page is left without the script."""
    event = current_event()
    settings = settings_for(event) if event is not None else None
    if settings is None or settings.on_arrival == OFF or settings.printer:
        return None
    return [arrival_views.door_script_url()]


@hookimpl
def after_checkin(checkin):
    print_on_server_printer(checkin)


@hookimpl
def event_copied(source, target, parts):
    """Next year's badges print as this year's did: the settings come with the registration."""
    if source is None or "registration" not in parts:
        return
    old = models.db.session.get(models.BadgeSettings, source.id)
    if old is not None:
        models.db.session.add(models.BadgeSettings(event_id=target.id, on_arrival=old.on_arrival, size=old.size,
                                                   printer=old.printer))
