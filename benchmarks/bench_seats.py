"""Seat-taking in the rush: 200 registrations at once through the service layer, on SQLite and on a
durable PostgreSQL (fsync and synchronous_commit on, as in production).

Five processes (as ``serve --production``'s gunicorn workers on two cores) of 40 threads each,
every thread with its own session, call :func:`fagkonferanse.registration.services.register` at
the same instant for an event with 50 seats and a waiting list: what a registration costs when
everybody else registers too, without HTTP in the way. Several processes, because threads of one
process take turns on Python's GIL and would hide any wait on the database. Each process
registers one person first (its SQL compiled, its connections open: a warm server), then
everybody is deleted again and the rush starts. Mail is only queued (a job queue in the instance
folder that no worker reads, as in the web processes of ``serve --production``). Prints
p50/p99/max latency, registrations per second and the CPU milliseconds the processes used per
registration, and checks the answer (50 confirmed, 150
waiting, the seat counter equal to the held seat rows).

PostgreSQL: ``FAGKONFERANSE_BENCH_POSTGRES_URL`` names a durable server's database to use;
without it a throwaway durable server is started with ``scripts/postgres-test-server.sh`` (when
PostgreSQL is installed), and stopped afterwards. Old against new: run this file from a checkout
of the code before the seat pool (``PYTHONPATH=<checkout>/src``) with the same server.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
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

PROCESSES = 5
THREADS = 40
PEOPLE = PROCESSES * THREADS
SEATS = 50
POOL = 30  # connections per process: fewer than its threads, as behind a real server
ROOT = Path(__file__).resolve().parents[1]


def run() -> None:
    results = [("SQLite", _measure_sqlite())]
    with _durable_postgres() as url:
        if url is None:
            print("PostgreSQL: not installed, skipped")
        else:
            results.append(("PostgreSQL (durable)", _measure(url)))
    print(f"registrations: {PEOPLE} at once ({PROCESSES} processes x {THREADS} threads), {SEATS} seats, waiting list on")
    print(f"{'database':<22} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'reg/s':>8} {'CPU ms':>7}  answer")
    for name, (p50, p99, worst, rate, cpu, answer) in results:
        print(f"{name:<22} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f} {rate:>8.1f} {cpu:>7.1f}  {answer}")
    print("CPU ms: the registering processes' CPU time per registration during the rush (the database's not included)")


def _app(url: str, instance: Path):
    from fagkonferanse import create_app

    options = {"pool_size": POOL, "max_overflow": 0, "pool_timeout": 300}
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options,
                       "JOB_QUEUE_URL": f"sqlite:///{instance / 'jobs.sqlite3'}"}, instance_path=instance)


def _measure_sqlite():
    with tempfile.TemporaryDirectory(prefix="fk-bench-seats-") as folder:
        return _measure(f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder))


def _measure(url: str, instance: Path | None = None):
    from fagkonferanse.database import upgrade
    from fagkonferanse.events.models import Event
    from fagkonferanse.events.loader import load_conference, read_dataset
    from fagkonferanse.extensions import db
    from fagkonferanse.registration import services
    from fagkonferanse.registration.models import CONFIRMED, WAITING, Registration, RegistrationSettings
    from fagkonferanse.registration.settings import settings_for

    with tempfile.TemporaryDirectory(prefix="fk-bench-seats-") as folder:
        instance = instance or Path(folder)
        app = _app(url, instance)
        with app.app_context():
            logging.disable(logging.INFO)  # the migrations' log lines
            upgrade()
            logging.disable(logging.NOTSET)
            event = load_conference(read_dataset("2016"), demo=True)
            db.session.commit()
            settings = settings_for(event)
            settings.capacity, settings.waiting_list = SEATS, True
            db.session.commit()
            event_id = event.id
        context = multiprocessing.get_context("spawn")
        warm, rush, answers = context.Barrier(PROCESSES + 1), context.Barrier(PROCESSES + 1), context.Queue()
        workers = [context.Process(target=_worker, args=(url, str(instance), event_id, index, warm, rush, answers))
                   for index in range(PROCESSES)]
        for worker in workers:
            worker.start()
        warm.wait(timeout=300)
        with app.app_context():
            services.delete_everyone(db.session.get(Event, event_id))  # the warm-up people
        rush.wait(timeout=300)
        started = time.perf_counter()
        latencies, errors, cpu = [], [], 0.0
        for _worker_done in workers:
            times, failures, used = answers.get(timeout=600)
            latencies += times
            errors += failures
            cpu += used
        elapsed = time.perf_counter() - started
        for worker in workers:
            worker.join()
        with app.app_context():
            statuses = [row[0] for row in db.session.execute(
                db.select(Registration.status).where(Registration.event_id == event_id))]
            counter = db.session.scalar(db.select(RegistrationSettings.confirmed_count)
                                        .where(RegistrationSettings.event_id == event_id))
            db.engine.dispose()
        ordered = sorted(latencies)
        answer = (f"{statuses.count(CONFIRMED)} confirmed, {statuses.count(WAITING)} waiting, "
                  f"counter {counter}, {len(errors)} errors" + (f" ({errors[0]})" if errors else ""))
        return (ordered[len(ordered) // 2] * 1000, ordered[int(len(ordered) * 0.99) - 1] * 1000,
                ordered[-1] * 1000, PEOPLE / elapsed, cpu / PEOPLE * 1000, answer)


def _worker(url: str, instance: str, event_id: int, index: int, warm, rush, answers) -> None:
    """One server process: warm up, wait for the others, then ``THREADS`` registrations at once."""
    import logging

    logging.disable(logging.INFO)
    from fagkonferanse.events.models import Event
    from fagkonferanse.extensions import db
    from fagkonferanse.registration import services

    app = _app(url, Path(instance))
    latencies: list[float] = []
    errors: list[str] = []
    ready = threading.Barrier(THREADS + 1)

    def register(number: int) -> None:
        with app.app_context():
            details = {"name": f"Benchmark-deltaker {number:03d}", "email": f"bench{number:03d}@example.no",
                       "organisation": "Benchmark kommune"}
            db.session.execute(text("SELECT 1"))  # opens the pool's connections before the rush
            db.session.commit()
            ready.wait(timeout=300)
            start = time.perf_counter()  # a request loads its event too
            try:
                services.register(db.session.get(Event, event_id), details, check_window=False)
            except Exception as error:  # counted and shown, never hidden
                errors.append(repr(error))
            latencies.append(time.perf_counter() - start)

    with app.app_context():
        services.register(db.session.get(Event, event_id), {"name": "Oppvarming", "email": f"warm{index}@example.no",
                                                            "organisation": "Benchmark kommune"}, check_window=False)
        db.session.remove()
    threads = [threading.Thread(target=register, args=(index * THREADS + number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    warm.wait(timeout=300)
    rush.wait(timeout=300)
    cpu = time.process_time()
    ready.wait(timeout=300)
    for thread in threads:
        thread.join()
    answers.put((latencies, errors, time.process_time() - cpu))


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
