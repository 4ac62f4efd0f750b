"""Several machines on one: two app servers, one job worker, one PostgreSQL, one Redis.

This is the README's "Several machines" set-up, each part a real process: two
``serve --production --no-worker`` servers on their own ports and their own instance folders,
a separate ``fagkonferanse worker``, all with the same ``config.toml`` (database, secret key, job
queue, rate-limit store). PostgreSQL and Redis are started from Debian's packages by the
project's scripts. The two-server test and ``make bench``'s ``bench_cluster`` both use it.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from ..liveserver import LIVE_ORGANISER, LIVE_PASSWORD, fagkonferanse_command, free_port
from .server import ProductionServer, server_env, set_capacity

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _script(name: str, *args: str) -> str:
    result = subprocess.run([str(SCRIPTS / name), *args], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{name} {' '.join(args)} failed: {result.stderr.strip()[-500:]}")
    return result.stdout.strip()


@dataclass
class Services:
    """A throwaway PostgreSQL and Redis on loopback (``durable``: PostgreSQL with fsync on)."""

    folder: Path
    durable: bool = False
    postgres_url: str = ""
    redis_url: str = ""
    postgres_folder: Path | None = None

    def start(self) -> Services:
        self.folder.mkdir(parents=True, exist_ok=True)
        mode = ["durable"] if self.durable else []
        # As root the server runs as the "postgres" user, who must reach its folder: one of its
        # own under /tmp, not inside a test's private temporary folder.
        self.postgres_folder = Path(tempfile.mkdtemp(prefix="fagkonferanse-pg."))
        self.postgres_url = _script("postgres-test-server.sh", "start", str(self.postgres_folder), str(free_port()), *mode)
        try:
            self.redis_url = _script("redis-test-server.sh", "start", str(self.folder / "redis"), str(free_port()))
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.redis_url:
            _script("redis-test-server.sh", "stop", str(self.folder / "redis"))
            self.redis_url = ""
        if self.postgres_url:
            _script("postgres-test-server.sh", "stop", str(self.postgres_folder))
            self.postgres_url = ""
            shutil.rmtree(self.postgres_folder, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh database on the PostgreSQL server; its SQLAlchemy URL."""
        name = "fk_cluster_" + uuid.uuid4().hex[:12]
        engine = create_engine(self.postgres_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        engine.dispose()
        return make_url(self.postgres_url).set(database=name).render_as_string(hide_password=False)


@dataclass
class Cluster:
    """Two app servers and a worker over the services' database and Redis."""

    folder: Path
    services: Services
    workers_per_server: int = 2
    extra_config: dict[str, str | bool] = field(default_factory=dict)
    servers: list[ProductionServer] = field(default_factory=list)
    worker: subprocess.Popen | None = None
    base_url: str = ""

    @property
    def worker_instance(self) -> Path:
        return self.folder / "worker"

    def start(self, capacity: int | None = None) -> Cluster:
        database_url = self.services.new_database()
        ports = [free_port(), free_port()]
        self.base_url = f"http://127.0.0.1:{ports[0]}"  # links in mails: one public address
        # Several machines sit behind a load balancer, which says who each phone is (behind_proxy):
        # the rate limits count phones, not the balancer.
        settings = {"database_url": database_url, "secret_key": secrets.token_hex(32), "base_url": self.base_url,
                    "job_queue_url": self.services.redis_url, "ratelimit_storage_uri": self.services.redis_url,
                    "behind_proxy": True, **self.extra_config}
        config = "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())  # TOML's strings and booleans
        names = ["app-a", "app-b", "worker"]
        for name in names:
            instance = self.folder / name
            instance.mkdir(parents=True)
            (instance / "config.toml").write_text(config, encoding="utf-8")
            os.chmod(instance / "config.toml", 0o600)
        first = self.folder / "app-a"
        env = server_env(first, self.base_url)
        fagkonferanse_command("init", instance=first, env=env)
        fagkonferanse_command("create-organiser", LIVE_ORGANISER, "--name", "Dora Dørvakt", instance=first,
                              env=env | {"FAGKONFERANSE_ORGANISER_PASSWORD": LIVE_PASSWORD})
        if capacity is not None:
            set_capacity(first, capacity)
        self._start_worker()
        for name, port in zip(names[:2], ports):
            server = ProductionServer(self.folder / name, port, self.workers_per_server, extra_args=["--no-worker"])
            self.servers.append(server.start())
        return self

    def _start_worker(self) -> None:
        script = Path(sys.executable).parent / "fagkonferanse"
        log = (self.folder / "worker.log").open("ab")
        self.worker = subprocess.Popen(
            [str(script), "--instance", str(self.worker_instance), "worker"],
            env=server_env(self.worker_instance, self.base_url), stdout=log, stderr=log,
            start_new_session=True)
        log.close()

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers = []
        if self.worker is not None:
            self.worker.send_signal(signal.SIGTERM)
            try:
                self.worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.worker.pid, signal.SIGKILL)
                self.worker.wait(timeout=10)
            self.worker = None


def phone_address(number: int) -> str:
    """A distinct address for phone ``number`` (10.x.y.z), as the load balancer reports it."""
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


def register_over_both(urls: list[str], people: int, at_once: int) -> tuple[list[tuple[int, str]], float]:
    """``people`` phones open the form on one server and send it to the other, ``at_once`` at a
    time, all starting together: (status, Location) of each POST, and the seconds from the first
    POST to the last answer. The session and its CSRF token
    must hold across servers, as behind a load balancer without sticky sessions."""
    from .server import Browser

    a, b = urls
    browsers = [Browser((a, b)[number % 2], phone_address(number)) for number in range(people)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        tokens = list(pool.map(lambda browser: browser.open_form(), browsers))
    for number, browser in enumerate(browsers):
        browser.base_url = (b, a)[number % 2]
    go = threading.Event()

    def press(number: int) -> tuple[int, str]:
        go.wait(timeout=30)
        return browsers[number].register(tokens[number], number, timeout=180)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        futures = [pool.submit(press, number) for number in range(people)]
        go.set()
        answers = [future.result(timeout=300) for future in futures]
    return answers, time.monotonic() - started
