"""Seat-taking in the rush: 200 registrations at once through the service layer, on SQLite and on a
durable PostgreSQL (fsync and synchronous_commit on, as in production).

Each of 200 threads has its own session (its own app context) and calls
:func:`fagkonferanse.registration.services.register` at the same instant for an event with 50
seats and a waiting list: what a registration costs when everybody else registers too, without
HTTP in the way. Prints p50/p99/max latency and registrations per second, and checks the answer
(50 confirmed, 150 waiting, the seat counter equal to the rows).

PostgreSQL: ``FAGKONFERANSE_BENCH_POSTGRES_URL`` names a durable server's database to use;
without it a throwaway durable server is started with ``scripts/postgres-test-server.sh`` (when
PostgreSQL is installed), and stopped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fagkonferanse import create_app
from fagkonferanse.database import upgrade
from fagkonferanse.events.models import Event
from fagkonferanse.events.loader import load_conference, read_dataset
from fagkonferanse.extensions import db

PEOPLE = 200
SEATS = 50
POOL = 64  # connections per engine: more threads than connections, as behind a real server
ROOT = Path(__file__).resolve().parents[1]


def run() -> None:
    results = [("SQLite", _measure_sqlite())]
    with _durable_postgres() as url:
        if url is None:
            print("PostgreSQL: not installed, skipped")
        else:
            results.append(("PostgreSQL (durable)", _measure(url)))
    print(f"{'database':<22} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'reg/s':>8} {'CPU ms':>7}  answer")
    for name, (p50, p99, worst, rate, cpu, answer) in results:
        print(f"{name:<22} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f} {rate:>8.1f} {cpu:>7.1f}  {answer}")
    print("CPU ms: this process's CPU time (all threads) per registration during the rush")


def _measure_sqlite():
    with tempfile.TemporaryDirectory(prefix="fk-bench-seats-") as folder:
        return _measure(f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder))


def _measure(url: str, instance: Path | None = None):
    with tempfile.TemporaryDirectory(prefix="fk-bench-seats-") as folder:
        instance = instance or Path(folder)
        options = {"pool_size": POOL, "max_overflow": 0, "pool_timeout": 300}
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options}, instance_path=instance)
        from fagkonferanse.registration import services
        from fagkonferanse.registration.models import CONFIRMED, WAITING, Registration, RegistrationSettings
        from fagkonferanse.registration.settings import settings_for

        with app.app_context():
            upgrade()
            event = load_conference(read_dataset("2016"), demo=True)
            db.session.commit()
            settings = settings_for(event)
            settings.capacity, settings.waiting_list = SEATS, True
            db.session.commit()
            event_id = event.id
        barrier = threading.Barrier(PEOPLE)
        latencies: list[float] = [0.0] * PEOPLE
        errors: list[BaseException] = []

        def register(number: int) -> None:
            with app.app_context():
                details = {"name": f"Benchmark-deltaker {number:03d}", "email": f"bench{number:03d}@example.no",
                           "organisation": "Benchmark kommune"}
                barrier.wait(timeout=60)
                start = time.perf_counter()  # a request loads its event too
                try:
                    event = db.session.get(Event, event_id)
                    services.register(event, details, check_window=False)
                except BaseException as error:  # counted and shown, never hidden
                    errors.append(error)
                latencies[number] = time.perf_counter() - start

        threads = [threading.Thread(target=register, args=(number,)) for number in range(PEOPLE)]
        for thread in threads:
            thread.start()
        started, cpu = time.perf_counter(), time.process_time()
        for thread in threads:
            thread.join()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        with app.app_context():
            statuses = [row[0] for row in db.session.execute(
                db.select(Registration.status).where(Registration.event_id == event_id))]
            counter = db.session.scalar(db.select(RegistrationSettings.confirmed_count)
                                        .where(RegistrationSettings.event_id == event_id))
            db.engine.dispose()
        ordered = sorted(latencies)
        answer = (f"{statuses.count(CONFIRMED)} confirmed, {statuses.count(WAITING)} waiting, "
                  f"counter {counter}, {len(errors)} errors" + (f" ({errors[0]!r})" if errors else ""))
        return (ordered[len(ordered) // 2] * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000,
                ordered[-1] * 1000, PEOPLE / elapsed, cpu / PEOPLE * 1000, answer)


@contextlib.contextmanager
def _durable_postgres() -> Iterator[str | None]:
    given = os.environ.get("FAGKONFERANSE_BENCH_POSTGRES_URL")
    if given:
        yield _fresh_database(given)
        return
    if not any(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        yield None
        return
    folder = tempfile.mkdtemp(prefix="fk-bench-pg-")
    script = str(ROOT / "scripts" / "postgres-test-server.sh")
    url = subprocess.run([script, "start", folder, str(_free_port()), "durable"], check=True,
                         capture_output=True, text=True).stdout.strip()
    try:
        yield _fresh_database(url)
    finally:
        subprocess.run([script, "stop", folder], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _fresh_database(url: str) -> str:
    name = "fk_bench_" + uuid.uuid4().hex[:12]
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    run()
