"""The ``fagkonferanse`` command: a Flask CLI group over one instance folder.

Plugins add commands through the ``register_commands`` hook; errors that a user can fix are
printed as one line naming the problem, with exit code 1 or 2, never as a traceback.
"""

from __future__ import annotations

import gc
import os
import sys

import click
from flask.cli import FlaskGroup
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from .config import ConfigError
from .plugins import PluginError


def _set_instance(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:
        os.environ["FAGKONFERANSE_INSTANCE"] = value
    return value


class CommandGroup(FlaskGroup):
    """Flask's group, reading other packages' ``flask.commands`` entry points only for a command
    that is not fagkonferanse's own (or for ``--help``): the one installed, Flask-Limiter's
    ``limiter``, imports rich, ~50 ms that every command would pay at start-up."""

    _own_commands_only = False

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        self._own_commands_only = True
        try:
            command = super().get_command(ctx, name)
        finally:
            self._own_commands_only = False
        return command or super().get_command(ctx, name)

    def _load_plugin_commands(self) -> None:
        if not self._own_commands_only:
            super()._load_plugin_commands()


def _create_app():
    from .app import create_app  # here, so that importing this module stays light (see __main__)

    app = create_app()
    end_of_start_up()
    return app


def end_of_start_up() -> None:
    """Resume garbage collection if ``__main__`` paused it, freezing what start-up made (modules,
    models, routes: none of it garbage) so that later passes skip it."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@click.group(cls=CommandGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
@click.option("--instance", metavar="PATH", expose_value=False, is_eager=True, callback=_set_instance,
              help="Instance folder with config and database (default ./instance, or FAGKONFERANSE_INSTANCE).")
def cli() -> None:
    """Run the conference: set up the database, serve the site, print, import."""


# FlaskGroup's --app and --env-file make no sense here: the application is always fagkonferanse.
cli.params = [param for param in cli.params if param.name not in ("app", "env_file")]


def main() -> None:
    """Console-script entry point: one line per error a user can fix, never a traceback."""
    try:
        cli.main(prog_name="fagkonferanse")
    except (ConfigError, PluginError) as error:
        click.echo(f"fagkonferanse: error: {error}", err=True)
        sys.exit(2)
    except OperationalError as error:
        reason = str(error.orig).splitlines()[0] if error.orig else str(error)
        click.echo(f"fagkonferanse: error: cannot use the database: {reason}", err=True)
        sys.exit(1)
    except SQLAlchemyError as error:
        click.echo(f"fagkonferanse: error: database error: {str(error).splitlines()[0]}", err=True)
        sys.exit(1)
