"""A real server process over its own instance, for tests that need one (browsers, concurrency)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .databases import drop_database, new_database

# Loads a conference dataset (the shape of the shipped 2016 one) into an instance and makes it
# the current event: run in its own process, as the server's database may be PostgreSQL.
_LOAD_DATASET = """
import json, sys
from pathlib import Path
from fagkonferanse import create_app
from fagkonferanse.events.loader import load_conference
from fagkonferanse.extensions import db
app = create_app(instance_path=sys.argv[1])
with app.app_context():
    load_conference(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    db.session.commit()
"""

LIVE_ORGANISER = "dora@example.no"
LIVE_PASSWORD = "dora-passord-2016"


@dataclass
class LiveServer:
    url: str
    instance: Path
    process: subprocess.Popen
    env: dict[str, str]

    def stop(self) -> None:
        self.stop_serving()
        drop_database(self.instance)

    def stop_serving(self) -> None:
        """Take the server off the network, keeping its database: the network is really cut."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def serve_again(self) -> None:
        """Serve the same instance on the same address again."""
        self.process = _serve(self.instance, self.url, self.env)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fagkonferanse_command(*args: str, instance: Path, env: dict[str, str]) -> None:
    script = Path(sys.executable).parent / "fagkonferanse"
    subprocess.run([str(script), "--instance", str(instance), *args], check=True, env=env,
                   capture_output=True, text=True, timeout=120)


def start_live_server(instance: Path, extra_env: dict[str, str] | None = None,
                      dataset: Path | None = None) -> LiveServer:
    """Initialise ``instance`` with the 2016 conference and an organiser, then serve it.

    The instance gets its own database (a PostgreSQL one when the suite runs on PostgreSQL).
    ``dataset``: a conference file (``tests/data/two_rooms.json``) loaded after 2016 and shown
    as the current event.
    """
    new_database(instance)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if not key.startswith("FAGKONFERANSE_")}
    env.update({"FAGKONFERANSE_BASE_URL": url, **(extra_env or {})})
    fagkonferanse_command("init", instance=instance, env=env)
    fagkonferanse_command("create-organiser", LIVE_ORGANISER, "--name", "Dora Dørvakt", instance=instance,
                          env=env | {"FAGKONFERANSE_ORGANISER_PASSWORD": LIVE_PASSWORD})
    if dataset is not None:
        subprocess.run([sys.executable, "-c", _LOAD_DATASET, str(instance), str(dataset)], check=True, env=env,
                       capture_output=True, text=True, timeout=120)
    return LiveServer(url, instance, _serve(instance, url, env), env)


def _serve(instance: Path, url: str, env: dict[str, str]) -> subprocess.Popen:
    """``fagkonferanse serve`` on ``url``'s port, once it answers."""
    script = Path(sys.executable).parent / "fagkonferanse"
    port = url.rsplit(":", 1)[1]
    process = subprocess.Popen([str(script), "--instance", str(instance), "serve", "--port", port],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("the server process exited during start-up")
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the server did not answer on {url} within 30 s")
