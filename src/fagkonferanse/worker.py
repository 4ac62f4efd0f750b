"""``fagkonferanse worker``: the process that runs the job engine's tasks (:mod:`.jobs`).

On one machine ``serve`` and ``serve --production`` start one and keep it running
(:func:`start_supervised_worker`); on several, each ``fagkonferanse worker`` runs on its own and
the servers are started with ``--no-worker``.

The supervisor is a small process of its own (``python -m fagkonferanse.worker``), never a thread
of the server: it starts the worker, starts it again if it dies, and stops it when the server
that started it is gone, however that server ended.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from . import jobs
from .registration import outbox

# The worker looks for work at most this long after the queue was empty (SQLite is polled;
# Redis wakes it at once).
LONGEST_IDLE_WAIT = 0.5
RESTART_PAUSE = 1.0
SHUTDOWN_TIMEOUT = 25


@click.command("worker")
@click.option("--threads", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Tasks run at the same time (a PDF and the mail need not wait for each other).")
@with_appcontext
def worker_command(threads: int) -> None:
    """Run background jobs: mail, print jobs, stand visits, and the sweeps each minute."""
    app = current_app._get_current_object()
    jobs.use_local_queue(app)
    if jobs.is_immediate(app):
        raise click.ClickException("JOB_QUEUE_URL is 'immediate': tasks run where they are queued, "
                                   "so there is nothing for a worker to do")
    jobs.run_periodic_now(app)  # what a crash left, before the first minute is up
    # Mail a killed worker was sending is claimed for claim_seconds(): look again once that is over.
    jobs.sweep_again_in(app, outbox.claim_seconds(app) + 1)
    # SIGTERM (the supervisor, systemd, docker stop) lets running tasks finish, for SHUTDOWN_TIMEOUT
    # at most; every task is safe to cut short anyway (the sweeps pick up what it left).
    consumer = jobs.engine(app).huey.create_consumer(
        workers=threads, worker_type="thread", initial_delay=0.05, backoff=1.5, max_delay=LONGEST_IDLE_WAIT,
        graceful_signal="TERM", shutdown_timeout=SHUTDOWN_TIMEOUT)
    click.echo(f"fagkonferanse worker ({threads} threads) on {jobs.queue_url(app).split('?')[0]}")
    consumer.run()


def start_supervised_worker(extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the supervisor of this instance's worker, as a child of the current process."""
    env = {**os.environ, **(extra_env or {}), "FAGKONFERANSE_INSTANCE": current_app.instance_path}
    return subprocess.Popen([sys.executable, "-m", "fagkonferanse.worker", str(os.getpid())], env=env)


def supervise(server_pid: int) -> None:
    """Keep ``fagkonferanse worker`` running while ``server_pid`` lives; stop it after."""
    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    command = [sys.executable, "-m", "fagkonferanse", "worker"]  # the console script, as a user runs it
    worker = subprocess.Popen(command)
    while not stopping and _alive(server_pid):
        if worker.poll() is not None:
            print(f"fagkonferanse: the job worker stopped (exit {worker.returncode}); starting it again",
                  file=sys.stderr)
            time.sleep(RESTART_PAUSE)
            worker = subprocess.Popen(command)
        time.sleep(0.2)
    if worker.poll() is None:
        worker.terminate()  # a graceful stop: running tasks finish
        try:
            worker.wait(timeout=SHUTDOWN_TIMEOUT + 5)
        except subprocess.TimeoutExpired:
            worker.kill()


def _alive(pid: int) -> bool:
    if os.getppid() != pid:  # the server is gone and this process was given to init
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


if __name__ == "__main__":
    supervise(int(sys.argv[1]))
