"""Run every benchmark and print its figures: `python -m benchmarks` (or `make bench`)."""

from __future__ import annotations

import importlib
import os
import platform
import sys

BENCHMARKS = ["bench_pages", "bench_visitors", "bench_live", "bench_screen", "bench_door", "bench_load", "bench_print",
              "bench_arrival", "bench_seats", "bench_cluster", "bench_startup", "bench_report"]


def main(names: list[str]) -> None:
    print(f"fagkonferanse benchmarks · {platform.python_version()} · {os.cpu_count()} cores")
    for name in names or BENCHMARKS:
        print(f"\n## {name}")
        importlib.import_module(f"benchmarks.{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
