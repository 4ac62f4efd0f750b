"""Account pages and the create-organiser command, through the plugin hooks."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..hookspecs import hookimpl
from .services import AccountError, create_organiser
from .views import bp

PASSWORD_VARIABLE = "FAGKONFERANSE_ORGANISER_PASSWORD"


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def register_commands(cli):
    cli.add_command(create_organiser_command)


@click.command("create-organiser")
@click.argument("email")
@click.option("--name", default="", help="The organiser's name, shown in the audit log.")
@with_appcontext
def create_organiser_command(email: str, name: str) -> None:
    """Create an organiser account. The password is asked for, or read from
    FAGKONFERANSE_ORGANISER_PASSWORD in scripts."""
    password = os.environ.get(PASSWORD_VARIABLE) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        create_organiser(email, password, name)
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"Organiser {email.strip().lower()} created.")
