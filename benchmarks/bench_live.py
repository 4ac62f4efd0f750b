"""What 500 open programme pages cost the server, while nothing changes and when one change is pushed.

Every open programme page (and hall screen) runs ``static/live.js``: every 3–4 s it asks
``/live.json`` whether anything changed, with the ETag it holds, and the page cache answers
"304 Not Modified" before Flask runs. After a change each page fetches its page once and swaps
the changed parts in. Here ``BENCH_LIVE_PAGES`` (500) pages are simulated over asyncio keep-alive
connections against ``serve --production``:

1. quiet: ``BENCH_LIVE_SECONDS`` (30) with nothing changing — polls a second, server CPU;
2. one change: an organiser's edit is committed; how long until every page has it, and the
   server CPU of that push;
3. the alternative, Server-Sent Events: the same pages each hold a stream open (a throwaway plugin
   adds ``/sse-probe`` to the same server). The production server runs gunicorn's threaded
   workers (5 × 64 threads): how many streams get through, and what a programme page costs to
   load while they are held.

Issue 13's requirement: a change reaches every open page within 5 s, cheaply, without a worker
thread per phone.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from .common import report
from .server import BROWSER_ACCEPT, Server

POLL_SECONDS = (3.0, 4.0)  # live.js: every 3 s plus up to 1 s of jitter

SSE_PLUGIN = '''
"""A throwaway plugin for the benchmark: Server-Sent Events of the content version."""
import time

from flask import Blueprint, Response, stream_with_context

from fagkonferanse import hookimpl
from fagkonferanse.pagecache import current_version

bp = Blueprint("sse_probe", __name__)


@bp.get("/sse-probe")
def stream():
    def events():
        last = None
        for _ in range(120):
            version = current_version()
            if version != last:
                last = version
                yield f"data: {version}\\n\\n"
            time.sleep(1)
    return Response(stream_with_context(events()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store"})


@hookimpl
def register_blueprints(app):
    return [bp]
'''


def run() -> None:
    pages = int(os.environ.get("BENCH_LIVE_PAGES", "500"))
    seconds = int(os.environ.get("BENCH_LIVE_SECONDS", "30"))
    with tempfile.TemporaryDirectory(prefix="fk-bench-live-") as folder:
        plugins = Path(folder) / "plugins"
        plugins.mkdir()
        (plugins / "sse_probe.py").write_text(textwrap.dedent(SSE_PLUGIN))
        env = {"FAGKONFERANSE_PLUGIN_FOLDERS": f'["{plugins}"]'}
        with Server(Path(folder), os.environ.get("BENCH_WORKERS"), env) as server:
            print(f"server: fagkonferanse serve --production --workers {server.workers}; "
                  f"{pages} simulated open programme pages polling /live.json every 3–4 s")
            asyncio.run(_polling(server, pages, seconds))
            asyncio.run(_sse(server, pages))


# --- Polling -------------------------------------------------------------------------------------


class Page:
    """One open programme page: a keep-alive connection, the version it shows, when it saw a new one."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.etag: str | None = None
        self.version: int | None = None
        self.seen_at: float | None = None
        self.latencies: list[float] = []
        self.errors = 0
        self.reader = self.writer = None

    async def request(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive",
                 *(f"{name}: {value}" for name, value in headers.items()), "", ""]
        self.writer.write("\r\n".join(lines).encode())
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        received: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            received[name.strip().lower()] = value.strip()
        body = await self.reader.readexactly(int(received.get("content-length", "0")))
        return status, received, body

    async def poll(self) -> None:
        start = time.perf_counter()
        try:
            headers = {"If-None-Match": self.etag} if self.etag else {}
            status, received, body = await self.request("/live.json", headers)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            self.errors += 1
            self.writer = None
            return
        self.latencies.append(time.perf_counter() - start)
        if status == 200:
            self.etag = received.get("etag")
            version = int(body.split(b'"version":')[1].split(b",")[0].split(b"}")[0])
            if self.version is not None and version != self.version:
                await self.request("/programme", {"Accept": BROWSER_ACCEPT})  # swap the regions in
                self.seen_at = time.monotonic()
            self.version = version
        elif status != 304:
            self.errors += 1

    async def run_until(self, stop: float) -> None:
        await asyncio.sleep(random.uniform(0, POLL_SECONDS[1]))
        while time.monotonic() < stop:
            await self.poll()
            await asyncio.sleep(random.uniform(*POLL_SECONDS))
        if self.writer is not None:
            self.writer.close()


