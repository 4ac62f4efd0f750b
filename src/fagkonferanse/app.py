"""The application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pluggy
from flask import Flask, current_app, render_template
from flask_babel import Babel
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import clock, content, database, i18n, navigation, pagecache, ratelimits, security, text, visitor_session
from .accounts import guard
from .events import archive
from .config import default_instance_path, load_config
from .events.services import site_event
from .exports import register_export_routes
from .extensions import csrf, db
from .plugins import build_plugin_manager
from .registration.tokens import grouped as grouped_door_code
from .resources import PACKAGE_DIR, core_templates_dir

PLUGIN_MANAGER_KEY = "fagkonferanse.plugins"


def create_app(
    test_config: dict[str, Any] | None = None, instance_path: str | Path | None = None
) -> Flask:
    """Build the Flask application for one instance folder.

    ``instance_path`` defaults to ``FAGKONFERANSE_INSTANCE`` or ``./instance``; ``test_config``
    overrides everything else (the tests' temporary database, for example).
    """
    instance = Path(instance_path) if instance_path else default_instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance.resolve()),
        static_folder=str(PACKAGE_DIR / "static"),
        template_folder=None,
    )
    load_config(app, test_config)
    clock.install(app)
    app.url_map.converters["int"] = DatabaseIdConverter

    db.init_app(app)
    database.configure_connections(app)
    app.cli.add_command(database.alembic_command)  # Flask-Migrate's commands, loaded when used
    # One Babel per application: Flask-Babel keeps its translations cache on the Babel object,
    # and each application may merge other plugins' catalogues (tests run several in a process).
    Babel(app, locale_selector=i18n.select_locale)
    security.install(app)
    pm = build_plugin_manager(app.config["PLUGIN_FOLDERS"], app.config["DISABLED_PLUGINS"])
    app.extensions[PLUGIN_MANAGER_KEY] = pm
    # Before the guard and CSRF: /arkiv/<slug>/admin is no page at all (404), not a login form.
    archive.install(app, [name for names in pm.hook.archive_endpoints() for name in names or ()])
    guard.install(app)  # before CSRF: an anonymous post to /admin is a 401, not a form error
    csrf.init_app(app)

    _configure_templates(app, pm)
    # Plugins' catalogues first: Flask-Babel merges later ones over earlier ones, so the core's
    # translation of a text wins over a plugin's translation of the same text.
    plugin_catalogues = [str(folder) for folders in pm.hook.translation_folders() for folder in folders or ()]
    app.extensions["babel"].translation_directories[:0] = plugin_catalogues
    for blueprints in pm.hook.register_blueprints(app=app):
        for blueprint in blueprints or ():
            app.register_blueprint(blueprint)
    register_export_routes(app, [f for group in pm.hook.export_formats() for f in group or ()])
    pm.hook.register_commands(cli=app.cli)
    ratelimits.install(app)  # after the blueprints: it wraps the views that carry a limit
    _register_error_pages(app)
    visitor_session.install(app)  # after the other extensions: see its docstring
    pagecache.install(app)  # it reads what every view declares
    archive.wrap(app)  # in front of the page cache: /arkiv/<slug> is moved into SCRIPT_NAME first
    return app


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` for database ids: a number too large for an INTEGER id column (32-bit on
    PostgreSQL) becomes 0.

    No row has id 0, so the view answers its own 404 (HTML or JSON) instead of the database
    driver overflowing into a 500.
    """

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= 2**31 - 1 else 0


def plugin_manager() -> pluggy.PluginManager:
    """The current application's plugin manager."""
    return current_app.extensions[PLUGIN_MANAGER_KEY]


def _configure_templates(app: Flask, pm: pluggy.PluginManager) -> None:
    """Instance overrides → plugin templates → core templates."""
    folders = [Path(app.instance_path) / "templates"]
    for plugin_folders in pm.hook.template_folders():
        folders.extend(Path(folder) for folder in plugin_folders or ())
    folders.append(core_templates_dir())
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    i18n.install_template_translations(app)
    content.install(app)
    app.add_template_filter(i18n.format_day, "day")
    app.add_template_filter(i18n.format_clock, "clock")
    app.add_template_filter(i18n.format_time_range, "time_range")
    app.add_template_filter(i18n.format_moment, "moment")
    app.add_template_filter(grouped_door_code, "door_code")
    app.add_template_filter(text.email_breaks, "email_breaks")
    # Globals rather than a context processor: macros imported without context reach them too.
    app.add_template_global(navigation.navigation_links, "navigation_links")
    app.add_template_global(navigation.navigation_groups, "navigation_groups")
    app.add_template_global(navigation.current_link, "current_link")
    app.add_template_global(i18n.current_language, "current_language")
    app.add_template_global(site_event, "site_event")


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error: Exception) -> tuple[str, int]:
        return render_template("errors/404.html"), 404

    @app.errorhandler(413)
    def too_large(error: Exception):
        """An upload or form over ``MAX_CONTENT_LENGTH``: refused before anything is read or saved."""
        limit_mb = round((app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024))
        if ratelimits.wants_json():
            return ratelimits.json_problem(413, "Content Too Large", f"The request is larger than {limit_mb} MB.")
        return render_template("errors/413.html", limit_mb=limit_mb), 413

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        return render_template("errors/500.html"), 500

    def other_error(error: HTTPException):
        """Refused requests (a form sent twice or too late, a wrong method, a page that is gone) get
        the site's frame and a sentence in the visitor's language, not the server's bare page."""
        if ratelimits.wants_json():
            return ratelimits.json_problem(error.code, error.name, error.description)
        return render_template("errors/error.html", code=error.code), error.code

    for code in (400, 403, 405, 410):
        app.register_error_handler(code, other_error)
