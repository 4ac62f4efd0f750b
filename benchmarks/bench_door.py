"""Two door devices come back online after the network was gone: does every scan arrive, once?

950 people are registered. Device A scanned 500 of them while offline and device B another 500;
50 people are on both (they showed their ticket at both doors, or two people shared one), and for
half of those B's scan was the earlier one, so the server has to hand the check-in over from the
device that synced first. Both devices then sync at the same moment, as checkin.js does: batches
of 100 queued actions, through the real sync endpoint of ``serve --production``, logged in as an
organiser with the CSRF token. A scan typed as the short door code (with and without its dash)
and a QR code's address alternate.

Printed: check-ins recorded (must be 950), duplicates flagged (50), scans lost (0: every scan id
sent has its row), the time from the first batch to the last answer, and the time a device takes
to fetch the whole list of 950 people. Then both devices send everything again (a lost answer):
nothing may change. Knobs: ``BENCH_DOOR_SCANS`` (500 per device), ``BENCH_DOOR_SHARED`` (50).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

from .common import report
from .server import Server

ORGANISER, PASSWORD = "door-bench@example.no", "benken-ved-dora-2016"
BATCH = 100  # as door-store.js sends them
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Device:
    """One door device: its own login (cookies) and its queue of offline scans."""

    def __init__(self, url: str, name: str):
        self.url, self.name, self.id = url, name, f"bench-{uuid.uuid4().hex}"
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = self.http.open(url + "/login", timeout=30).read().decode()
        form = urllib.parse.urlencode({"csrf_token": _CSRF.search(page).group(1), "email": ORGANISER,
                                       "password": PASSWORD}).encode()
        self.http.open(url + "/login", form, timeout=30).read()
        self.token = ""
        self.queue: list[dict] = []

    def fetch_list(self) -> dict:
        request = urllib.request.Request(self.url + "/admin/checkin/people.json", headers={"Accept": "application/json"})
        data = json.loads(self.http.open(request, timeout=60).read())
        self.token = data["csrf_token"]
        return data

    def sync(self) -> list[dict]:
        """Send the whole queue in batches of ``BATCH``; the answers, in order."""
        answers = []
        for start in range(0, len(self.queue), BATCH):
            body = {"device": {"id": self.id, "name": self.name}, "sent_at": time.time() * 1000,
                    "actions": [{key: value for key, value in action.items() if key != "door_code"}
                                for action in self.queue[start:start + BATCH]]}
            request = urllib.request.Request(self.url + "/admin/checkin/sync", json.dumps(body).encode(), headers={
                "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": self.token})
            try:
                answers.extend(json.loads(self.http.open(request, timeout=120).read())["results"])
            except urllib.error.HTTPError as error:
                raise RuntimeError(f"{self.name}: {error.code} {error.read()[:300]!r}") from None
        return answers


def run() -> None:
    per_device = int(os.environ.get("BENCH_DOOR_SCANS", "500"))
    shared = int(os.environ.get("BENCH_DOOR_SHARED", "50"))
    with tempfile.TemporaryDirectory(prefix="fk-bench-door-") as folder, \
            Server(Path(folder), workers=None) as server:
        people = _register(server, 2 * per_device - shared)
        a, b = Device(server.url, "Dør A"), Device(server.url, "Dør B")
        started = time.perf_counter()
        listing = a.fetch_list()
        report("full list for a device", (time.perf_counter() - started) * 1000, "ms",
               f"{len(listing['people'])} people, {len(json.dumps(listing)) // 1024} KiB")
        b.fetch_list()
        now = time.time() * 1000
        a.queue = _offline_scans(server.url, people[:per_device], now)
        b.queue = _offline_scans(server.url, people[per_device - shared:], now, also_on=a.queue)

        started = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(Device.sync, (a, b)))
        seconds = time.perf_counter() - started
        sent = {action["scan_id"] for action in a.queue + b.queue}
        figures = _recorded(server, sent)
        count("scans sent (two devices)", len(sent), f"{shared} people on both")
        count("check-ins recorded", figures["checkins"], f"expected {len(people)}")
        count("duplicates flagged", figures["duplicates"],
              f"expected {shared}; the later scan: {figures['Dør A']} on A, {figures['Dør B']} on B")
        count("scans lost", figures["lost"], "must be 0")
        report("time to sync", seconds, "s", f"{len(sent) / seconds:.0f} scans/s, batches of {BATCH}")
        assert sum(len(group) for group in answers) == len(sent)
        assert (figures["checkins"], figures["duplicates"], figures["lost"]) == (len(people), shared, 0), figures
        # The first scan by device time holds the check-in, whichever device synced first.
        assert (figures["Dør A"], figures["Dør B"]) == (shared // 2, shared - shared // 2), figures

        started = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(Device.sync, (a, b)))  # every answer lost: all of it sent again
        again = _recorded(server, sent)
        report("sent again: time", time.perf_counter() - started, "s", "answered from the recorded scans")
        assert again == figures, (again, figures)
        count("sent again: changes", 0, "check-ins, duplicates and scans as before")


def count(name: str, value: int, note: str) -> None:
    print(f"{name:<48} {value:>10d}        {note}")


def _register(server: Server, number_of_people: int) -> list[dict]:
    """``number_of_people`` confirmed people (and the organiser), straight into the database."""
    from fagkonferanse.accounts.services import create_organiser
    from fagkonferanse.events.services import current_event
    from fagkonferanse.extensions import db
    from fagkonferanse.registration import services as registrations

    app = server._app()
    people = []
    with app.app_context():
        create_organiser(ORGANISER, PASSWORD, "Benk Dørvakt")
        db.session.commit()
        event = current_event()
        for number in range(number_of_people):
            person = registrations.register(event, {"name": f"Deltaker {number}", "email": f"d{number}@example.no",
                                                    "organisation": "Moss kommune"}, notify=False).registration
            people.append({"door_code": person.door_code, "code": person.checkin_code})
        db.engine.dispose()
    return people


def _offline_scans(url: str, people: list[dict], now: float, *, also_on: list[dict] = ()) -> list[dict]:
    """A device's queue after an offline spell of 40 minutes: one scan every four seconds.

    People in ``also_on`` (another device's queue) were scanned there too, a minute before or
    after (alternately), so for half of them the server must hand the check-in over to the device
    that was earlier but synced later.
    """
    elsewhere = {action["door_code"]: action["at"] for action in also_on}
    queue = []
    for seq, person in enumerate(people, start=1):
        code = person["door_code"]
        at = now - 40 * 60_000 + seq * 4_000
        if code in elsewhere:
            at = elsewhere[code] + (-60_000 if len(queue) % 2 else 60_000)
        text = (f"{code[:4]}-{code[4:]}", code.lower(), f"{url}/c/{person['code']}")[seq % 3]
        queue.append({"scan_id": str(uuid.uuid4()), "action": "checkin", "method": "scan", "seq": seq, "at": at,
                      "text": text, "shown": "checked_in", "door_code": code})
    return queue


def _recorded(server: Server, sent: set[str]) -> dict[str, int]:
    from fagkonferanse.checkin.models import CheckIn, DoorScan
    from fagkonferanse.extensions import db

    app = server._app()
    with app.app_context():
        checkins = db.session.scalar(db.select(db.func.count(CheckIn.id)))
        duplicates = db.session.scalar(db.select(db.func.count(DoorScan.id)).where(DoorScan.flag == "duplicate"))
        recorded = set(db.session.scalars(db.select(DoorScan.scan_id)))
        by_device = dict(db.session.execute(db.select(DoorScan.device_name, db.func.count(DoorScan.id))
                                            .where(DoorScan.flag == "duplicate").group_by(DoorScan.device_name)).all())
        db.engine.dispose()
    return {"checkins": checkins, "duplicates": duplicates, "lost": len(sent - recorded),
            "Dør A": by_device.get("Dør A", 0), "Dør B": by_device.get("Dør B", 0)}
