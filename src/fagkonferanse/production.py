"""Serving with gunicorn: ``fagkonferanse serve --production``."""

from __future__ import annotations

import gc
import os
import sys

from flask import current_app
from gunicorn.app.base import BaseApplication

from . import jobs, pagecache
from .checkin.visit_buffer import hand_off_before_exit, recover_journals
from .extensions import db
from .printing import warm_up_printing


# Threads per worker. Most of the lunch-hour rush is phones on kept-alive connections, idle
# between pages: with 8 threads per worker 1–2 % of requests to a cached page waited 50–400 ms
# for a thread (a bare "hello world" under gunicorn showed the same), with 64 the slowest 1 % of
# the rush took 22 ms (``make bench``). An idle thread costs a little memory and no CPU. Set
# SERVER_THREADS in the instance config to change it.
THREADS_PER_WORKER = 64

# How often a thread holding the interpreter lets another run (Python's default is 5 ms): a
# cached page (a fraction of a millisecond) must not wait behind a registration form being
# rendered by another thread of the same worker. Measured: p99 29 ms at 5 ms, 22 ms at 1 ms.
SWITCH_INTERVAL = 0.001


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
        # Many processes, hundreds of poster scans a second: anonymous visits go to the job
        # engine in batches, not one commit per scan (see checkin/visit_buffer.py).
        app.config["STAND_VISIT_BATCH_SECONDS"] = 1.0
    recover_journals(app)  # stand visits of processes that were killed (see checkin/visit_buffer.py)
    warm_up(app)
    release_connections(app)
    prepare_for_fork()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": int(app.config.get("SERVER_THREADS") or THREADS_PER_WORKER),
        "accesslog": None,
        "errorlog": "-",
        "timeout": 60,
        "post_fork": _in_each_worker,
        "worker_exit": lambda server, worker: hand_off_before_exit(app),  # the stopping worker's visits
        "graceful_timeout": 20,
        "keepalive": 5,
        # Tell gunicorn to trust X-Forwarded-* only from the local reverse proxy.
        "forwarded_allow_ips": "127.0.0.1",
    }
    print(f"fagkonferanse (gunicorn, {options['workers']} workers) on http://{host}:{port}/")
    _Gunicorn(app, options).run()


# Public pages every worker compiles on its first visit: done once, before forking.
WARM_UP_PATHS = ("/", "/programme", "/speakers", "/stands", "/register")


def warm_up(app) -> None:
    """Compile the templates and SQL of the busiest pages in the master, so that every worker
    starts with them (shared copy-on-write) instead of each paying for them on its first visits;
    and load the PDF engine, so a worker's first badge printed on arrival is not a slow one."""
    client = app.test_client(use_cookies=False)
    for path in WARM_UP_PATHS:
        client.get(path, headers={"Accept": "text/html"})
    with app.app_context():
        warm_up_printing()


def release_connections(app) -> None:
    """Close every database connection of the master before it forks: a worker must not inherit one.

    The command's own session goes first: its connection is checked out, which ``dispose()``
    leaves open, and a worker leaving the command's app context as it exits would roll it back on
    a socket it shares with the master — on PostgreSQL that waited until gunicorn killed it.
    """
    db.session.remove()
    pagecache.close_connections(app)
    jobs.close_connections(app)
    db.engine.dispose()


def prepare_for_fork() -> None:
    """Move everything loaded so far out of the garbage collector's sight (``gc.freeze``).

    The application's modules, templates and caches live as long as the process. Left to the
    collector, every full collection walks all of them — about 90 ms per worker here, with every
    thread of the worker stopped, which showed as the slowest 1 % of requests under load — and
    touching them would copy the memory pages the workers share with the master.
    """
    gc.collect()
    gc.freeze()


def _in_each_worker(server, worker) -> None:
    sys.setswitchinterval(SWITCH_INTERVAL)
