"""Public pages for every visitor: anonymous, and with a registered visitor's session cookie.

Everyone who has opened ``/register`` carries Flask's ``session`` cookie (it holds the form's
CSRF token), so at the lunch break most attendees' phones send one. The page cache ignores it
(see :mod:`fagkonferanse.pagecache`); this benchmark shows that those phones are served as fast
as anonymous ones. Each page gets two back-to-back passes of ``wrk -t2 -c20 -d15s`` (pretalx's
command) against ``serve --production`` with a browser's Accept header: without cookies, then
with the ``session`` cookie of a visitor who registered (GET /register, POST the form, follow the
redirect to the ticket as a browser does).

Issue 12's target: with the session cookie, at least half the anonymous requests per second and
p99 ≤ 50 ms. A last pass sends an organiser's cookie, which is never answered from the cache:
what an uncached ``/programme`` costs the server per request.

Knobs: ``BENCH_PAGE_SECONDS`` (15: each wrk pass), ``BENCH_WORKERS``, ``BENCH_DATABASE_URL``.
"""

from __future__ import annotations

import os
import re
import tempfile
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from fagkonferanse.cookies import ORGANISER_COOKIE

from .common import report
from .server import BROWSER_ACCEPT, USER_AGENT, Server, find_wrk, get, run_wrk

PAGES = ["/programme", "/stands/{slug}", "/catalogue", "/programme.ics"]
SESSION_COOKIE = "session"  # Flask's default SESSION_COOKIE_NAME
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def run() -> None:
    seconds = int(os.environ.get("BENCH_PAGE_SECONDS", "15"))
    wrk = find_wrk()
    if wrk is None:
        print("wrk is not installed: apt-get install wrk (or run scripts/system-deps.sh as root)")
        return
    with tempfile.TemporaryDirectory(prefix="fk-visitors-") as folder, \
            Server(Path(folder), os.environ.get("BENCH_WORKERS")) as server:
        paths = [page.format(slug=server.stand_slugs()[0]) for page in PAGES]
        cookie = registered_visitor_cookie(server.url)
        for path in paths:  # every worker's cache, as the morning before the lunch hour fills it
            for _ in range(int(server.workers) * 8):
                get(server.url + path)
        print(f"server: fagkonferanse serve --production --workers {server.workers}; "
              f"each pass: {wrk} -t2 -c20 -d{seconds}s --latency -H 'Accept: <browser>' [-H 'Cookie: …'] URL")
        print(f"{'page':<28} {'anonymous':>22}   {'with a session cookie':>24}   target: ≥ half, p99 ≤ 50 ms")
        browser = {"Accept": BROWSER_ACCEPT, "User-Agent": USER_AGENT}
        for path in paths:
            anonymous = run_wrk(wrk, server.url + path, seconds, browser)
            visitor = run_wrk(wrk, server.url + path, seconds, {**browser, "Cookie": f"{SESSION_COOKIE}={cookie}"})
            if anonymous and visitor:
                _print_side_by_side(path, anonymous, visitor)
        _uncached_programme(wrk, server, seconds, browser)


def registered_visitor_cookie(url: str) -> str:
    """The ``session`` cookie a browser holds after registering (its CSRF token, no login)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"Accept": BROWSER_ACCEPT, "User-Agent": USER_AGENT}
    with opener.open(urllib.request.Request(url + "/register", headers=headers), timeout=30) as page:
        token = _CSRF.search(page.read().decode("utf-8")).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "name": "Benk Besøkende", "email": "benk@example.no",
                                   "organisation": "Halden kommune", "consent": "y"}).encode()
    with opener.open(urllib.request.Request(url + "/register", data=data, headers=headers), timeout=30) as ticket:
        if "/ticket/" not in ticket.url:  # the redirect after a registration, followed as a browser does
            raise RuntimeError(f"registration did not lead to a ticket: {ticket.url}")
    return next(cookie.value for cookie in jar if cookie.name == SESSION_COOKIE)


def _print_side_by_side(path, anonymous, visitor) -> None:
    share = visitor.per_second / anonymous.per_second if anonymous.per_second else 0.0
    verdict = "ok" if share >= 0.5 and visitor.p99_ms <= 50 else "MISSED"
    errors = anonymous.errors + visitor.errors
    print(f"{path:<28} {anonymous.per_second:>8.0f} req/s p99 {anonymous.p99_ms:>5.1f} ms"
          f"   {visitor.per_second:>8.0f} req/s p99 {visitor.p99_ms:>5.1f} ms"
          f"   {share:.0%} of anonymous, {verdict}" + (f", {errors} errors" if errors else ""))


def _uncached_programme(wrk: str, server: Server, seconds: int, browser: dict[str, str]) -> None:
    """``/programme`` for an organiser (never from the cache): the server's CPU per rendered page."""
    before = server.cpu_seconds()
    measured = run_wrk(wrk, server.url + "/programme", seconds, {**browser, "Cookie": f"{ORGANISER_COOKIE}=benchmark"})
    if measured is None:
        return
    cpu_ms = (server.cpu_seconds() - before) * 1000 / max(measured.requests, 1)
    report("/programme uncached (organiser cookie)", measured.per_second, "req/s", f"p99 {measured.p99_ms:.1f} ms")
    report("server CPU per uncached /programme", cpu_ms, "ms", "all workers' CPU ÷ requests")
