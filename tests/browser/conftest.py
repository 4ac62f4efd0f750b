"""Headless Chromium (Debian's package) driven by Playwright against a real server process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from ..liveserver import LIVE_ORGANISER, LIVE_PASSWORD, start_live_server

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Chromium on a closed network: no background connections, no first-run work.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = start_live_server(tmp_path_factory.mktemp("live") / "instance")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run 'make test' (it installs Debian's chromium) "
                    "or 'apt-get install chromium'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="nb-NO", is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    yield context.new_page()
    context.close()


def log_in(page, base_url: str) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("E-post").fill(LIVE_ORGANISER)
    page.get_by_label("Passord").fill(LIVE_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/admin/**")


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations on the page, by axe-core."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run 'make test' (it runs npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [node["target"] for node in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


TWO_ROOMS = ROOT / "tests" / "data" / "two_rooms.json"


@pytest.fixture(scope="module")
def two_rooms_server(tmp_path_factory):
    """A server showing the two-room conference (parallel sessions) on its day, at 10.40."""
    server = start_live_server(tmp_path_factory.mktemp("live-two-rooms") / "instance",
                               {"FAGKONFERANSE_NOW": "2017-10-18T10:40"}, dataset=TWO_ROOMS)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def day_server(tmp_path_factory):
    """A server with the 2016 conference on its day, at 10.40 ("Pause" is on), for running late."""
    server = start_live_server(tmp_path_factory.mktemp("live-day") / "instance",
                               {"FAGKONFERANSE_NOW": "2016-11-09T10:40"})
    yield server
    server.stop()