async def _polling(server: Server, count: int, seconds: int) -> None:
    host, port = "127.0.0.1", server.port
    pages = [Page(host, port) for _ in range(count)]
    stop = time.monotonic() + POLL_SECONDS[1] + seconds + 12
    runners = [asyncio.create_task(page.run_until(stop)) for page in pages]
    await asyncio.sleep(POLL_SECONDS[1] + 1)  # every page has its first answer
    polls_before = sum(len(page.latencies) for page in pages)
    cpu_before, started = server.cpu_seconds(), time.monotonic()
    await asyncio.sleep(seconds)
    quiet_polls = sum(len(page.latencies) for page in pages) - polls_before
    quiet_cpu = server.cpu_seconds() - cpu_before
    elapsed = time.monotonic() - started
    quiet_latencies = sorted(latency for page in pages for latency in page.latencies)
    report("polls /live.json while nothing changes", quiet_polls / elapsed, "req/s")
    report("  server CPU, 500 open pages, quiet", quiet_cpu / elapsed, "cores", "of 2")
    report("  server CPU per poll", 1000 * quiet_cpu / max(1, quiet_polls), "ms")
    report("  poll latency p99", 1000 * quiet_latencies[int(len(quiet_latencies) * 0.99)], "ms")

    cpu_before = server.cpu_seconds()
    changed_at = _edit_the_programme(server)
    await asyncio.sleep(POLL_SECONDS[1] + 2)
    push_cpu = server.cpu_seconds() - cpu_before
    delays = sorted(page.seen_at - changed_at for page in pages if page.seen_at is not None)
    report("one change pushed: pages that have it", len(delays), "pages", f"of {count}")
    if delays:
        report("  time until a page has it, median", statistics.median(delays), "s")
        report("  time until every page has it", delays[-1], "s", "target ≤ 5 s")
    report("  server CPU for the push (polls + page loads)", push_cpu, "s")
    await asyncio.gather(*runners)
    report("  errors (socket or HTTP)", sum(page.errors for page in pages), "", "target 0")


def _edit_the_programme(server: Server) -> float:
    """An organiser's edit, committed: every content version reader sees it from now on."""
    from fagkonferanse.extensions import db
    from fagkonferanse.programme.models import ProgrammeItem

    app = server._app()
    with app.app_context():
        item = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title == "Pause"))
        item.title = "Kaffepause"
        db.session.commit()
        changed_at = time.monotonic()
        db.engine.dispose()
    return changed_at


# --- Server-Sent Events on the same server ------------------------------------------------------


async def _sse(server: Server, count: int) -> None:
    host, port = "127.0.0.1", server.port
    streams: list[asyncio.StreamWriter] = []
    received = 0

    async def open_stream() -> None:
        nonlocal received
        try:
            reader, writer = await asyncio.open_connection(host, port)
            streams.append(writer)
            writer.write(f"GET /sse-probe HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
            while (line := await asyncio.wait_for(reader.readline(), 15)) != b"":
                if line.startswith(b"data:"):
                    received += 1
                    return
        except (OSError, asyncio.TimeoutError):
            return

    openers = [asyncio.create_task(open_stream()) for _ in range(count)]
    await asyncio.sleep(3)
    loads = await asyncio.to_thread(_programme_load_times, server, 10)
    await asyncio.gather(*openers)
    report(f"SSE: streams that got their first event (of {count})", received, "streams",
           f"{count - received} left waiting for a thread")
    answered = [seconds for seconds in loads if seconds is not None]
    report("SSE: programme page loads answered while they are held", len(answered), "", f"of {len(loads)}")
    if answered:
        report("SSE: programme page load, slowest answered", max(answered), "s")
    for writer in streams:
        writer.close()


def _programme_load_times(server: Server, count: int) -> list[float | None]:
    times: list[float | None] = []
    for _ in range(count):
        start = time.perf_counter()
        try:
            request = urllib.request.Request(server.url + "/programme", headers={"Accept": BROWSER_ACCEPT})
            with urllib.request.urlopen(request, timeout=5) as page:
                page.read()
            times.append(time.perf_counter() - start)
        except OSError:
            times.append(None)
    return times
