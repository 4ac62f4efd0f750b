"""Account pages, the organisers' menu link and the ``organisers`` commands, through the plugin hooks."""

from __future__ import annotations

import os

import click
from flask import url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..extensions import db
from ..hookspecs import hookimpl
from ..plugin_types import SETTINGS, NavLink
from .admin_views import bp as admin_bp
from .models import Organiser, OrganiserSession
from .services import AccountError, all_organisers, create_organiser, find_organiser, remove_organiser, set_active
from .views import bp

PASSWORD_VARIABLE = "FAGKONFERANSE_ORGANISER_PASSWORD"


@hookimpl
def register_blueprints(app):
    return [bp, admin_bp]


@hookimpl
def navigation_links(area, request):
    if area == "admin":
        return [NavLink(_("Arrangører"), url_for("organisers.index"), order=920, group=SETTINGS)]
    return None


@hookimpl
def register_commands(cli):
    cli.add_command(organisers)
    cli.add_command(create_organiser_command)


@click.group()
def organisers() -> None:
    """Organiser accounts: list, add, deactivate, activate, remove."""


@organisers.command("list")
@with_appcontext
def list_command() -> None:
    """Every account with its state and how many browsers are logged in."""
    counts = dict(db.session.execute(db.select(OrganiserSession.organiser_id, db.func.count(OrganiserSession.id))
                                     .group_by(OrganiserSession.organiser_id)).all())
    for organiser in all_organisers():
        state = "active" if organiser.active else "deactivated"
        if organiser.active and organiser.must_change_password:
            state += ", must choose a password"
        last = f"{organiser.last_login_at:%Y-%m-%d %H:%M} UTC" if organiser.last_login_at else "never"
        click.echo(f"{organiser.email}\t{organiser.name or '-'}\t{state}\tlast login {last}\t"
                   f"{counts.get(organiser.id, 0)} logged-in browser(s)")


@organisers.command("add")
@click.argument("email")
@click.option("--name", default="", help="The organiser's name, shown in the audit log.")
@with_appcontext
def add_command(email: str, name: str) -> None:
    """Add an organiser. The password is asked for, or read from FAGKONFERANSE_ORGANISER_PASSWORD in
    scripts."""
    password = os.environ.get(PASSWORD_VARIABLE) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    _commit(lambda: create_organiser(email, password, name))
    click.echo(f"Organiser {email.strip().lower()} created.")


@organisers.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate_command(email: str) -> None:
    """Keep an organiser out: every login of theirs ends at once; the account stays."""
    organiser = _existing(email)
    _commit(lambda: set_active(organiser, False))
    click.echo(f"Organiser {organiser.email} deactivated and logged out everywhere.")


@organisers.command("activate")
@click.argument("email")
@with_appcontext
def activate_command(email: str) -> None:
    """Let a deactivated organiser log in again."""
    organiser = _existing(email)
    _commit(lambda: set_active(organiser, True))
    click.echo(f"Organiser {organiser.email} can log in again.")


@organisers.command("remove")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def remove_command(email: str, yes: bool) -> None:
    """Delete an organiser's account (the audit log keeps their address as text)."""
    organiser = _existing(email)
    if not yes:
        click.confirm(f"Remove the account of {organiser.email}?", abort=True)
    _commit(lambda: remove_organiser(organiser))
    click.echo(f"Organiser {email.strip().lower()} removed.")


@click.command("create-organiser")
@click.argument("email")
@click.option("--name", default="", help="The organiser's name, shown in the audit log.")
@click.pass_context
def create_organiser_command(context: click.Context, email: str, name: str) -> None:
    """Create an organiser account (the same as 'organisers add')."""
    context.invoke(add_command, email=email, name=name)


def _existing(email: str) -> Organiser:
    organiser = find_organiser(email)
    if organiser is None:
        raise click.ClickException(f"no organiser with e-mail {email.strip().lower()}")
    return organiser


def _commit(change) -> None:
    """Make the change and commit it, or roll back and stop with the reason (exit code 1)."""
    try:
        change()
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
