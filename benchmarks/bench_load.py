"""The lunch-hour rush against ``fagkonferanse serve --production`` on 127.0.0.1.

For 60 s (``BENCH_SECONDS``): 300 attendees (``wrk`` connections) open stand pages from poster QR
codes — ``/stands/<slug>?from=poster`` answers 303 and the phone follows it to ``/stands/<slug>?fra=plakat`` —
and the programme, with a browser's Accept header and no cookies (people without a stand
passport). Meanwhile Python threads register 50 people a second at a fixed rate, each like a
browser: GET the form for its CSRF token, POST it. Afterwards the registrations accepted (303 to a
ticket) are counted in the database.

Each attendee pauses between pages (``BENCH_THINK_MS``, 200–600 ms): 300 connections firing
back to back would measure only queueing (by Little's law a closed loop of 300 has a median
latency of 300 ÷ throughput), not what 300 people with phones do. The page caches are warmed
first, as the morning before the lunch hour does; wrk's own script is ``LUA_SCRIPT`` below.

The rush runs twice, on SQLite and on a durable PostgreSQL (``scripts/postgres-test-server.sh``
with fsync and synchronous_commit on, as a real server runs; the column says "skipped" when
PostgreSQL is not installed), and the figures are printed side by side.

Latencies change from machine to machine and with whatever else the machine runs; the CPU a
request costs does not, so it is printed too, from the user + system time in ``/proc/<pid>/stat``
of the master, its web workers and the job worker (which writes the visit batches and the mail). Pages and registrations run together in the rush, so their shares are
told apart in three steps on the same server: 3 s with no traffic (the background threads' CPU
per second), then registrations alone for ``BENCH_CALIBRATION_SECONDS`` (10) at the same rate —
its CPU less the background's, divided by the registrations, is the CPU of one registration
(GET + POST, and the mail it queues, sent in the background: the count waits 2 s after the last
one) — then the rush, whose CPU less the background's and the registrations' share, divided by
the page requests served, is the CPU of one page request.

Issue 8's targets on a 2-core machine: ≥ 650 requests/s for the stand and programme pages,
p99 ≤ 50 ms, no errors, every accepted registration in the database. Issue 16's: the server uses
at most 1.2 of the 2 cores on SQLite, with page p99 ≤ 50 ms and registration GET+POST p99 ≤ 300 ms.

Rate limits are switched off for the run (``RATELIMIT_ENABLED=false``): all the traffic comes
from 127.0.0.1, where the per-address limits would refuse registrations and stop counting poster
visits — that would make the figures look better than real traffic from many phones would.

Knobs: ``BENCH_SECONDS`` (60), ``BENCH_CONNECTIONS`` (300), ``BENCH_REGISTRATIONS_PER_SECOND``
(50), ``BENCH_WORKERS`` (gunicorn workers; the ``serve --production`` default otherwise),
``BENCH_THREADS`` (threads per worker), ``BENCH_THINK_MS`` (400: an attendee's mean pause between
pages), ``BENCH_CALIBRATION_SECONDS`` (10), ``BENCH_POSTGRES`` (0: SQLite only), ``BENCH_DATABASE_URL`` (an empty PostgreSQL database
for the PostgreSQL column instead of starting one).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from .common import report
from .server import BROWSER_ACCEPT, USER_AGENT, Server, WrkResult, find_wrk, free_port, run_wrk

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# One phone's round: scan a poster (303), open the stand page it leads to, look at the programme.
LUA_SCRIPT = """
local slugs = {%(slugs)s}
local step = 0
local slug = slugs[1]
wrk.headers["Accept"] = "%(accept)s"
wrk.headers["Accept-Language"] = "nb-NO,nb;q=0.9,no;q=0.8,en;q=0.6"
wrk.headers["User-Agent"] = "%(agent)s"

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed)
end

-- Each attendee reads for a moment between pages: %(think_low)d–%(think_high)d ms, %(think)d on average.
function delay()
  return math.random(%(think_low)d, %(think_high)d)
end

function request()
  step = step %% 3 + 1
  if step == 1 then
    slug = slugs[math.random(#slugs)]
    return wrk.format("GET", "/stands/" .. slug .. "?from=poster")
  elseif step == 2 then
    return wrk.format("GET", "/stands/" .. slug .. "?fra=plakat")
  end
  return wrk.format("GET", "/programme")
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d duration_us=%%d bytes=%%d status=%%d connect=%%d read=%%d write=%%d timeout=%%d p50_us=%%d p90_us=%%d p95_us=%%d p98_us=%%d p99_us=%%d max_us=%%d\\n",
    summary.requests, summary.duration, summary.bytes, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(98),
    latency:percentile(99), latency.max))
