"""Configuration: defaults → instance ``config.toml`` or ``config.py`` → environment → test config.

Environment variables start with ``FAGKONFERANSE_``: ``FAGKONFERANSE_DATABASE_URL``,
``FAGKONFERANSE_SECRET_KEY`` and ``FAGKONFERANSE_BASE_URL`` (the public address printed QR codes
point to). Any other config key can be set the same way (``FAGKONFERANSE_PLUGIN_FOLDERS``, JSON).
"""

from __future__ import annotations

import os
import secrets
import socket
import tomllib
from pathlib import Path
from typing import Any

from flask import Flask

from .private_files import private_folder

SECRET_KEY_FILE = "secret_key"

# Where links point when no base_url is configured and no server says where it listens
# (commands such as `print`, tests): `serve`'s own default address.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
# Hosts that mean "every interface": an address to listen on, not one anybody can open.
WILDCARD_HOSTS = ("0.0.0.0", "::", "")

# Friendly names accepted in config.toml and the environment, mapped to Flask's keys.
ALIASES = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "RATE_LIMIT_ENABLED": "RATELIMIT_ENABLED"}


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file or variable at fault."""


def default_instance_path() -> Path:
    """``FAGKONFERANSE_INSTANCE`` or ``./instance`` in the current directory."""
    return Path(os.environ.get("FAGKONFERANSE_INSTANCE") or "instance").resolve()


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` from every source in order; later sources win."""
    instance = Path(app.instance_path)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'fagkonferanse.db'}",
        PLUGIN_FOLDERS=[],
        DISABLED_PLUGINS=[],
        BABEL_DEFAULT_LOCALE="nb",
        BABEL_DEFAULT_TIMEZONE="Europe/Oslo",
        LANGUAGES=["nb", "en"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        # Mail to attendees (registration/mail.py): SMTP when MAIL_SERVER is set, otherwise every
        # message is written to MAIL_OUTBOX (default <instance>/outbox) as an .eml file.
        MAIL_SERVER=None,
        MAIL_PORT=587,
        MAIL_USE_TLS=True,
        MAIL_USE_SSL=False,
        MAIL_USERNAME=None,
        MAIL_PASSWORD=None,
        MAIL_FROM="fagkonferanse <noreply@localhost>",
        MAIL_TIMEOUT=10,
        MAIL_OUTBOX=None,
        # The job engine (jobs.py): None runs tasks at once in commands and tests, and gives
        # serve and worker an SQLite queue in the instance; "redis://host:6379/0" for several machines.
        JOB_QUEUE_URL=None,
        # Whether `serve` starts and supervises a `fagkonferanse worker` beside it: False on the app
        # servers of several machines, where the worker runs on its own (as `serve --no-worker`).
        SERVE_STARTS_WORKER=True,
        # Rate limits (ratelimits.py, Flask-Limiter): RATE_LIMITS overrides limits by name, e.g.
        # {"register": "40/minute"}. "memory://" counts per worker process; a shared store such as
        # "redis://host:6379" counts across workers and machines.
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATE_LIMITS={},
        # Largest request accepted (uploads included), answered with a friendly 413 beyond it:
        # room for the attendee import's own 5 MB limit plus the form around the file.
        MAX_CONTENT_LENGTH=6 * 1024 * 1024,
        # Anonymous poster visits handed to the job engine in batches of at most this many seconds
        # (checkin/visit_buffer.py); None: written at once, except under `serve --production` (1 s).
        STAND_VISIT_BATCH_SECONDS=None,
        # SQLite's PRAGMA synchronous (database.py): "normal" keeps every commit through a crash
        # or kill of the server; "full" also through a power cut, at a disk flush per commit.
        SQLITE_SYNCHRONOUS="normal",
        # Print jobs (printing/jobs.py): "queue" (the job engine), "inline" (in the request) or
        # "module:function" (hand the job to another queue); finished PDFs and their jobs are
        # deleted this many hours after they were ordered.
        PRINT_JOB_RUNNER="queue",
        PRINT_JOB_KEEP_HOURS=24,
        # A job still running (or queued) this long lost its worker and is run again.
        PRINT_JOB_STALLED_SECONDS=300,
    )
    _load_instance_file(app, instance)
    app.config.from_prefixed_env("FAGKONFERANSE")
    if test_config:
        app.config.from_mapping(test_config)
    for alias, key in ALIASES.items():
        if alias in app.config:
            app.config[key] = app.config.pop(alias)
    # Without a configured base URL, `serve` puts the address it listens on in its place.
    app.config["BASE_URL_CONFIGURED"] = "BASE_URL" in app.config
    app.config["BASE_URL"] = str(app.config.get("BASE_URL", DEFAULT_BASE_URL)).rstrip("/")
    app.config["SQLALCHEMY_DATABASE_URI"] = _with_installed_driver(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(instance)
    _check(app.config)


def served_base_url(host: str, port: int) -> str:
    """The base URL of a server listening on ``host:port``, for links when none is configured.

    ``make run PORT=5100`` must not mail ticket links to port 5000. A wildcard host listens on
    every interface; the machine's host name is the address other devices on the network are
    most likely to reach it by (set ``base_url`` for anything public).
    """
    if host in WILDCARD_HOSTS:
        host = socket.gethostname()
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _load_instance_file(app: Flask, instance: Path) -> None:
    toml_file, py_file = instance / "config.toml", instance / "config.py"
    if toml_file.is_file():
        try:
            values = tomllib.loads(toml_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{toml_file}: {error}") from error
        app.config.from_mapping({key.upper(): value for key, value in values.items()})
    if py_file.is_file():
        try:
            app.config.from_pyfile(str(py_file))
        except Exception as error:  # any error in a user's config.py is reported the same way
            raise ConfigError(f"{py_file}: {type(error).__name__}: {error}") from error


def _with_installed_driver(url: Any) -> Any:
    """``postgresql://…`` means psycopg 3 here (the driver fagkonferanse installs)."""
    if isinstance(url, str):
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _instance_secret_key(instance: Path) -> str:
    """Read the instance's secret key, generating it on first run (never a fixed default)."""
    key_file = instance / SECRET_KEY_FILE
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    private_folder(instance)  # it will hold the database, backups and mail: this user's only
    key = secrets.token_hex(32)
    key_file.touch(mode=0o600)
    key_file.write_text(key + "\n", encoding="utf-8")
    return key


SQLITE_SYNCHRONOUS_MODES = ("normal", "full", "extra")


def _check(config: dict[str, Any]) -> None:
    url = config["SQLALCHEMY_DATABASE_URI"]
    if not isinstance(url, str) or "://" not in url and not url.startswith("sqlite:"):
        raise ConfigError(f"DATABASE_URL is not a database URL: {url!r}")
    base = config["BASE_URL"]
    if not base.startswith(("http://", "https://")):
        raise ConfigError(f"BASE_URL must start with http:// or https://, not {base!r}")
    if str(config["SQLITE_SYNCHRONOUS"]).lower() not in SQLITE_SYNCHRONOUS_MODES:
        raise ConfigError(f"SQLITE_SYNCHRONOUS must be one of {', '.join(SQLITE_SYNCHRONOUS_MODES)}, "
                          f"not {config['SQLITE_SYNCHRONOUS']!r}")
    queue = config["JOB_QUEUE_URL"]
    if queue and not str(queue).startswith(("immediate", "sqlite:///", "redis://", "rediss://", "unix://")):
        raise ConfigError(f"JOB_QUEUE_URL = {queue!r}: give 'immediate', 'sqlite:///path' or 'redis://host:port/db'")
    if not isinstance(config["PLUGIN_FOLDERS"], list | tuple):
        raise ConfigError("PLUGIN_FOLDERS must be a list of folder paths")
    disabled = config["DISABLED_PLUGINS"]
    if not isinstance(disabled, list | tuple) or not all(isinstance(name, str) for name in disabled):
        raise ConfigError('DISABLED_PLUGINS must be a list of plugin names, e.g. ["posters"]')
    _check_keep_hours(config["PRINT_JOB_KEEP_HOURS"])


# Print jobs hold personal data (badges): kept for hours, a year at most. A larger number made
# "now minus that many hours" overflow Python's datetime: every print-centre visit was a 500.
MAX_PRINT_JOB_KEEP_HOURS = 366 * 24


def _check_keep_hours(value: Any) -> None:
    try:
        hours = float(value)
    except (TypeError, ValueError):
        hours = None
    if isinstance(value, bool) or hours is None or not 0 < hours <= MAX_PRINT_JOB_KEEP_HOURS:
        raise ConfigError(f"PRINT_JOB_KEEP_HOURS must be a number of hours above 0 and at most "
                          f"{MAX_PRINT_JOB_KEEP_HOURS} (a year), not {value!r}")
