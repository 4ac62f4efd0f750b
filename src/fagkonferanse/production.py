"""Serving with gunicorn: ``fagkonferanse serve --production``."""

from __future__ import annotations

import os

from flask import current_app
from gunicorn.app.base import BaseApplication

from .extensions import db


# Threads per worker: a thread waiting on the database or a slow client lets another run. Set
# SERVER_THREADS in the instance config to change it.
THREADS_PER_WORKER = 8


def default_workers() -> int:
    """Two workers per core plus one: gunicorn's own advice for mostly I/O-bound web apps."""
    return 2 * (os.cpu_count() or 1) + 1


class _Gunicorn(BaseApplication):
    """Runs the already-configured application object in gunicorn's pre-fork workers."""

    def __init__(self, app, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve_with_gunicorn(host: str, port: int, workers: int | None) -> None:
    app = current_app._get_current_object()
    if app.config.get("STAND_VISIT_BATCH_SECONDS") is None:
        # Many processes, hundreds of poster scans a second: anonymous visits are written in
        # batches, not one commit per scan (see checkin/visits.py).
        app.config["STAND_VISIT_BATCH_SECONDS"] = 1.0
    # The master checked the database before forking: no worker may inherit that connection.
    db.engine.dispose()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": int(app.config.get("SERVER_THREADS") or THREADS_PER_WORKER),
        "accesslog": None,
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 20,
        "keepalive": 5,
        # Tell gunicorn to trust X-Forwarded-* only from the local reverse proxy.
        "forwarded_allow_ips": "127.0.0.1",
    }
    print(f"fagkonferanse (gunicorn, {options['workers']} workers) on http://{host}:{port}/")
    _Gunicorn(app, options).run()
