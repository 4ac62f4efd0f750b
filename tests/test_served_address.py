"""Without a configured base URL, links point at the address ``serve`` actually listens on.

``make run PORT=5100`` used to mail ticket links, and publish the webcal link, the API's links
and schedule.json's URLs, on http://127.0.0.1:5000, where nothing answered.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from fagkonferanse.config import served_base_url

from .databases import drop_database, new_database
from .liveserver import fagkonferanse_command, free_port

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def environment(**settings: str) -> dict[str, str]:
    """The caller's environment without any FAGKONFERANSE_ setting, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
    return {**env, "FAGKONFERANSE_RATELIMIT_ENABLED": "false", **settings}


@pytest.fixture
def serve(tmp_path):
    """Start ``fagkonferanse serve [--production]`` on a free port over a fresh instance."""
    started: list[tuple[subprocess.Popen, Path]] = []

    def start(*options: str, **settings: str) -> str:
        instance = tmp_path / f"instance-{len(started)}"
        new_database(instance)
        env = environment(**settings)
        fagkonferanse_command("init", instance=instance, env=env)
        port = free_port()
        script = Path(sys.executable).parent / "fagkonferanse"
        log = (tmp_path / "server.log").open("ab")
        process = subprocess.Popen([str(script), "--instance", str(instance), "serve", "--port", str(port), *options],
                                   env=env, stdout=log, stderr=log, start_new_session=True)
        log.close()
        started.append((process, instance))
        url = f"http://127.0.0.1:{port}"
        wait_for(url, process)
        return url

    yield start
    for process, instance in started:
        process.terminate()
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        drop_database(instance)


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("the server exited during start-up (see server.log)")
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer on {url}")


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def mailed_ticket_link(url: str, instance: Path) -> str:
    """Register through the real form and read the ticket link in the mail it sends."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(url + "/register", timeout=30) as response:
        token = _CSRF.search(response.read().decode("utf-8")).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "name": "Kari Nordmann", "email": "kari@example.no",
                                   "organisation": "Moss kommune", "consent": "y"}).encode()
    with opener.open(urllib.request.Request(url + "/register", data=form), timeout=30) as response:
        assert "/ticket/" in response.url
    deadline = time.monotonic() + 30  # under --production the master process sends the mail
    while time.monotonic() < deadline:
        for message in (instance / "outbox").glob("*.eml"):
            match = re.search(rb"https?://\S+/ticket/[A-Za-z0-9_-]+", message.read_bytes())
            if match:
                return match.group(0).decode()
        time.sleep(0.1)
    raise AssertionError("no ticket mail in the outbox")


@pytest.mark.parametrize("options", [(), ("--production", "--workers", "1")], ids=["development", "production"])
def test_links_follow_the_served_port_when_no_base_url_is_set(serve, tmp_path, options):
    url = serve(*options)
    instance = tmp_path / "instance-0"
    port = url.rsplit(":", 1)[1]
    conference = json.loads(get(url + "/schedule.json"))["schedule"]["conference"]
    assert conference["url"] == f"{url}/"
    assert f'href="webcal://127.0.0.1:{port}/programme.ics"' in get(url + "/programme")
    assert json.loads(get(url + "/api/"))["openapi"] == f"{url}/api/openapi.json"
    assert mailed_ticket_link(url, instance).startswith(f"{url}/ticket/")


def test_a_configured_base_url_is_kept_by_serve(serve, tmp_path):
    # http: an https base URL makes the session cookie secure, which this plain-http client drops.
    url = serve(FAGKONFERANSE_BASE_URL="http://konferanse.example.no")
    assert json.loads(get(url + "/schedule.json"))["schedule"]["conference"]["url"] == "http://konferanse.example.no/"
    assert mailed_ticket_link(url, tmp_path / "instance-0").startswith("http://konferanse.example.no/ticket/")


def test_a_wildcard_or_ipv6_host_becomes_an_address_one_can_open(monkeypatch):
    monkeypatch.setattr("socket.gethostname", lambda: "konferanse-pc")
    assert served_base_url("0.0.0.0", 5100) == "http://konferanse-pc:5100"
    assert served_base_url("::", 8000) == "http://konferanse-pc:8000"
    assert served_base_url("::1", 5100) == "http://[::1]:5100"
    assert served_base_url("192.0.2.10", 80) == "http://192.0.2.10:80"


def test_commands_other_than_serve_keep_the_default_address(app):
    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
    assert app.config["BASE_URL_CONFIGURED"] is False