end
"""


def run() -> None:
    wrk = find_wrk()
    if wrk is None:
        print("wrk is not installed: apt-get install wrk (or run scripts/system-deps.sh as root)")
        return
    columns: dict[str, Rush | str] = {"SQLite": _rush(wrk, "", compare_with_pretalx=True)}
    if os.environ.get("BENCH_POSTGRES", "1") == "0":
        columns["PostgreSQL"] = "skipped: BENCH_POSTGRES=0"
    else:
        with _postgres() as database_url:
            columns["PostgreSQL"] = _rush(wrk, database_url) if database_url.startswith("postgresql") else database_url
    _report(columns)
    sqlite = columns["SQLite"]
    if isinstance(sqlite, Rush):
        _report_pretalx(sqlite.pretalx)


@dataclass
class Rush:
    """What one rush measured on one database."""

    database: str
    workers: str
    seconds: int
    wrk: dict[str, int]
    registering: _Registrations
    in_database: int
    idle_cores: float  # background threads with no traffic (the mail outbox, the visit writer …)
    registration_cpu_ms: float  # measured alone, before the rush
    calibration: _Registrations
    server_cpu: float  # seconds, the whole rush
    client_cpu: float
    pss_mib: int
    load_average: float
    pretalx: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return self.wrk["requests"]

    @property
    def page_cpu_ms(self) -> float:
        """The rush's CPU less the background's and the registrations' share, per page request."""
        background = self.idle_cores * self.seconds
        registrations = self.registration_cpu_ms / 1000 * len(self.registering.latencies)
        return max(0.0, self.server_cpu - background - registrations) / max(1, self.pages) * 1000


