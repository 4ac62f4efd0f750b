"""Two app servers, one PostgreSQL, one Redis, the job worker on its own (issue 16).

The README's "Several machines" set-up on this machine (``cluster.py``): what one server does, the
other sees at once, and nothing is counted per server: seats, mail, rate limits, print jobs.
PostgreSQL and Redis come from Debian's packages through the project's scripts.
"""

from __future__ import annotations

import email
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar

import pytest

from fagkonferanse.extensions import db
from fagkonferanse.registration.models import CONFIRMED, WAITING, Registration, RegistrationSettings
from fagkonferanse.registration.outbox import OutgoingMail

from ..admin.conftest import form_values
from ..conftest import make_app
from ..databases import using_postgres
from ..liveserver import LIVE_ORGANISER, LIVE_PASSWORD
from .cluster import Cluster, Services, register_over_both
from .server import ticket_secret

PEOPLE = 1000
CAPACITY = 250
AT_ONCE = 200


# It starts its own PostgreSQL and Redis: the suite's second run, on PostgreSQL, would only repeat it.
pytestmark = pytest.mark.skipif(using_postgres(), reason="runs in the SQLite run of the suite, with its own PostgreSQL")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    services = Services(folder / "services").start()
    running = Cluster(folder / "machines", services)
    try:
        yield running.start(capacity=CAPACITY)
    finally:
        running.stop()
        services.stop()


class Organiser:
    """An organiser's browser: logs in on one server, and the login holds on the other."""

    def __init__(self, address: str = "10.200.0.1"):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.opener.addheaders.append(("X-Forwarded-For", address))  # as the load balancer says

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode("utf-8")

    def post(self, url: str, values: dict[str, list[str]]) -> int:
        data = urllib.parse.urlencode(values, doseq=True).encode()
        try:
            with self.opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def submit(self, url: str, changes: dict[str, str]) -> int:
        values = form_values(self.get(url))
        values.update({name: [value] for name, value in changes.items()})
        return self.post(url, values)

    def log_in(self, server: str, password: str = LIVE_PASSWORD) -> int:
        return self.submit(server + "/login", {"email": LIVE_ORGANISER, "password": password})


def in_database(cluster: Cluster, query):
    app = make_app(cluster.worker_instance)
    with app.app_context():
        try:
            return query()
        finally:
            db.session.remove()
            db.engine.dispose()


def delivered_mail(cluster: Cluster) -> Counter:
    """Recipients of the .eml files the worker wrote (no SMTP server is configured)."""
    outbox = cluster.worker_instance / "outbox"
    files = sorted(outbox.glob("*.eml")) if outbox.is_dir() else []
    return Counter(email.message_from_bytes(path.read_bytes())["To"] for path in files)


def test_a_thousand_registrations_over_two_servers_for_two_hundred_and_fifty_seats(cluster):
    answers, _seconds = register_over_both(cluster.urls, PEOPLE, AT_ONCE)

    assert Counter(status for status, _location in answers) == {303: PEOPLE}
    secrets = {ticket_secret(location) for _status, location in answers}
    assert None not in secrets and len(secrets) == PEOPLE

    def counts():
        statuses = Counter(db.session.scalars(db.select(Registration.status)))
        counter = db.session.scalar(db.select(RegistrationSettings.confirmed_count))
        return statuses, counter

    statuses, counter = in_database(cluster, counts)
    assert statuses == {CONFIRMED: CAPACITY, WAITING: PEOPLE - CAPACITY}
    assert counter == CAPACITY

    # Every registration's mail is sent by the worker, once: 1000 addresses, one message each.
    deadline = time.monotonic() + 120
    while sum(delivered_mail(cluster).values()) < PEOPLE and time.monotonic() < deadline:
        time.sleep(0.5)
    recipients = delivered_mail(cluster)
    assert len(recipients) == PEOPLE and set(recipients.values()) == {1}
    assert in_database(cluster, lambda: db.session.scalar(db.select(db.func.count()).select_from(OutgoingMail))) == 0


def test_a_programme_edit_on_one_server_shows_on_the_other_at_once(cluster):
    a, b = cluster.urls
    organiser = Organiser()
    assert organiser.log_in(a) == 200  # followed the 303 to the dashboard
    assert "Ny tittel fra server A" not in organiser.get(b + "/programme")
    assert organiser.submit(a + "/admin/programme/5/edit", {"title": "Ny tittel fra server A"}) == 200
    assert "Ny tittel fra server A" in urllib.request.urlopen(b + "/programme", timeout=30).read().decode()


def test_failed_logins_are_counted_across_both_servers(cluster):
    """10 failed logins a minute per address and account: counted in Redis, not per worker.

    Each server has two worker processes: with counts kept per process, 40 guesses would pass.
    """
    a, b = cluster.urls
    guesser = Organiser(address="10.200.0.66")  # the organiser's own logins, elsewhere, go on
    answers = [guesser.log_in((a, b)[attempt % 2], password=f"gjett-{attempt}") for attempt in range(12)]
    assert answers == [400] * 10 + [429, 429]


def test_a_print_job_ordered_on_one_server_is_made_by_the_worker_and_fetched_on_the_other(cluster):
    a, b = cluster.urls
    organiser = Organiser()
    assert organiser.log_in(a) == 200
    values = form_values(organiser.get(a + "/admin/print/programme/"), "/admin/print/programme/download")
    request = urllib.request.Request(a + "/admin/print/programme/download",
                                     data=urllib.parse.urlencode(values, doseq=True).encode(), method="POST")
    with organiser.opener.open(request, timeout=60) as response:
        job = urllib.parse.urlsplit(response.url).path  # the job's own page, after the 303
    assert job.startswith("/admin/print/jobs/")
    deadline = time.monotonic() + 60
    while "PDF-en er klar." not in organiser.get(b + job + "/status") and time.monotonic() < deadline:
        time.sleep(0.3)
    assert "PDF-en er klar." in organiser.get(b + job + "/status")
    with organiser.opener.open(b + job + ".pdf", timeout=30) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"
