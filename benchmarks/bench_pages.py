"""Public pages and the programme PDF, in process (no network): what one request costs.

Pages are measured as the cache serves them, and ``/programme`` also as rendered: in an app
without the page cache, as an organiser, a visitor with a message waiting or the first request
after an edit gets it. Profile that render with
``python -m cProfile -s cumtime -m benchmarks bench_pages``.
"""

from __future__ import annotations

from fagkonferanse.events.services import current_event
from fagkonferanse.printing import render_document

from .common import conference_app, cpu_timed, report, timed

PAGES = ["/", "/programme", "/speakers", "/stands", "/stands/moss-kommune"]


def run() -> None:
    with conference_app() as app:
        client = app.test_client()
        for path in PAGES:
            median, _ = timed(lambda path=path: client.get(path, headers={"Accept": "text/html"}), repeat=50)
            report(f"page {path} (test client)", median * 1000, "ms")
        with app.app_context(), app.test_request_context("/"):
            event = current_event()
            median, best = timed(lambda: render_document("programme", event, {}), repeat=5)
            report("programme PDF (one A4 page)", median, "s", "target ≤ 1 s")
    with conference_app(PAGE_CACHE=False) as app:
        client = app.test_client()
        cpu = cpu_timed(lambda: client.get("/programme", headers={"Accept": "text/html"}))
        report("page /programme rendered (no cache), CPU", cpu * 1000, "ms", "3.2 ms before issue 12")
        # Issue 15: the floor plans are drawn per render (every floor on /stands, one on a stand's page).
        for path in ("/stands", "/stands/moss-kommune?fra=plakat"):
            cpu = cpu_timed(lambda path=path: client.get(path, headers={"Accept": "text/html"}))
            report(f"page {path} rendered (no cache), CPU", cpu * 1000, "ms")
