"""The print centre's pages, navigation link and print-jobs commands, through the plugin hooks."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..hookspecs import hookimpl
from ..plugin_types import PRINT, NavLink
from .commands import print_jobs_group
from .views import bp


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def navigation_links(area, request):
    if area != "admin":
        return None
    return [NavLink(_("Utskrift"), url_for("printing.index"), order=600, group=PRINT)]


@hookimpl
def register_commands(cli):
    cli.add_command(print_jobs_group)
