"""``fagkonferanse serve --production`` as a real process group, and browsers that register.

The server runs in its own session (process group), so a test can stop it the way a power cut
or the kernel's OOM killer would: ``SIGKILL`` to the gunicorn master and every worker at once.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from ..databases import drop_database, new_database
from ..liveserver import fagkonferanse_command, free_port

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_SECRET = re.compile(r"/ticket/([A-Za-z0-9_-]+)$")


def server_env(instance: Path, url: str, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for commands on ``instance``: none of the caller's FAGKONFERANSE_ settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
    return {**env, "FAGKONFERANSE_BASE_URL": url, **(extra_env or {})}


def init_instance(instance: Path, url: str, extra_env: dict[str, str] | None = None) -> None:
    """A fresh database for ``instance`` (PostgreSQL when the suite runs there) with the 2016 conference."""
    new_database(instance)
    fagkonferanse_command("init", instance=instance, env=server_env(instance, url, extra_env))


@dataclass
class ProductionServer:
    """One ``serve --production`` process group over an instance."""

    instance: Path
    port: int
    workers: int = 3
    extra_env: dict[str, str] = field(default_factory=dict)
    extra_args: list[str] = field(default_factory=list)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> ProductionServer:
        """Start gunicorn and wait until it answers (its log goes to ``server.log`` beside the instance)."""
        script = Path(sys.executable).parent / "fagkonferanse"
        log = (self.instance.parent / "server.log").open("ab")
        self.process = subprocess.Popen(
            [str(script), "--instance", str(self.instance), "serve", "--production", "--port", str(self.port),
             "--workers", str(self.workers), *self.extra_args],
            env=server_env(self.instance, self.url, self.extra_env), stdout=log, stderr=log,
            start_new_session=True,  # its own process group: one killpg reaches master and workers
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited during start-up; see {self.instance.parent / 'server.log'}")
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the server did not answer on {self.url} within {timeout} s")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no worker finishes its request, nothing is flushed."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """A graceful stop (SIGTERM to the master), then SIGKILL if it lingers."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def close(self) -> None:
        self.stop()
        drop_database(self.instance)


def set_capacity(instance: Path, capacity: int) -> None:
    """The current event's number of seats, set directly in the instance's database."""
    from fagkonferanse.events.services import current_event
    from fagkonferanse.extensions import db
    from fagkonferanse.registration.settings import settings_for

    from ..conftest import make_app

    app = make_app(instance)
    with app.app_context():
        settings_for(current_event()).capacity = capacity
        db.session.commit()
        db.engine.dispose()


def start_burst_server(instance: Path, capacity: int) -> ProductionServer:
    """Three workers, no rate limits (every browser comes from 127.0.0.1), ``capacity`` seats."""
    live = start_production_server(instance, workers=3, extra_env={"FAGKONFERANSE_RATELIMIT_ENABLED": "false"})
    set_capacity(live.instance, capacity)
    return live


def start_production_server(instance: Path, workers: int = 3, extra_env: dict[str, str] | None = None
                            ) -> ProductionServer:
    """Initialise ``instance`` and serve it with gunicorn on a free port."""
    port = free_port()
    init_instance(instance, f"http://127.0.0.1:{port}", extra_env)
    return ProductionServer(instance, port, workers, dict(extra_env or {})).start()


# --- Browsers ---------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 303 itself is the answer we count


class Browser:
    """One visitor with its own cookies (so its own session and CSRF token)."""

    def __init__(self, base_url: str, address: str | None = None):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
        if address:  # the phone's own address, as a reverse proxy in front of the servers tells it
            self.opener.addheaders.append(("X-Forwarded-For", address))

    def open_form(self, timeout: float = 60) -> str:
        """GET /register; the form's CSRF token."""
        with self.opener.open(self.base_url + "/register", timeout=timeout) as response:
            return _CSRF.search(response.read().decode("utf-8")).group(1)

    def register(self, token: str, number: int, timeout: float = 60) -> tuple[int, str]:
        """POST the form as person ``number``: (status, Location)."""
        data = urllib.parse.urlencode({
            "csrf_token": token, "name": f"Deltaker {number:04d}", "email": f"deltaker{number:04d}@example.no",
            "organisation": "Sarpsborg kommune", "consent": "y",
        }).encode()
        request = urllib.request.Request(self.base_url + "/register", data=data, method="POST")
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


def ticket_secret(location: str) -> str | None:
    """The ticket secret a 303 answer points to, or None."""
    match = _SECRET.search(urllib.parse.urlsplit(location).path)
    return match.group(1) if match else None


# --- The job worker a server started ------------------------------------------------------------


def child_pids(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def worker_supervisors(server_pid: int) -> list[int]:
    """The supervisors ``serve`` started (``python -m fagkonferanse.worker``)."""
    return [pid for pid in child_pids(server_pid) if "fagkonferanse.worker" in command_line(pid)]


def job_worker_pid(server_pid: int, timeout: float = 10) -> int:
    """The ``fagkonferanse worker`` process: the child of the supervisor the server started."""
    [supervisor] = worker_supervisors(server_pid)
    deadline = time.monotonic() + timeout
    while not (found := child_pids(supervisor)) and time.monotonic() < deadline:
        time.sleep(0.05)
    [worker] = found
    return worker


def is_running(pid: int) -> bool:
    """Alive and not a zombie waiting for its parent."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"
