"""The print centre's documents: badges at 100, 1000 and 5000 attendees, the programme and the booklet.

Targets on the project's 2-core machine: 1000 badges ≤ 5 s wall, peak memory ≤ 300 MB at 5000
badges, programme PDF ≤ 1 s, whole booklet ≤ 10 s. Next to the badges, a naive baseline measured
in the same run: one WeasyPrint document with an SVG QR code per badge (qrcode's best-mask search),
in one process — what the chunked, two-process, 1-bit-PNG renderer replaces.

Each badge measurement runs in a fresh process, so its peak RSS is its own (the high-water mark
of a process never goes down). Attendees are synthetic and named as such ("Benchmark-deltaker
0001 …"); they exist only in the benchmark's temporary database.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from .common import conference_app, report, timed

SIZES = (100, 1000, 5000)
NAIVE_SIZES = (100, 1000)
ROOT = Path(__file__).resolve().parents[1]


def add_synthetic_attendees(app, count: int) -> None:
    """``count`` confirmed registrations, clearly benchmark data, inserted in one statement."""
    from sqlalchemy import insert

    from fagkonferanse.events.services import current_event
    from fagkonferanse.extensions import db
    from fagkonferanse.registration.models import Registration
    from fagkonferanse.registration.tokens import new_checkin_code, new_manage_secret

    municipalities = ["Moss", "Sarpsborg", "Fredrikstad", "Halden", "Rygge", "Råde", "Våler", "Hvaler"]
    with app.app_context():
        event = current_event()
        db.session.execute(insert(Registration), [
            {"event_id": event.id, "status": "confirmed", "name": f"Benchmark-deltaker {number:04d} Syntetisk",
             "email": f"benchmark-{number}@example.invalid", "organisation": "Benchmarkkommune (syntetiske data)",
             "municipality": municipalities[number % len(municipalities)], "manage_secret": new_manage_secret(),
             "checkin_code": new_checkin_code()}
            for number in range(count)
        ])
        db.session.commit()


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def measure_badges(kind: str, count: int) -> dict:
    """One measurement in this process: ``kind`` is "chunked" (the plugin) or "naive"."""
    from fagkonferanse.events.services import current_event
    from fagkonferanse.printing import render_document

    with conference_app() as app:
        add_synthetic_attendees(app, count)
        with app.app_context():
            event = current_event()
            before = _peak_mb(resource.RUSAGE_SELF)
            cpu_before = _cpu_seconds()
            start = time.perf_counter()
            if kind == "naive":
                pdf = naive_badges(event)
            else:
                pdf = render_document("badges", event, {"layout": "a6"})
            seconds = time.perf_counter() - start
            cpu = _cpu_seconds() - cpu_before
    return {"seconds": seconds, "cpu_seconds": cpu, "bytes": len(pdf), "peak_self_mb": _peak_mb(resource.RUSAGE_SELF),
            "peak_workers_mb": _peak_mb(resource.RUSAGE_CHILDREN), "setup_peak_mb": before}


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers: on a shared machine, what the work
    costs regardless of what else runs (the wall time on an idle 2-core machine is about half
    of it for the chunked renderer)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def naive_badges(event) -> bytes:
    """The same badges as one document, with an inline SVG QR code (best mask) per badge."""
    from flask import current_app

    from fagkonferanse.pdf import html_to_pdf
    from fagkonferanse.qr import qr_svg
    from fagkonferanse.registration.tokens import checkin_url
    from fagkonferanse_plugins.badges import render
    from fagkonferanse_plugins.badges.layouts import layout
    from fagkonferanse_plugins.badges.people import badge_holders

    holders = badge_holders(event)
    chosen = layout("a6")
    render.CHUNK_BADGES = len(holders)  # one chunk: one document
    [chunk] = list(render.chunks(event, holders, chosen))
    base = current_app.config["BASE_URL"]
    urls = [checkin_url(base, holder.checkin_code) for holder in holders]

    def svg(match: re.Match) -> str:
        return f'<div class="{match.group(1)}">{qr_svg(urls[int(match.group(2))])}</div>'

    html = re.sub(r'<img class="([^"]*qr)" src="qr:(\d+)"[^>]*>', svg, chunk.html)
    return html_to_pdf(html.replace("img.qr {", ".qr {"))


def _in_fresh_process(kind: str, count: int) -> dict:
    result = subprocess.run([sys.executable, "-m", "benchmarks.bench_print", kind, str(count)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# Fresh processes per size: the fastest of a few runs (a shared machine's other work only ever
# slows a run down), fewer for the long ones.
REPEATS = {("chunked", 100): 3, ("chunked", 1000): 3, ("chunked", 5000): 1, ("naive", 100): 1, ("naive", 1000): 1}


def run() -> None:
    for count in SIZES:
        kinds = ["chunked", "naive"] if count in NAIVE_SIZES else ["chunked"]
        for kind in kinds:
            runs = [_in_fresh_process(kind, count) for _ in range(REPEATS[(kind, count)])]
            figures = min(runs, key=lambda run: run["seconds"])
            seconds = figures["seconds"]
            label = "2 processes, PNG codes" if kind == "chunked" else "naive: 1 document, SVG codes"
            target = "target ≤ 5 s" if kind == "chunked" and count == 1000 else ""
            best = f"best of {len(runs)}" if len(runs) > 1 else ""
            report(f"badges {count:>5} ({label})", seconds, "s", " · ".join(filter(None, [best, target])))
            report("  badges/s", count / seconds, "/s")
            report("  CPU time, all processes", figures["cpu_seconds"], "s")
            memory_target = "target ≤ 300 MB" if kind == "chunked" and count == 5000 else ""
            report("  peak RSS, main process", max(run["peak_self_mb"] for run in runs), "MB", memory_target)
            if kind == "chunked" and figures["peak_workers_mb"]:
                report("  peak RSS, largest worker", max(run["peak_workers_mb"] for run in runs), "MB", memory_target)
    with conference_app() as app:
        from fagkonferanse.events.services import current_event
        from fagkonferanse.printing import render_document

        with app.app_context(), app.test_request_context("/"):
            event = current_event()
            median, _ = timed(lambda: render_document("programme", event, {}), repeat=3)
            report("programme PDF (one A4 page)", median, "s", "target ≤ 1 s")
            median, _ = timed(lambda: render_document("booklet", event, {}), repeat=2)
            report("booklet PDF (the whole catalogue)", median, "s", "target ≤ 10 s")
            median, _ = timed(lambda: render_document("posters", event, {"allow_localhost": "yes"}), repeat=2)
            report("stand posters (5 × A3)", median, "s")


if __name__ == "__main__":
    print(json.dumps(measure_badges(sys.argv[1], int(sys.argv[2]))))
