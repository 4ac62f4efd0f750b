"""A badge printed on arrival: one badge's PDF ("single" layout, 90 × 55 mm) after a scan.

Target: the PDF ready within 300 ms of the scan. Measured with 150 and 1000 confirmed attendees
(the one badge must not cost more with a larger conference):

* **scan → PDF (browser)**: what the door device waits for, through the application (Flask's test
  client, no network): the scan's POST, the badges script's POST ``/admin/badges/arrival`` (which
  makes the PDF as a print job) and the GET of the PDF — from sending the scan to having the bytes.
  The first of a fresh process is reported apart: with the PDF engine loaded first, as ``serve
  --production`` does before forking its workers, and without (``make run``'s server);
* **render**: ``render_document("badges", …, people=<one>)`` alone, warm;
* **scan → lp (server printer)**: the scan's POST until an ``lp`` stand-in on PATH (a shell
  script) has been handed the PDF by the print job's task. The job engine runs tasks at once
  here (no ``JOB_QUEUE_URL``); under ``serve`` the job worker runs it, a queue poll (≤ 50 ms
  when busy) later.

Each measurement runs in a fresh process, so "first" really is the first of a server process.
Attendees are synthetic ("Benchmark-deltaker 0001 …") and exist only in the temporary database.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_print import add_synthetic_attendees
from .common import conference_app, report

SIZES = (150, 1000)
CHECK_INS = 40
ROOT = Path(__file__).resolve().parents[1]
ORGANISER = ("bench@example.invalid", "benchmark-passord-2016")
PRINTER_CHECK_INS = 20
# A shell script, not Python: its start-up (a millisecond) is nearer to CUPS's own lp than a
# Python interpreter's (tens of milliseconds).
LP_STAND_IN = """#!/bin/sh
for last; do :; done
cp "$last" "$LP_RECORD/$$.part" && mv "$LP_RECORD/$$.part" "$LP_RECORD/$$.pdf"
echo "request id is bench-$$ (1 file(s))"
"""


def _csrf(client, path: str) -> str:
    import re

    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _configure(app, printer: str = "") -> None:
    from fagkonferanse.events.services import current_event
    from fagkonferanse.extensions import db
    from fagkonferanse_plugins.badges.models import BadgeSettings

    with app.app_context():
        event = current_event()
        settings = db.session.get(BadgeSettings, event.id) or BadgeSettings(event_id=event.id)
        settings.on_arrival, settings.size, settings.printer = "always", "90x55", printer
        db.session.add(settings)
        db.session.commit()


def _people(app) -> list[tuple[int, str]]:
    from fagkonferanse.extensions import db
    from fagkonferanse.registration.models import Registration

    with app.app_context():
        return [tuple(row) for row in db.session.execute(db.select(Registration.id, Registration.door_code))]


def _logged_in(app):
    from fagkonferanse.accounts.services import create_organiser
    from fagkonferanse.extensions import db

    with app.app_context():
        create_organiser(*ORGANISER, "Benchmark")
        db.session.commit()
    client = app.test_client()
    token = _csrf(client, "/login")
    client.post("/login", data={"csrf_token": token, "email": ORGANISER[0], "password": ORGANISER[1]})
    return client


def measure(count: int, warm_up: bool) -> dict:
    """Every figure for a conference of ``count`` attendees, in this (fresh) process; ``warm_up``
    loads the PDF engine first, as ``serve --production`` does before it forks its workers."""
    from fagkonferanse.events.services import current_event
    from fagkonferanse.printing import render_document, warm_up_printing

    figures: dict = {}
    with conference_app(BASE_URL="https://konferanse.example.no") as app:
        add_synthetic_attendees(app, count)
        people = _people(app)
        _configure(app)
        client = _logged_in(app)
        token = _csrf(client, "/admin/checkin")
        if warm_up:
            with app.app_context():
                warm_up_printing()
        door, door_cpu = [], []
        for number, code in people[:CHECK_INS]:
            start, cpu = time.perf_counter(), time.process_time()
            scanned = client.post("/admin/checkin/scan", data={"csrf_token": token, "code": code},
                                  headers={"Accept": "application/json"})
            asked = client.post("/admin/badges/arrival", data={"csrf_token": token, "registration_id": str(number),
                                                               "scan_id": f"bench:{number}"})
            pdf = client.get(asked.get_json()["url"])
            body = pdf.get_data()
            pdf.close()
            door.append(time.perf_counter() - start)
            door_cpu.append(time.process_time() - cpu)
            assert scanned.get_json()["state"] == "checked_in" and body.startswith(b"%PDF"), asked.get_json()
        figures["door"], figures["door_cpu"] = door, door_cpu

        with app.app_context():
            event = current_event()
            renders = []
            for number, _code in people[CHECK_INS:2 * CHECK_INS]:
                start = time.perf_counter()
                render_document("badges", event, {"layout": "single", "size": "90x55", "people": str(number)})
                renders.append(time.perf_counter() - start)
        figures["render"] = renders

        with tempfile.TemporaryDirectory(prefix="fk-bench-lp-") as folder:
            bin_folder, record = Path(folder, "bin"), Path(folder, "record")
            bin_folder.mkdir()
            record.mkdir()
            lp = bin_folder / "lp"
            lp.write_text(LP_STAND_IN)
            lp.chmod(0o755)
            os.environ["PATH"] = f"{bin_folder}{os.pathsep}{os.environ['PATH']}"
            os.environ["LP_RECORD"] = str(record)
            _configure(app, printer="bench")
            printed, printed_cpu = [], []
            for index, (_number, code) in enumerate(people[2 * CHECK_INS:2 * CHECK_INS + PRINTER_CHECK_INS]):
                start, cpu = time.perf_counter(), time.process_time()
                client.post("/admin/checkin/scan", data={"csrf_token": token, "code": code},
                            headers={"Accept": "application/json"})
                while len(list(record.glob("*.pdf"))) <= index:
                    time.sleep(0.002)
                printed.append(time.perf_counter() - start)
                printed_cpu.append(time.process_time() - cpu)
            figures["printer"], figures["printer_cpu"] = printed, printed_cpu
    return figures


def _in_fresh_process(count: int, warm_up: bool) -> dict:
    result = subprocess.run([sys.executable, "-m", "benchmarks.bench_arrival", str(count), str(int(warm_up))],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _ms(seconds: float) -> float:
    return seconds * 1000


def run() -> None:
    # Wall times on a shared machine grow with its other work; the CPU times do not.
    report("load average (1 min) before the run", os.getloadavg()[0], "")
    cold = _in_fresh_process(SIZES[0], warm_up=False)
    report(f"first scan → badge PDF of a process, no warm-up ({SIZES[0]})", _ms(cold["door"][0]), "ms",
           "make run's server")
    report("  its CPU time", _ms(cold["door_cpu"][0]), "ms")
    for count in SIZES:
        figures = _in_fresh_process(count, warm_up=True)
        door, renders, printer = figures["door"], figures["render"], figures["printer"]
        later = door[1:]
        report(f"{count} attendees: first scan → badge PDF, warmed up", _ms(door[0]), "ms",
               "target ≤ 300 ms (serve --production)")
        report("  its CPU time", _ms(figures["door_cpu"][0]), "ms")
        report(f"  scan → PDF in the door browser, median ({len(later)})", _ms(statistics.median(later)), "ms",
               "target ≤ 300 ms")
        report("  scan → PDF in the door browser, worst", _ms(max(later)), "ms")
        report("  scan → PDF in the door browser, CPU median", _ms(statistics.median(figures["door_cpu"][1:])), "ms",
               "what it costs, however busy the machine")
        report(f"  one badge PDF alone (render), median ({len(renders)})", _ms(statistics.median(renders)), "ms")
        report(f"  scan → lp on the server, median ({len(printer)})", _ms(statistics.median(printer)), "ms",
               "target ≤ 300 ms")
        report("  scan → lp on the server, worst", _ms(max(printer)), "ms")
        report("  scan → lp on the server, CPU median", _ms(statistics.median(figures["printer_cpu"])), "ms")


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]), bool(int(sys.argv[2])))))
