"""One job engine for the work done after the answer: mail, print jobs, stand visits (huey).

Domains register plain functions with :func:`task` (run when enqueued) or :func:`every_minute`
(the worker's sweep), and enqueue work with :func:`enqueue`. A task runs in an application
context of the process that runs it, so it reads the database like a view does.

Where the queue lives is ``JOB_QUEUE_URL``:

unset
    ``immediate`` for commands and tests: a task runs at once, in the process that enqueues it.
    ``serve``, ``serve --production`` and ``worker`` use ``<instance>/jobs.sqlite3`` instead: one
    machine, and the server starts and supervises a ``fagkonferanse worker`` process (supervise.py).
``redis://host:6379/0``
    Redis: several app servers enqueue, one or more ``fagkonferanse worker`` processes anywhere run.
``immediate``
    Always at once (a small site without a worker process).

The database stays the record of what must happen (the outbox table, the print jobs): a task
only says "look now", and the sweep finds whatever a crash left, so a lost task delays work but
never loses it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, has_app_context

from .config import ConfigError
from .private_files import make_private, private_folder

if TYPE_CHECKING:
    import huey

KEY = "fagkonferanse.jobs"
IMMEDIATE = "immediate"
QUEUE_FILE = "jobs.sqlite3"
QUEUE_BUSY_SECONDS = 30

_tasks: dict[str, Callable[..., Any]] = {}
_periodic: dict[str, Callable[[], Any]] = {}
_engine_lock = threading.Lock()
log = logging.getLogger(__name__)


def task(function: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``function`` as a task (its arguments must pickle). Returns it unchanged."""
    _tasks[_name(function)] = function
    return function


def every_minute(function: Callable[[], Any]) -> Callable[[], Any]:
    """Register ``function`` to run once a minute in the worker (sweeps that make up for crashes)."""
    _periodic[_name(function)] = function
    return function


def enqueue(function: Callable[..., Any], *args: Any) -> None:
    """Run the registered ``function`` with ``args`` in the job engine (at once when immediate).

    A queue that cannot take the task (its file busy past the timeout, Redis away) is logged, not
    raised: the caller's work is already committed, and the worker's sweep finds it anyway.
    """
    app = current_app._get_current_object()
    if is_immediate(app):
        engine(app).tasks[_name(function)](*args)
        return
    try:
        engine(app).tasks[_name(function)](*args)
    except Exception:
        log.warning("the job queue did not take %s; the worker's next sweep does it", _name(function),
                    exc_info=True)


def is_immediate(app: Flask | None = None) -> bool:
    return queue_url(app or current_app._get_current_object()) == IMMEDIATE


def queue_url(app: Flask) -> str:
    return str(app.config.get("JOB_QUEUE_URL") or IMMEDIATE)


def use_local_queue(app: Flask) -> None:
    """For the processes of one machine (``serve``, ``worker``): an SQLite queue in the instance
    folder unless ``JOB_QUEUE_URL`` names one.

    The engine is built here, once: its tables are created now, before the server forks, not by
    every worker thread at the first registration of a burst (where they waited on each other's
    exclusive locks past SQLite's timeout).
    """
    if not app.config.get("JOB_QUEUE_URL"):
        app.config["JOB_QUEUE_URL"] = f"sqlite:///{Path(app.instance_path) / QUEUE_FILE}"
        app.extensions.pop(KEY, None)
    engine(app)


def engine(app: Flask) -> _Engine:
    """The application's engine, built by the first thread that needs it."""
    found = app.extensions.get(KEY)
    if found is None:
        with _engine_lock:
            found = app.extensions.get(KEY)
            if found is None:
                found = app.extensions[KEY] = _Engine(app)
    return found


def close_connections(app: Flask) -> None:
    """Close the queue's connection, if one is open (before forking: a child must open its own)."""
    found = app.extensions.get(KEY)
    if found is not None:
        found.huey.storage.close()


def run_periodic_now(app: Flask) -> None:
    """Run every sweep once, here (the worker's start, and tests)."""
    for name, function in _periodic.items():
        _in_app(app, name, function)()


def sweep_again_in(app: Flask, seconds: float) -> None:
    """Queue every sweep once more, ``seconds`` from now: after a worker was killed, what it had
    claimed becomes due before the next whole minute."""
    for periodic in engine(app).periodic.values():
        periodic.schedule(delay=seconds)


class _Engine:
    """The application's huey instance with every registered task bound to the application."""

    def __init__(self, app: Flask):
        from huey import crontab  # huey is loaded when a task is first queued, not at start-up

        self.huey = _make_huey(app)
        self.tasks = {name: self.huey.task(name=name)(_in_app(app, name, function))
                      for name, function in _tasks.items()}
        self.periodic = {name: self.huey.periodic_task(crontab(), name=name)(_in_app(app, name, function))
                         for name, function in _periodic.items()}


def _make_huey(app: Flask) -> huey.Huey:
    from huey import MemoryHuey, RedisHuey, SqliteHuey

    url = queue_url(app)
    if url == IMMEDIATE:
        return MemoryHuey("fagkonferanse", immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("fagkonferanse", url=url, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        private_folder(path.parent)
        path.touch(mode=0o600, exist_ok=True)
        make_private(path)  # it holds visit batches and mail ids: the site's user only
        # A burst of registrations queues hundreds of mails a second from several processes:
        # wait for the file's lock as long as a browser waits, not SQLite's 5 s.
        return SqliteHuey("fagkonferanse", filename=str(path), results=False, timeout=QUEUE_BUSY_SECONDS)
    raise ConfigError(f"JOB_QUEUE_URL = {url!r}: give 'immediate', 'sqlite:///path' or 'redis://host:port/db'")


def _in_app(app: Flask, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        if has_app_context() and current_app._get_current_object() is app:
            return function(*args)  # immediate: in the caller's context and session
        with app.app_context():
            return function(*args)

    run.__name__ = name
    return run


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"
