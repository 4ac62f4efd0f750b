"""The hall screen in a real browser (Debian's Chromium) against a real server at a set clock.

A TV in the hall opens /screen once in the morning and is never touched again: it must follow an
organiser's shift within seconds, move on by itself when the next item starts, come back after
the network or the server was away, fit the screen lying down and on its side, and run all day
without growing. Each test starts its own server, because each changes the programme or needs
the clock at its own moment.
"""

from __future__ import annotations

import re
import time

import pytest

from ..liveserver import start_live_server
from .conftest import DESKTOP, axe_violations, log_in

TV = {"width": 1920, "height": 1080}
TV_ON_ITS_SIDE = {"width": 1080, "height": 1920}
SHIFT_SECONDS = 5  # issue 13: "the screen updated within 5 seconds without reload"


@pytest.fixture
def server_at(tmp_path):
    """Start a server whose clock begins at ``moment`` on 9 November 2016 (stopped after the test)."""
    servers = []

    def start(moment: str):
        server = start_live_server(tmp_path / f"instance-{len(servers)}", {"FAGKONFERANSE_NOW": f"2016-11-09T{moment}"})
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def open_screen(browser, server, path: str = "/screen", viewport=TV):
    """A TV's browser: opens the screen and marks the page, so a reload would show."""
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(server.url + path)
    page.evaluate("window.openedOnce = 'yes'")
    return context, page


def text(page, selector: str) -> str:
    """What a reader sees in ``selector``, spaces (the non-breaking ones too) made single."""
    return " ".join(page.locator(selector).inner_text().replace("\xa0", " ").split())


def never_reloaded(page) -> bool:
    return page.evaluate("window.openedOnce") == "yes"


def layout_problems(page) -> list[str]:
    """What would not be read on the screen: a scrollbar, or text outside the screen, cut by its panel
    or cut short by its line limit."""
    return page.evaluate("""() => {
      const problems = [];
      const root = document.documentElement;
      if (root.scrollHeight > innerHeight || root.scrollWidth > innerWidth) {
        problems.push(`scrolls: ${root.scrollWidth}×${root.scrollHeight} in ${innerWidth}×${innerHeight}`);
      }
      for (const el of document.querySelectorAll('#screen :is(h1, h2, h3, p, th, td, caption)')) {
        const box = el.getBoundingClientRect();
        const panel = el.parentElement.closest('section, header, .screen-banner').getBoundingClientRect();
        const name = el.textContent.trim().slice(0, 40);
        if (box.bottom > innerHeight + 0.5 || box.right > innerWidth + 0.5) { problems.push(`off screen: ${name}`); }
        if (box.bottom > panel.bottom + 0.5) { problems.push(`cut by its panel: ${name}`); }
        // A title cut after its last allowed line hides at least a line; letters reaching past a
        // tight line height by a few pixels do not count.
        if (el.scrollHeight - el.clientHeight > parseFloat(getComputedStyle(el).fontSize) / 2) {
          problems.push(`cut short: ${name}`);
        }
      }
      return problems;
    }""")


def test_at_ten_forty_an_organiser_shifts_the_day_and_the_screen_follows_within_five_seconds(browser, server_at):
    server = server_at("10:40")
    tv, screen = open_screen(browser, server)
    assert text(screen, ".screen-clock") == "10.40"
    assert text(screen, ".screen-now") == "NÅ kl. 10.35–10.55 Pause 15 min igjen"
    assert text(screen, ".next-item >> nth=0") == (
        "kl. 10.55 om 15 min Husbanken – Lansering av Veiviseren v/ Synnøve Seljeflot og Bente Klingenberg")
    assert text(screen, ".next-item >> nth=1") == "kl. 11.15 Halden – En dør inn v/ Øyvind Grandahl"
    assert screen.locator(".next-item").count() == 2
    assert layout_problems(screen) == []
    assert axe_violations(screen) == []
    screen.set_viewport_size(TV_ON_ITS_SIDE)
    assert layout_problems(screen) == []

    organiser = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    dashboard = organiser.new_page()
    log_in(dashboard, server.url)
    dashboard.goto(server.url + "/admin/")
    dashboard.get_by_role("button", name="+10 min").click()
    confirm = dashboard.get_by_role("button", name="Flytt 10 punkter og si fra til deltakerne")
    shifted = time.monotonic()
    confirm.click()
    banner = screen.locator(".delay-banner")
    banner.wait_for(timeout=SHIFT_SECONDS * 1000)
    took = time.monotonic() - shifted
    print(f"\nthe screen showed the shift {took:.1f} s after the organiser's click")
    assert took < SHIFT_SECONDS
    assert text(screen, ".delay-banner") == "Programmet er forskjøvet 10 minutter fra kl. 10.35. Tidene under er de nye."
    # At 10.40 the pause now starts at 10.45: nothing is on, the screen says what comes and when.
    assert text(screen, ".screen-now") == "Neste punkt starter kl. 10.45"
    assert text(screen, ".next-item >> nth=0") == "kl. 10.45 om 5 min Pause"
    assert text(screen, ".next-item >> nth=1").startswith("kl. 11.05 Husbanken – Lansering av Veiviseren")
    assert never_reloaded(screen)
    assert layout_problems(screen) == []
    organiser.close()
    tv.close()


