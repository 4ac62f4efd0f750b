"""A hall screen through a long day of changes: does the browser's memory stay level?

A TV opens /screen once and runs until the evening. Here an organiser cancels and reinstates a
talk 2000 times (a busy day has a few dozen changes, and each boundary between items is one
more swap), and after six to warm up and then every 200 the screen's document and heap are
measured after a garbage collection (Chromium's DevTools protocol). What must hold: the same number of documents, nodes
and event listeners each time, and a heap that stops growing once V8 has warmed up.
BENCH_SCREEN_CHANGES sets the number of changes.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.liveserver import LIVE_ORGANISER, LIVE_PASSWORD, start_live_server

from .common import report


def run() -> None:
    changes = int(os.environ.get("BENCH_SCREEN_CHANGES", "2000"))
    with tempfile.TemporaryDirectory(prefix="fk-bench-screen-") as folder:
        server = start_live_server(Path(folder) / "instance", {"FAGKONFERANSE_NOW": "2016-11-09T10:40"})
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                _day_of_changes(browser, server.url, changes)
                browser.close()
        finally:
            server.stop()


def _day_of_changes(browser, url: str, changes: int) -> None:
    tv = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nb-NO")
    screen = tv.new_page()
    screen.goto(url + "/screen")
    devtools = tv.new_cdp_session(screen)
    toggle = _organiser(browser, url)
    struck = screen.locator(".next-item.is-cancelled")

    def change(cancelled: bool) -> None:
        toggle(cancelled)
        screen.evaluate("window.dispatchEvent(new Event('online'))")  # poll now rather than in 3 s
        struck.wait_for(state="visible" if cancelled else "detached", timeout=10_000)

    def measure(done: int) -> tuple[dict, int]:
        screen.wait_for_timeout(1000)  # a poll that happens to be under way ends first
        devtools.send("HeapProfiler.collectGarbage")
        counters = devtools.send("Memory.getDOMCounters")
        heap = devtools.send("Runtime.getHeapUsage")["usedSize"]
        report(f"after {done} changes: heap", heap / 1024, "KiB",
               f"{counters['documents']} document, {counters['nodes']} nodes, "
               f"{counters['jsEventListeners']} listeners")
        return counters, heap

    for cancelled in (True, False) * 3:  # warm up: the first changes compile code and fill caches
        change(cancelled)
    first_counters, _ = measure(0)
    for done in range(2, changes + 1, 2):
        change(True)
        change(False)
        if done % 200 == 0:
            counters, _ = measure(done)
    assert counters == first_counters, (first_counters, counters)
    tv.close()


def _organiser(browser, url: str):
    """Log in as the live server's organiser; return a function that cancels or reinstates "En dør inn"."""
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    page.goto(url + "/login")
    page.get_by_label("E-post").fill(LIVE_ORGANISER)
    page.get_by_label("Passord").fill(LIVE_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/admin/**")
    page.goto(url + "/programme")
    item_id = re.search(r'<li id="item-(\d+)"(?:(?!</li>).)*?>En dør inn</a>', page.content(), re.S).group(1)
    page.goto(f"{url}/admin/today/items/{item_id}/cancel")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")

    def toggle(cancelled: bool) -> None:
        action = "cancel" if cancelled else "reinstate"
        response = context.request.post(f"{url}/admin/today/items/{item_id}/{action}",
                                        form={"csrf_token": token, "note": ""}, max_redirects=0)
        assert response.status == 303, response.status

    return toggle
