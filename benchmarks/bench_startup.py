"""Start-up: how long commands take from a shell, as a user runs them (issue 17).

* ``fagkonferanse events list`` — a command that renders nothing — five times; target ≤ 0.8 s.
* ``fagkonferanse print badges -o badges.pdf`` for 1000 confirmed registrations, three times;
  target ≤ 5 s including start-up (the in-process figure is bench_print's).

A new process each time, byte-code cached as after any first run (``PYTHONDONTWRITEBYTECODE``
is dropped, and an unmeasured run comes first). Medians and the fastest are printed, and the CPU
time of the command's processes: on a shared machine the wall time also holds other work's turns.
Attendees are synthetic ("Benchmark-deltaker 0001 …") in the benchmark's temporary instance.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_print import add_synthetic_attendees
from .common import report

LIST_RUNS = 5
BADGE_RUNS = 3
BADGES = 1000


def run() -> None:
    command = str(Path(sys.executable).parent / "fagkonferanse")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("FAGKONFERANSE_") and key != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="fk-startup-") as folder:
        instance = Path(folder) / "instance"
        fagkonferanse = [command, "--instance", str(instance)]
        subprocess.run([*fagkonferanse, "init"], env=env, check=True, capture_output=True, timeout=300)

        walls, cpus = timed_runs([*fagkonferanse, "events", "list"], env, LIST_RUNS)
        report("'fagkonferanse events list', median", statistics.median(walls), "s", "target ≤ 0.8 s")
        report("  fastest", min(walls), "s")
        report("  CPU time, median", statistics.median(cpus), "s")

        _add_registrations(instance, BADGES)
        pdf = Path(folder) / "badges.pdf"
        walls, cpus = timed_runs([*fagkonferanse, "print", "badges", "-o", str(pdf)], env, BADGE_RUNS)
        report(f"'fagkonferanse print badges' ({BADGES}), median", statistics.median(walls), "s", "target ≤ 5 s")
        report("  fastest", min(walls), "s")
        report("  CPU time, all processes, median", statistics.median(cpus), "s")


def timed_runs(command: list[str], env: dict, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (the command and its worker processes) of ``runs`` runs, after one
    unmeasured run that writes the byte-code caches."""
    walls, cpus = [], []
    for number in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if number:
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return walls, cpus


def _add_registrations(instance: Path, count: int) -> None:
    from fagkonferanse import create_app
    from fagkonferanse.extensions import db

    app = create_app(instance_path=instance)
    add_synthetic_attendees(app, count)
    with app.app_context():
        db.engine.dispose()
