"""A real server for the benchmarks: ``fagkonferanse serve --production`` over a fresh instance."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from fagkonferanse.production import default_workers

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
USER_AGENT = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"


class Server:
    """A fresh instance with the 2016 conference, served by gunicorn in its own process group."""

    def __init__(self, folder: Path, workers: str | None, env: dict[str, str] | None = None,
                 database_url: str | None = None):
        self.instance = folder / "instance"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        # An empty PostgreSQL database instead of SQLite: ``database_url``, else BENCH_DATABASE_URL.
        self.database_url = os.environ.get("BENCH_DATABASE_URL", "") if database_url is None else database_url
        self.command = str(Path(sys.executable).parent / "fagkonferanse")
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
        self.env.update(FAGKONFERANSE_BASE_URL=self.url, FAGKONFERANSE_RATELIMIT_ENABLED="false")
        if os.environ.get("BENCH_THREADS"):
            self.env["FAGKONFERANSE_SERVER_THREADS"] = os.environ["BENCH_THREADS"]
        if self.database_url:
            self.env["FAGKONFERANSE_DATABASE_URL"] = self.database_url
        self.env.update(env or {})
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.instance.mkdir(parents=True)
        init = [self.command, "--instance", str(self.instance), "init"]
        if self.database_url:
            init.append("--reset")
        subprocess.run(init, env=self.env, check=True, capture_output=True, timeout=300)
        self._set_capacity(100_000)  # everyone gets a seat: the write path of a confirmed registration
        serve = [self.command, "--instance", str(self.instance), "serve", "--production", "--port", str(self.port)]
        if self.workers:
            serve += ["--workers", self.workers]
        self.log = (self.instance.parent / "server.log").open("wb")
        self.process = subprocess.Popen(serve, env=self.env, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    break
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("the server exited: " + (self.instance.parent / "server.log").read_text())
                time.sleep(0.2)
        expected = int(self.workers) if self.workers else default_workers()
        while len(self._worker_pids()) < expected and time.monotonic() < deadline:
            time.sleep(0.2)  # gunicorn answers as soon as the first worker is up
        self.workers = str(len(self._worker_pids()))
        return self

    def warm_up(self, slugs: list[str]) -> None:
        """Fill every worker's page cache, as the morning before the lunch hour does."""
        for path in ["/programme", *(f"/stands/{slug}" for slug in slugs)]:
            for _ in range(int(self.workers) * 8):
                get(self.url + path)

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()

    def _app(self):
        from fagkonferanse import create_app

        config = {"SQLALCHEMY_DATABASE_URI": self.database_url} if self.database_url else {}
        return create_app(config, instance_path=self.instance)

    def _set_capacity(self, capacity: int) -> None:
        from fagkonferanse.events.services import current_event
        from fagkonferanse.extensions import db
        from fagkonferanse.registration.settings import settings_for

        app = self._app()
        with app.app_context():
            settings_for(current_event()).capacity = capacity
            db.session.commit()
            db.engine.dispose()

    def stand_slugs(self) -> list[str]:
        from fagkonferanse.events.services import current_event
        from fagkonferanse.extensions import db
        from fagkonferanse.stands.services import stands

        app = self._app()
        with app.app_context():
            slugs = [stand.slug for stand in stands(current_event())]
            db.engine.dispose()
        return slugs

    def registrations_in_database(self) -> int:
        from fagkonferanse.extensions import db
        from fagkonferanse.registration.models import Registration

        app = self._app()
        with app.app_context():
            count = db.session.scalar(db.select(db.func.count(Registration.id)))
            db.engine.dispose()
        return count

    def _worker_pids(self) -> list[int]:
        """gunicorn's web workers: the master's children, except the job worker's supervisor."""
        tree = _process_tree()
        return [pid for pid, (parent, command) in tree.items()
                if parent == self.process.pid and "fagkonferanse.worker" not in command]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server has used so far: the master, its web workers, and
        the job worker with its supervisor (stand visits and mail are written there)."""
        tree = _process_tree()
        family, added = {self.process.pid}, True
        while added:
            grown = family | {pid for pid, (parent, _) in tree.items() if parent in family}
            added, family = grown != family, grown
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in family:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def worker_rss(self) -> list[tuple[int, int, int]]:
        """(pid, RSS, PSS in MiB) of the master first, then each worker.

        RSS counts the memory a worker shares with the master (forked copy-on-write) in every
        process; PSS divides shared pages among their sharers, so the PSS figures add up to what
        the server really takes.
        """
        result = []
        for pid in [self.process.pid, *self._worker_pids()]:
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue
            rss = int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1))
            pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
            result.append((pid, rss // 1024, pss // 1024))
        return result


def find_wrk() -> str | None:
    """wrk from PATH; as root on Debian, installed with apt-get if missing (as scripts/system-deps.sh does)."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("installing wrk with apt-get …")
    subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True, timeout=600)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True, timeout=600,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> None:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": BROWSER_ACCEPT}), timeout=30) as page:
        page.read()


@dataclass(frozen=True)
class WrkResult:
    """What one back-to-back ``wrk --latency`` pass measured."""

    requests: int
    per_second: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers


def run_wrk(wrk: str, url: str, seconds: int, headers: dict[str, str], connections: int = 20) -> WrkResult | None:
    """``wrk -t2 -c<connections> -d<seconds>s --latency`` with ``headers``; None (and wrk's output
    printed) when it failed."""
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    finished = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    total = re.search(r"^\s*(\d+) requests in", finished.stdout, re.M)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", finished.stdout)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", finished.stdout, re.M)
    if not (total and rate and p99):
        print("wrk failed:", finished.stdout, finished.stderr)
        return None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", finished.stdout)
    return WrkResult(int(total.group(1)), float(rate.group(1)),
                     float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)],
                     int(errors.group(1)) if errors else 0)


def _process_tree() -> dict[int, tuple[int, str]]:
    """Every process's parent and command line, from /proc."""
    tree = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            tree[int(entry.name)] = (parent, command)
    return tree
