"""Two app servers, one PostgreSQL, one Redis, a separate job worker (issue 16, "Several machines").

1000 registrations for 250 seats (waiting list on), spread over both servers — each browser opens
the form on one and sends it to the other — then: how many were accepted, confirmed and waiting,
the seat counter, how long until the worker had sent every mail, and how long an organiser's
programme edit on one server took to show on the other. PostgreSQL runs durably here (fsync and
synchronous_commit on). Skipped, with the reason, when PostgreSQL or Redis cannot be started.
"""

from __future__ import annotations

import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from .common import report

PEOPLE = 1000
CAPACITY = 250


def run() -> None:
    from fagkonferanse.extensions import db
    from fagkonferanse.registration.models import Registration, RegistrationSettings
    from tests.production.cluster import Cluster, Services, register_over_both
    from tests.production.test_two_servers import Organiser, delivered_mail, in_database

    with tempfile.TemporaryDirectory() as folder:
        services = Services(Path(folder) / "services", durable=True)
        try:
            services.start()
        except RuntimeError as problem:
            print(f"skipped: {problem}")
            return
        cluster = Cluster(Path(folder) / "machines", services)
        try:
            cluster.start(capacity=CAPACITY)
            a, b = cluster.urls
            answered, burst = register_over_both([a, b], PEOPLE, 200)
            started = time.monotonic() - burst  # the first POST
            answers = Counter(status for status, _location in answered)
            while sum(delivered_mail(cluster).values()) < PEOPLE and time.monotonic() - started < 300:
                time.sleep(0.2)
            mailed = time.monotonic() - started

            statuses = in_database(cluster, lambda: Counter(db.session.scalars(db.select(Registration.status))))
            counter = in_database(cluster, lambda: db.session.scalar(db.select(RegistrationSettings.confirmed_count)))
            recipients = delivered_mail(cluster)
            report("registrations sent over two servers", PEOPLE, "", f"{burst:.1f} s for the burst")
            report("accepted (303 to a ticket)", answers.get(303, 0), "", f"other answers: {dict(answers - Counter({303: answers.get(303, 0)}))}")
            report("confirmed / waiting in the database", statuses.get("confirmed", 0), "",
                   f"waiting {statuses.get('waiting', 0)}, seat counter {counter}, seats {CAPACITY}")
            report("mails sent by the worker", sum(recipients.values()), "",
                   f"{len(recipients)} addresses, all sent {mailed:.1f} s after the burst began")

            organiser = Organiser()
            organiser.log_in(a)
            changed = time.monotonic()
            organiser.submit(a + "/admin/programme/5/edit", {"title": "Endret på server A"})
            saved = time.monotonic()
            while "Endret på server A" not in urllib.request.urlopen(b + "/programme", timeout=30).read().decode():
                time.sleep(0.01)
            report("an edit on A seen on B", (time.monotonic() - saved) * 1000, "ms",
                   f"after the save ({(saved - changed) * 1000:.0f} ms) returned")
        finally:
            cluster.stop()
            services.stop()
