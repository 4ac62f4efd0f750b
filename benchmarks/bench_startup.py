"""Start-up: how long a command takes from a shell when it renders nothing.

``fagkonferanse events list`` five times on an initialised instance, as a user runs it (a new
process each time, byte-code cached as after any first run); the median and the fastest are
printed. Issue 17's target: at most 0.8 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import report

RUNS = 5


def run() -> None:
    command = str(Path(sys.executable).parent / "fagkonferanse")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("FAGKONFERANSE_") and key != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="fk-startup-") as folder:
        instance = ["--instance", str(Path(folder) / "instance")]
        subprocess.run([command, *instance, "init"], env=env, check=True, capture_output=True, timeout=300)
        seconds = []
        for _ in range(RUNS + 1):  # the first run writes the byte-code caches
            started = time.perf_counter()
            subprocess.run([command, *instance, "events", "list"], env=env, check=True, capture_output=True,
                           timeout=60)
            seconds.append(time.perf_counter() - started)
    report("'fagkonferanse events list', median", statistics.median(seconds[1:]), "s", "target ≤ 0.8 s")
    report("'fagkonferanse events list', fastest", min(seconds[1:]), "s")
