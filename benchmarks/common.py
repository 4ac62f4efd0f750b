"""Shared set-up for benchmarks: a temporary instance holding the 2016 conference."""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from fagkonferanse import create_app
from fagkonferanse.database import upgrade
from fagkonferanse.events.loader import load_conference, read_dataset
from fagkonferanse.extensions import db


@contextlib.contextmanager
def conference_app(**config) -> Iterator:
    """An app over a fresh temporary instance with the 2016 conference loaded (``config`` overrides)."""
    with tempfile.TemporaryDirectory(prefix="fk-bench-") as folder:
        instance = Path(folder)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.db'}", **config},
                         instance_path=instance)
        with app.app_context():
            upgrade()
            event = load_conference(read_dataset("2016"), demo=True)  # as `make run` loads it
            app.extensions["fagkonferanse.plugins"].hook.conference_loaded(event=event, source="2016")
            db.session.commit()
        yield app
        with app.app_context():
            db.engine.dispose()


def timed(function: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """Median and best wall time in seconds over ``repeat`` runs (after one warm-up)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def cpu_timed(function: Callable[[], object], repeat: int = 200) -> float:
    """Median CPU time in seconds (this process, all threads) over ``repeat`` runs, after a warm-up.

    CPU rather than wall time: the machine is shared, and waiting for another process's turn on
    a core is not what a page costs.
    """
    for _ in range(10):
        function()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


def report(name: str, value: float, unit: str, target: str = "") -> None:
    print(f"{name:<48} {value:>10.3f} {unit:<6} {target}")