def test_the_screen_moves_on_to_lunch_by_itself_and_shows_the_stands(browser, server_at):
    server = server_at("11:59:45")
    tv, screen = open_screen(browser, server)
    assert text(screen, ".now-item .screen-title") == "Informasjon om prosjektstands"
    assert screen.locator(".screen-stands").count() == 0
    screen.locator(".screen.is-lunch").wait_for(timeout=25_000)  # 12.00 on the site's clock
    assert text(screen, ".now-item .screen-title") == "Lunsj og stands"
    assert text(screen, ".screen-stands") == (
        "HER STÅR STANDENE 1. etasje Sarpsborg kommune Gangen utenfor H-113 Halden kommune Gangen ved kaffebaren "
        "Husbanken H-113 2. etasje Moss kommune Trappegangen i 2. etasje 3. etasje Fredrikstad kommune "
        "Trappegangen i 3. etasje")
    assert text(screen, ".screen-left") == "120 min igjen"
    assert never_reloaded(screen)
    assert layout_problems(screen) == []
    assert axe_violations(screen) == []
    screen.set_viewport_size(TV_ON_ITS_SIDE)
    assert layout_problems(screen) == []
    tv.close()


def _item_id(server, page, title: str) -> int:
    page.goto(server.url + "/programme")
    found = re.search(rf'<li id="item-(\d+)"(?:(?!</li>).)*?>{re.escape(title)}</a>', page.content(), re.S)
    return int(found.group(1))


def _cancelling(browser, server):
    """An organiser's browser and a function that cancels or reinstates an item in one request."""
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = context.new_page()
    log_in(page, server.url)
    item_id = _item_id(server, page, "En dør inn")
    page.goto(f"{server.url}/admin/today/items/{item_id}/cancel")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")

    def cancel(cancelled: bool) -> None:
        action = "cancel" if cancelled else "reinstate"
        response = context.request.post(f"{server.url}/admin/today/items/{item_id}/{action}",
                                        form={"csrf_token": token, "note": ""}, max_redirects=0)
        assert response.status == 303, response.status

    return context, cancel


def _restart(server) -> None:
    """Stop the server process and start it again on the same address and database."""
    import os
    import subprocess
    import sys
    import urllib.request
    from pathlib import Path

    arguments = server.process.args
    server.process.terminate()
    server.process.wait(timeout=10)
    time.sleep(3)  # away long enough for the screen to fail a few times
    env = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
    env.update({"FAGKONFERANSE_BASE_URL": server.url, "FAGKONFERANSE_NOW": "2016-11-09T10:40"})
    server.process = subprocess.Popen(arguments, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{Path(arguments[0]).name} did not come back within 30 s")


def test_the_screen_comes_back_by_itself_after_the_network_and_the_server_were_away(browser, server_at):
    server = server_at("10:40")
    tv, screen = open_screen(browser, server)
    organiser, cancel = _cancelling(browser, server)
    struck = screen.locator(".next-item.is-cancelled")

    tv.set_offline(True)
    screen.wait_for_timeout(4500)  # a poll or two fail
    cancel(True)
    screen.wait_for_timeout(1000)
    assert struck.count() == 0 and text(screen, ".now-item .screen-title") == "Pause"  # the old screen stays up
    tv.set_offline(False)  # the network is back: the screen asks at once
    struck.wait_for(timeout=4000)
    assert text(screen, ".next-item.is-cancelled") == "AVLYST kl. 11.15 Halden – En dør inn"

    _restart(server)
    cancel(False)
    back = time.monotonic()
    struck.wait_for(state="detached", timeout=20_000)  # within the longest wait between tries
    print(f"\nafter the server's restart the screen showed the change in {time.monotonic() - back:.1f} s")
    assert text(screen, ".next-item >> nth=1") == "kl. 11.15 Halden – En dør inn v/ Øyvind Grandahl"
    assert never_reloaded(screen)
    organiser.close()
    tv.close()


def test_a_day_of_changes_leaves_the_screens_memory_level(browser, server_at):
    """Eighty changes (a busy day has a few dozen): the document holds as many nodes and
    listeners as before, and the script's heap is where it was."""
    server = server_at("10:40")
    tv, screen = open_screen(browser, server)
    organiser, cancel = _cancelling(browser, server)
    devtools = tv.new_cdp_session(screen)
    struck = screen.locator(".next-item.is-cancelled")

    def change(cancelled: bool) -> None:
        cancel(cancelled)
        screen.evaluate("window.dispatchEvent(new Event('online'))")  # ask now rather than in 3 s
        struck.wait_for(state="visible" if cancelled else "detached", timeout=10_000)

    def measure() -> tuple[dict, int]:
        screen.wait_for_timeout(1000)  # a poll that happens to be under way ends first
        devtools.send("HeapProfiler.collectGarbage")
        counters = devtools.send("Memory.getDOMCounters")
        return counters, devtools.send("Runtime.getHeapUsage")["usedSize"]

    for cancelled in (True, False) * 3:  # warm up: code compiled, caches filled
        change(cancelled)
    counters_before, heap_before = measure()
    for cancelled in (True, False) * 40:
        change(cancelled)
    counters_after, heap_after = measure()
    print(f"\nafter 80 changes: {counters_before} → {counters_after}, "
          f"heap {heap_before / 1024:.0f} KiB → {heap_after / 1024:.0f} KiB")
    assert counters_after == counters_before
    assert heap_after - heap_before < 256 * 1024
    assert never_reloaded(screen)
    organiser.close()
    tv.close()
