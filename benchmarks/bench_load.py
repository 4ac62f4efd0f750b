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

Issue 8's targets on a 2-core machine: ≥ 650 requests/s for the stand and programme pages,
p99 ≤ 50 ms, no errors, every accepted registration in the database.

Rate limits are switched off for the run (``RATELIMIT_ENABLED=false``): all the traffic comes
from 127.0.0.1, where the per-address limits would refuse registrations and stop counting poster
visits — that would make the figures look better than real traffic from many phones would.

Knobs: ``BENCH_SECONDS`` (60), ``BENCH_CONNECTIONS`` (300), ``BENCH_REGISTRATIONS_PER_SECOND``
(50), ``BENCH_WORKERS`` (gunicorn workers; the ``serve --production`` default otherwise),
``BENCH_THREADS`` (threads per worker), ``BENCH_THINK_MS`` (400: an attendee's mean pause between
pages), ``BENCH_DATABASE_URL`` (an empty PostgreSQL database instead of SQLite).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from .common import report
from .server import BROWSER_ACCEPT, USER_AGENT, Server, find_wrk, run_wrk

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
    seconds = int(os.environ.get("BENCH_SECONDS", "60"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "300"))
    rate = float(os.environ.get("BENCH_REGISTRATIONS_PER_SECOND", "50"))
    workers = os.environ.get("BENCH_WORKERS")
    think = int(os.environ.get("BENCH_THINK_MS", "400"))
    wrk = find_wrk()
    if wrk is None:
        print("wrk is not installed: apt-get install wrk (or run scripts/system-deps.sh as root)")
        return
    with tempfile.TemporaryDirectory(prefix="fk-load-") as folder:
        with Server(Path(folder), workers) as server:
            slugs = server.stand_slugs()
            server.warm_up(slugs)
            script = Path(folder) / "rush.lua"
            script.write_text(LUA_SCRIPT % {"slugs": ", ".join(f'"{slug}"' for slug in slugs),
                                            "accept": BROWSER_ACCEPT, "agent": USER_AGENT, "think": think,
                                            "think_low": think // 2, "think_high": think * 3 // 2},
                              encoding="utf-8")
            command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
                       "-s", str(script), server.url]
            print("wrk command:", " ".join(command[:-3] + ["rush.lua", server.url]))
            print(f"rush.lua: poster scan (303) → stand page → programme, over {len(slugs)} stands; "
                  f"each attendee waits {think // 2}–{think * 3 // 2} ms between requests (wrk's delay())")
            print(f"registrations: {rate:g}/s from Python threads (GET /register for the CSRF token, then POST)")
            print(f"server: fagkonferanse serve --production --workers {server.workers}, SQLite"
                  if not server.database_url else f"server: … --workers {server.workers}, {server.database_url}")
            registering = _Registrations(server.url, rate, seconds)
            cpu_before, client_before = server.cpu_seconds(), _client_cpu_seconds()
            registering.start()
            finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
            registering.join()
            cpu = (server.cpu_seconds() - cpu_before, _client_cpu_seconds() - client_before)
            rss = server.worker_rss()
            in_database = server.registrations_in_database()
            _report(finished, seconds, registering, in_database, rss, cpu)
            _compare_with_pretalx(wrk, server.url)


# The figures the issue gives for pretalx 2025.2 on this machine (gunicorn, 4 workers, SQLite).
PRETALX = {"/programme": (50, 580), "/schedule.json": (32, None)}


def _compare_with_pretalx(wrk: str, url: str) -> None:
    """The command pretalx was measured with — ``wrk -t2 -c20``, back to back, no pauses — on
    the server-rendered programme and the schedule JSON, for a like-for-like comparison."""
    print(f"\nlike-for-like with pretalx: {wrk} -t2 -c20 -d10s --latency -H 'Accept: …' URL")
    for path, (pretalx_rate, pretalx_p99) in PRETALX.items():
        measured = run_wrk(wrk, url + path, 10, {"Accept": BROWSER_ACCEPT})
        if measured is None:
            continue
        report(f"{path} (wrk -c20)", measured.per_second, "req/s", f"pretalx about {pretalx_rate}/s")
        report(f"{path} p99 (wrk -c20)", measured.p99_ms, "ms", f"pretalx about {pretalx_p99} ms" if pretalx_p99 else "")
        report(f"{path} errors (wrk -c20)", measured.errors, "", "target 0")


# --- 50 registrations a second ----------------------------------------------------------------


@dataclass
class _Registrations:
    """Register people at a fixed rate, each with its own cookies, as a browser would."""

    url: str
    rate: float
    seconds: int
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
            for number in range(total):
                due = start + number / self.rate
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


def _report(finished: subprocess.CompletedProcess, seconds: int, registering: _Registrations, in_database: int,
            rss: list[tuple[int, int, int]], cpu: tuple[float, float]) -> None:
    match = re.search(r"^RESULT (.*)$", finished.stdout, re.M)
    if finished.returncode != 0 or not match:
        print("wrk failed:", finished.stdout, finished.stderr)
        return
    values = {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}
    per_second = values["requests"] / (values["duration_us"] / 1e6)
    socket_errors = values["connect"] + values["read"] + values["write"] + values["timeout"]
    report("stand + programme pages", per_second, "req/s", "target ≥ 650")
    report("latency p50", values["p50_us"] / 1000, "ms")
    report("latency p90", values["p90_us"] / 1000, "ms")
    report("latency p95", values["p95_us"] / 1000, "ms")
    report("latency p98", values["p98_us"] / 1000, "ms")
    report("latency p99", values["p99_us"] / 1000, "ms", "target ≤ 50")
    report("latency max", values["max_us"] / 1000, "ms")
    report("requests (wrk)", values["requests"], "")
    report("errors: non-2xx/3xx responses", values["status"], "", "target 0")
    report("errors: socket (connect/read/write/timeout)", socket_errors, "",
           f"{values['connect']}/{values['read']}/{values['write']}/{values['timeout']}")
    latencies = sorted(registering.latencies) or [0.0]
    report("registrations sent", sum(registering.statuses.values()), "",
           f"{registering.rate:g}/s for {seconds} s; answers {dict(sorted(registering.statuses.items(), key=str))}")
    report("registrations accepted (303 to a ticket)", registering.accepted, "")
    report("registrations found in the database", in_database, "",
           "equal" if in_database == registering.accepted else "MISMATCH")
    report("registration GET+POST p50", latencies[len(latencies) // 2] * 1000, "ms")
    report("registration GET+POST p99", latencies[int(len(latencies) * 0.99)] * 1000, "ms")
    if registering.late:
        report("registrations started > 0.5 s late", registering.late, "", "the client could not keep the rate")
    server_cpu, client_cpu = cpu
    report("server CPU used (all workers)", server_cpu / seconds, "cores", f"{server_cpu:.1f} s in {seconds} s")
    report("load generators' CPU (wrk + registering threads)", client_cpu / seconds, "cores")
    report("machine load average (1 min) at the end", os.getloadavg()[0], "", "other work on the machine skews figures")
    for number, (pid, rss_mib, pss_mib) in enumerate(rss):
        report("RSS gunicorn master" if number == 0 else f"RSS worker {number} (pid {pid})", rss_mib, "MiB",
               f"PSS {pss_mib} MiB")
    report("memory of the server (PSS, shared pages counted once)", sum(pss for _pid, _rss, pss in rss), "MiB")


# --- Helpers ----------------------------------------------------------------------------------


def _client_cpu_seconds() -> float:
    """CPU time of this process and its finished children (wrk)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