def _rush(wrk: str, database_url: str, compare_with_pretalx: bool = False) -> Rush | str:
    seconds = int(os.environ.get("BENCH_SECONDS", "60"))
    calibration = int(os.environ.get("BENCH_CALIBRATION_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "300"))
    rate = float(os.environ.get("BENCH_REGISTRATIONS_PER_SECOND", "50"))
    think = int(os.environ.get("BENCH_THINK_MS", "400"))
    name = "PostgreSQL" if database_url else "SQLite"
    with tempfile.TemporaryDirectory(prefix="fk-load-") as folder:
        with Server(Path(folder), os.environ.get("BENCH_WORKERS"), database_url=database_url) as server:
            slugs = server.stand_slugs()
            server.warm_up(slugs)
            script = Path(folder) / "rush.lua"
            script.write_text(LUA_SCRIPT % {"slugs": ", ".join(f'"{slug}"' for slug in slugs),
                                            "accept": BROWSER_ACCEPT, "agent": USER_AGENT, "think": think,
                                            "think_low": think // 2, "think_high": think * 3 // 2},
                              encoding="utf-8")
            command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
                       "-s", str(script), server.url]
            print(f"\n### {name}: fagkonferanse serve --production --workers {server.workers}"
                  + (f", {_without_password(server.database_url)}" if server.database_url else ""))
            print("wrk command:", " ".join(command[:-3] + ["rush.lua", server.url]))
            print(f"rush.lua: poster scan (303) → stand page → programme, over {len(slugs)} stands; "
                  f"each attendee waits {think // 2}–{think * 3 // 2} ms between requests (wrk's delay())")
            print(f"registrations: {rate:g}/s from Python threads (GET /register for the CSRF token, then POST); "
                  f"first {calibration} s of them alone, then {seconds} s with the pages")

            # 1. The server with no traffic: what its background threads cost.
            idle_before = server.cpu_seconds()
            time.sleep(IDLE_SECONDS)
            idle_cores = (server.cpu_seconds() - idle_before) / IDLE_SECONDS

            # 2. Registrations alone: the CPU of one (GET + POST, and the mail it queues).
            alone = _Registrations(server.url, rate, calibration, first_number=1_000_000)
            alone_before, alone_started = server.cpu_seconds(), time.monotonic()
            alone.start()
            alone.join()
            time.sleep(SETTLE_SECONDS)  # the mail of the last ones is sent in the background
            alone_cpu = server.cpu_seconds() - alone_before - idle_cores * (time.monotonic() - alone_started)
            registration_cpu_ms = max(0.0, alone_cpu) / max(1, len(alone.latencies)) * 1000
            before_rush = server.registrations_in_database()

            # 3. The rush: pages and registrations together.
            registering = _Registrations(server.url, rate, seconds)
            cpu_before, client_before = server.cpu_seconds(), _client_cpu_seconds()
            registering.start()
            finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
            registering.join()
            server_cpu, client_cpu = server.cpu_seconds() - cpu_before, _client_cpu_seconds() - client_before
            load_average = os.getloadavg()[0]
            pss = sum(pss for _pid, _rss, pss in server.worker_rss())
            in_database = server.registrations_in_database() - before_rush
            match = re.search(r"^RESULT (.*)$", finished.stdout, re.M)
            if finished.returncode != 0 or not match:
                print("wrk failed:", finished.stdout, finished.stderr)
                return "wrk failed"
            values = {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}
            pretalx = _compare_with_pretalx(wrk, server.url) if compare_with_pretalx else []
            return Rush(name, server.workers, seconds, values, registering, in_database, idle_cores,
                        registration_cpu_ms, alone, server_cpu, client_cpu, pss, load_average, pretalx)


IDLE_SECONDS = 3
SETTLE_SECONDS = 2


@contextlib.contextmanager
def _postgres() -> Iterator[str]:
    """A durable PostgreSQL (fsync and synchronous_commit on) from Debian's packages, stopped
    afterwards; BENCH_DATABASE_URL names one instead. Yields its URL, or why there is none."""
    if os.environ.get("BENCH_DATABASE_URL"):
        yield os.environ["BENCH_DATABASE_URL"]
        return
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        yield "skipped: PostgreSQL is not installed (apt-get install postgresql)"
        return
    script = Path(__file__).resolve().parent.parent / "scripts" / "postgres-test-server.sh"
    with tempfile.TemporaryDirectory(prefix="fk-load-pg-") as folder:
        os.chmod(folder, 0o755)  # as root the server runs as the postgres user
        started = subprocess.run(["sh", str(script), "start", f"{folder}/pg", str(free_port()), "durable"],
                                 capture_output=True, text=True, timeout=120)
        if started.returncode != 0:
            yield f"skipped: PostgreSQL did not start ({started.stderr.strip()[-200:]})"
            return
        try:
            yield started.stdout.strip().splitlines()[-1]
        finally:
            subprocess.run(["sh", str(script), "stop", f"{folder}/pg"], capture_output=True, timeout=120)


def _without_password(url: str) -> str:
    return re.sub(r"://([^:@/]+):[^@/]*@", r"://\1:***@", url)


# The figures the issue gives for pretalx 2025.2 on this machine (gunicorn, 4 workers, SQLite).
PRETALX = {"/programme": (50, 580), "/schedule.json": (32, None)}


def _compare_with_pretalx(wrk: str, url: str) -> list[tuple[str, int, int | None, WrkResult]]:
    """The command pretalx was measured with — ``wrk -t2 -c20``, back to back, no pauses — on
    the server-rendered programme and the schedule JSON, for a like-for-like comparison."""
    measured = []
    for path, (pretalx_rate, pretalx_p99) in PRETALX.items():
        result = run_wrk(wrk, url + path, 10, {"Accept": BROWSER_ACCEPT})
        if result is not None:
            measured.append((path, pretalx_rate, pretalx_p99, result))
    return measured


def _report_pretalx(measured: list[tuple[str, int, int | None, WrkResult]]) -> None:
    print("\nlike-for-like with pretalx (SQLite): wrk -t2 -c20 -d10s --latency -H 'Accept: …' URL")
    for path, pretalx_rate, pretalx_p99, result in measured:
        report(f"{path} (wrk -c20)", result.per_second, "req/s", f"pretalx about {pretalx_rate}/s")
        report(f"{path} p99 (wrk -c20)", result.p99_ms, "ms", f"pretalx about {pretalx_p99} ms" if pretalx_p99 else "")
        report(f"{path} errors (wrk -c20)", result.errors, "", "target 0")


# --- 50 registrations a second ----------------------------------------------------------------


@dataclass
class _Registrations:
    """Register people at a fixed rate, each with its own cookies, as a browser would."""

    url: str
    rate: float
    seconds: int
    first_number: int = 0  # e-mail addresses apart from another batch's
    statuses: dict = field(default_factory=dict)
    accepted: int = 0
    late: int = 0
    latencies: list = field(default_factory=list)

    def start(self) -> None:
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._schedule, daemon=True)
        self._thread.start()

    def join(self) -> None:
        self._thread.join(timeout=self.seconds + 120)

    def _schedule(self) -> None:
        total = int(self.rate * self.seconds)
        with ThreadPoolExecutor(max_workers=64) as pool:
            start = time.monotonic()
            for number in range(self.first_number, self.first_number + total):
                due = start + (number - self.first_number) / self.rate
                delay = due - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                elif delay < -0.5:
                    self.late += 1
                pool.submit(self._register, number)

    def _register(self, number: int) -> None:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
        headers = {"Accept": BROWSER_ACCEPT, "User-Agent": USER_AGENT}
        started = time.perf_counter()
        try:
            with opener.open(urllib.request.Request(self.url + "/register", headers=headers), timeout=30) as page:
                token = _CSRF.search(page.read().decode("utf-8")).group(1)
            data = urllib.parse.urlencode({
                "csrf_token": token, "name": f"Lunsj Deltaker {number}", "email": f"lunsj{number}@example.no",
                "organisation": "Halden kommune", "consent": "y"}).encode()
            request = urllib.request.Request(self.url + "/register", data=data, headers=headers, method="POST")
            try:
                with opener.open(request, timeout=30) as answer:
                    status, location = answer.status, answer.headers.get("Location", "")
            except urllib.error.HTTPError as error:
                status, location = error.code, error.headers.get("Location", "")
        except OSError as error:
            status, location = type(error).__name__, ""
        elapsed = time.perf_counter() - started
        with self._lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(elapsed)
            if status == 303 and "/ticket/" in location:
                self.accepted += 1


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- Reporting --------------------------------------------------------------------------------


def _report(columns: dict[str, Rush | str]) -> None:
    """One table, a column per database; a column that could not run says why."""
    names = list(columns)
    print(f"\n{'the lunch-hour rush':<50}" + "".join(f"{name:>16}" for name in names) + "   target")

    def row(label: str, figure, target: str = "", digits: int = 1) -> None:
        cells = []
        for name in names:
            rush = columns[name]
            if not isinstance(rush, Rush):
                cells.append(f"{'—':>16}")
                continue
            value = figure(rush)
            cells.append(f"{value:>16}" if isinstance(value, str) else f"{value:>16.{digits}f}")
        print(f"{label:<50}" + "".join(cells) + (f"   {target}" if target else ""))

    def percentile(rush: Rush, share: float) -> float:
        latencies = sorted(rush.registering.latencies) or [0.0]
        return latencies[min(len(latencies) - 1, int(len(latencies) * share))] * 1000

    row("gunicorn workers", lambda r: r.workers)
    row("stand + programme pages, req/s", lambda r: r.wrk["requests"] / (r.wrk["duration_us"] / 1e6), "≥ 650")
    row("page latency p50, ms", lambda r: r.wrk["p50_us"] / 1000)
    row("page latency p99, ms", lambda r: r.wrk["p99_us"] / 1000, "≤ 50")
    row("page latency max, ms", lambda r: r.wrk["max_us"] / 1000)
    row("page requests (wrk)", lambda r: r.pages, digits=0)
    row("errors: non-2xx/3xx answers", lambda r: r.wrk["status"], "0", digits=0)
    row("errors: socket (connect/read/write/timeout)",
        lambda r: f"{r.wrk['connect']}/{r.wrk['read']}/{r.wrk['write']}/{r.wrk['timeout']}", "0/0/0/0")
    row("registrations sent", lambda r: sum(r.registering.statuses.values()), digits=0)
    row("registrations accepted (303 to a ticket)", lambda r: r.registering.accepted, digits=0)
    row("registrations found in the database", lambda r: r.in_database, "= accepted", digits=0)
    row("registration GET+POST p50, ms", lambda r: percentile(r, 0.5))
    row("registration GET+POST p99, ms", lambda r: percentile(r, 0.99), "≤ 300")
    row("server CPU during the rush, cores", lambda r: r.server_cpu / r.seconds, "≤ 1.2 of 2", digits=2)
    row("server CPU per page request, ms", lambda r: r.page_cpu_ms, digits=2)
    row("server CPU per registration (GET+POST), ms", lambda r: r.registration_cpu_ms, digits=2)
    row("server CPU with no traffic, cores", lambda r: r.idle_cores, digits=3)
    row("load generators' CPU (wrk + threads), cores", lambda r: r.client_cpu / r.seconds, digits=2)
    row("server memory (PSS, master + workers), MiB", lambda r: r.pss_mib, digits=0)
    row("machine load average (1 min) at the end", lambda r: r.load_average, "other work skews latencies", 2)
    for name, rush in columns.items():
        if not isinstance(rush, Rush):
            print(f"{name} column {rush}")
            continue
        answers = dict(sorted(rush.registering.statuses.items(), key=str))
        print(f"{name}: registration answers {answers}; alone before the rush {len(rush.calibration.latencies)} "
              f"registrations ({dict(sorted(rush.calibration.statuses.items(), key=str))})"
              + (f"; {rush.registering.late} started > 0.5 s late" if rush.registering.late else "")
              + ("" if rush.in_database == rush.registering.accepted else "; MISMATCH with the database"))
    print("CPU per request: the master's and workers' user + system time from /proc/<pid>/stat. A registration's "
          "is measured alone before the rush (less the idle background); a page's is the rush's CPU less the "
          "background's and the registrations' share, divided by the pages served.")


# --- Helpers ----------------------------------------------------------------------------------


def _client_cpu_seconds() -> float:
    """CPU time of this process and its finished children (wrk)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


