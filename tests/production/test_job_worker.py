"""The job worker beside the server: ``serve`` starts one, keeps it running and stops it with
itself; ``--no-worker`` (several machines) starts none; ``fagkonferanse worker`` runs on its own."""

from __future__ import annotations

import time

import pytest

from ..conftest import make_app
from ..liveserver import start_live_server
from .server import is_running, job_worker_pid, worker_supervisors


def wait_until(condition, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def test_serve_starts_a_job_worker_and_stops_it_when_it_stops(tmp_path):
    live = start_live_server(tmp_path / "instance")
    try:
        worker = job_worker_pid(live.process.pid)
        [supervisor] = worker_supervisors(live.process.pid)
        queue = live.instance / "jobs.sqlite3"
        assert wait_until(queue.exists)
        assert queue.stat().st_mode & 0o777 == 0o600  # it holds mail and visits to write: private
        live.stop_serving()  # SIGTERM to the server
        assert wait_until(lambda: not is_running(worker) and not is_running(supervisor))
    finally:
        live.stop()


@pytest.mark.parametrize("how", [["--no-worker"], "config"])
def test_a_server_told_not_to_starts_no_job_worker(instance, monkeypatch, how):
    """Several machines: the app servers serve, one ``fagkonferanse worker`` elsewhere runs the jobs."""
    from fagkonferanse import commands

    started, served = [], []
    monkeypatch.setattr(commands, "start_supervised_worker", lambda *args: started.append(args))
    monkeypatch.setattr(commands, "run_simple", lambda *args, **kwargs: served.append(args))
    app = make_app(instance, **({"SERVE_STARTS_WORKER": False} if how == "config" else {}))
    result = app.test_cli_runner().invoke(args=["serve", *(how if isinstance(how, list) else [])])
    assert result.exit_code == 0, result.output
    assert len(served) == 1 and started == []


def test_the_worker_command_refuses_a_queue_that_runs_tasks_at_once(instance):
    app = make_app(instance, JOB_QUEUE_URL="immediate")
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 1
    assert "JOB_QUEUE_URL is 'immediate'" in result.output
