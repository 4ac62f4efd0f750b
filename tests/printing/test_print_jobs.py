"""Print jobs: the print centre makes PDFs in the background and the organiser downloads them
when they are ready; the request that orders one never waits for the rendering."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import stat
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from fagkonferanse import hookimpl
from fagkonferanse import jobs as job_engine
from fagkonferanse import utcnow
from fagkonferanse.config import ConfigError
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.pdf import html_to_pdf
from fagkonferanse.plugin_types import PrintableDocument
from fagkonferanse.printing import NothingToPrint, jobs
from fagkonferanse.printing.models import PrintJob

from ..conftest import ORGANISER_EMAIL, make_app, post_form
from ..pdftools import pdf_text
from ..production.server import start_production_server
from .conftest import JOB_URL, add_people, download, order, token_of, wait_until_finished

def stored_jobs(app) -> list[PrintJob]:
    with app.app_context():
        found = list(db.session.scalars(db.select(PrintJob)))
        db.session.expunge_all()
        return found


class ControlledDocuments:
    """A plugin offering documents whose rendering a test controls."""

    def __init__(self):
        self.started = threading.Event()
        self.release = threading.Event()

    @hookimpl
    def printable_documents(self):
        return [PrintableDocument("slow", "Treg testutskrift", self.render_slowly),
                PrintableDocument("empty", "Tom testutskrift", self.render_nothing)]

    def render_slowly(self, event, options) -> bytes:
        self.started.set()
        if not self.release.wait(120):
            raise RuntimeError("the test never let the slow document finish")
        return html_to_pdf("<p>Endelig ferdig</p>")

    def render_nothing(self, event, options) -> bytes:
        raise NothingToPrint("Det er ingenting å skrive ut i testdokumentet.")


@pytest.fixture
def documents(app) -> ControlledDocuments:
    plugin = ControlledDocuments()
    app.extensions["fagkonferanse.plugins"].register(plugin)
    yield plugin
    plugin.release.set()


def runner_module(tmp_path: Path, monkeypatch, name: str) -> str:
    """An importable module (as an RQ or Celery set-up would be) whose runners record tokens."""
    folder = tmp_path / "runners"
    folder.mkdir()
    (folder / f"{name}.py").write_text(
        "TOKENS = []\n\n\n"
        "def enqueue(token):\n    TOKENS.append(token)\n\n\n"
        "def broken(token):\n    raise ConnectionError('the queue is down')\n")
    monkeypatch.syspath_prepend(str(folder))
    return name


# --- The whole flow -----------------------------------------------------------------------------


def test_a_pdf_is_made_in_the_background_and_downloaded_when_ready(app, admin_client, tmp_path):
    job_url = order(admin_client, "programme")
    page = admin_client.get(job_url).get_data(as_text=True)
    assert "Program (A4)" in page and 'role="status"' in page
    assert "print-job.js" in page  # the script that keeps the page up to date

    page = wait_until_finished(admin_client, job_url)
    assert "PDF-en er klar." in page and "1 side" in page
    assert "Bestilt av" in page and "Ola Arrangør" in page
    pdf_url = f"{job_url}.pdf"
    assert f'href="{pdf_url}"' in page

    response = download(admin_client, pdf_url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=programme.pdf"
    assert "no-store" in response.headers["Cache-Control"]
    assert "Vel hjem!" in pdf_text(response.data, tmp_path)

    listing = admin_client.get("/admin/print/").get_data(as_text=True)
    assert "Siste utskrifter" in listing and f'href="{pdf_url}"' in listing and "Ferdig" in listing


def test_the_order_returns_before_a_slow_rendering_finishes(app, admin_client, documents, tmp_path):
    job_engine.use_local_queue(app)  # as under `serve`: the job waits in the queue for the worker
    job_url = order(admin_client, "slow")
    assert "I kø." in admin_client.get(job_url).get_data(as_text=True)
    queue = job_engine.engine(app).huey
    worker = threading.Thread(target=lambda: queue.execute(queue.dequeue()))  # the worker's part
    worker.start()
    assert documents.started.wait(60), "the job never started"
    status = admin_client.get(job_url).get_data(as_text=True)
    assert "PDF-en lages nå." in status and "data-poll=" in status
    assert download(admin_client, f"{job_url}.pdf").status_code == 404  # nothing to fetch yet
    listing = admin_client.get("/admin/print/").get_data(as_text=True)
    assert "Lages nå" in listing and "Treg testutskrift" in listing

    documents.release.set()
    worker.join(60)
    page = wait_until_finished(admin_client, job_url)
    assert "PDF-en er klar." in page
    assert "Endelig ferdig" in pdf_text(download(admin_client, f"{job_url}.pdf").data, tmp_path)


def test_a_document_with_nothing_to_print_ends_as_failed_with_its_message(app, admin_client, documents):
    job_url = order(admin_client, "empty")
    page = wait_until_finished(admin_client, job_url)
    assert "Utskriften mislyktes." in page and "Det er ingenting å skrive ut i testdokumentet." in page
    assert 'href="/admin/print/empty/"' in page  # try again, with the same (here: no) options
    assert download(admin_client, f"{job_url}.pdf").status_code == 404
    [job] = stored_jobs(app)
    assert (job.state, job.error, job.pages) == ("failed", "Det er ingenting å skrive ut i testdokumentet.", None)


def test_try_again_keeps_the_options(app, admin_client):
    job_url = order(admin_client, "badges", layout="a7", who="unprinted")  # nobody has registered
    page = wait_until_finished(admin_client, job_url)
    assert "Ingen har en bekreftet påmelding ennå" in page
    again = re.search(r'href="(/admin/print/badges/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "layout=a7" in again and "who=unprinted" in again
    retry_page = admin_client.get(again).get_data(as_text=True)
    assert '<option value="a7" selected>' in retry_page


def test_an_unexpected_error_is_logged_and_the_organiser_gets_a_general_message(app, admin_client, documents,
                                                                                 caplog):
    documents.render_slowly = lambda event, options: 1 / 0
    job_url = order(admin_client, "slow")
    page = wait_until_finished(admin_client, job_url)
    assert "Det oppstod en feil i programmet." in page and "ZeroDivisionError" not in page
    assert any("ZeroDivisionError" in (record.exc_text or "") for record in caplog.records)


def test_wrong_options_are_a_form_error_and_order_nothing(app, admin_client):
    response = post_form(admin_client, "/admin/print/badges/download", {"layout": "a9"},
                         form_path="/admin/print/badges/")
    assert response.status_code == 400
    assert "layout=&#39;a9&#39; is not offered" in response.get_data(as_text=True)
    assert stored_jobs(app) == []


# --- Runners ------------------------------------------------------------------------------------


def test_a_configured_runner_gets_the_token_and_a_queue_worker_makes_the_job(instance, tmp_path, monkeypatch):
    module = runner_module(tmp_path, monkeypatch, "recording_runner")
    app = make_app(instance, PRINT_JOB_RUNNER=f"{module}:enqueue")
    client = app.test_client()
    with app.app_context():
        from fagkonferanse.accounts.services import create_organiser

        create_organiser(ORGANISER_EMAIL, "riktig-hest-batteri", "Ola Arrangør")
        db.session.commit()
    post_form(client, "/login", {"email": ORGANISER_EMAIL, "password": "riktig-hest-batteri"})
    job_url = order(client, "programme")
    import recording_runner

    assert recording_runner.TOKENS == [token_of(job_url)]
    page = client.get(job_url).get_data(as_text=True)
    assert "I kø." in page  # waiting for the queue's worker, not "interrupted"

    jobs.run_job_in_app(token_of(job_url), instance_path=instance)  # what the RQ/Celery worker calls
    assert "PDF-en er klar." in client.get(job_url).get_data(as_text=True)
    assert download(client, f"{job_url}.pdf").mimetype == "application/pdf"
    with app.app_context():
        db.engine.dispose()


def test_a_runner_that_fails_leaves_a_failed_job_not_a_waiting_one(instance, tmp_path, monkeypatch, caplog):
    module = runner_module(tmp_path, monkeypatch, "broken_runner")
    app = make_app(instance, PRINT_JOB_RUNNER=f"{module}:broken")
    with app.app_context():
        job = jobs.submit("programme", current_event(), {})
        assert job.state == "failed" and job.error is None
        db.engine.dispose()
    assert any("the queue is down" in (record.exc_text or "") for record in caplog.records)


def test_a_misspelt_runner_is_a_configuration_error_before_anything_is_stored(instance):
    app = make_app(instance, PRINT_JOB_RUNNER="no_such_module_anywhere:enqueue")
    with app.app_context():
        with pytest.raises(ConfigError, match="PRINT_JOB_RUNNER"):
            jobs.submit("programme", current_event(), {})
        assert db.session.scalar(db.select(db.func.count(PrintJob.id))) == 0
        db.engine.dispose()


# --- A job whose worker died --------------------------------------------------------------------


def _left_running(app, attempts: int, minutes_ago: float) -> str:
    """A job a worker took ``minutes_ago`` and never finished (killed with it)."""
    with app.app_context():
        job = jobs.submit("programme", current_event(), {})
        job.state, job.attempts = "running", attempts
        job.started_at = utcnow() - dt.timedelta(minutes=minutes_ago)
        db.session.commit()
        return job.token


def test_a_job_left_by_a_dead_worker_runs_again_by_itself(app):
    job_engine.use_local_queue(app)
    token = _left_running(app, attempts=1, minutes_ago=6)
    queue = job_engine.engine(app).huey
    queue.flush()  # the task was taken by the worker that died
    with app.app_context():
        assert jobs.rerun_stalled() == 1  # the worker's sweep
        assert jobs.find_job(token).state == "queued"
        assert jobs.rerun_stalled() == 0  # queued again just now: not again
    queue.execute(queue.dequeue())
    with app.app_context():
        job = jobs.find_job(token)
        assert (job.state, job.attempts, jobs.job_pdf(token)[:5]) == ("done", 2, b"%PDF-")


def test_a_job_only_slow_is_left_alone_and_one_that_keeps_dying_is_given_up(app, admin_client):
    slow = _left_running(app, attempts=1, minutes_ago=2)
    doomed = _left_running(app, attempts=jobs.MAX_ATTEMPTS, minutes_ago=6)
    with app.app_context():
        assert jobs.rerun_stalled() == 0
        assert (jobs.find_job(slow).state, jobs.find_job(doomed).state) == ("running", "failed")
    page = admin_client.get(f"/admin/print/jobs/{doomed}").get_data(as_text=True)
    assert "Utskriften ble avbrutt 3 ganger og er gitt opp. Bestill den på nytt." in page
    assert "Prøv igjen med de samme valgene" in page and "data-poll" not in page


# --- Access -------------------------------------------------------------------------------------


def test_another_token_finds_nothing(app, admin_client):
    order(admin_client, "programme")
    guess = "A" * 32
    assert admin_client.get(f"/admin/print/jobs/{guess}").status_code == 404
    assert download(admin_client, f"/admin/print/jobs/{guess}.pdf").status_code == 404
    assert admin_client.get(f"/admin/print/jobs/{guess}/status").status_code == 404
    for job in stored_jobs(app):
        wait_until_finished(admin_client, f"/admin/print/jobs/{job.token}")


def test_visitors_who_are_not_logged_in_are_sent_to_the_login(app, admin_client, client):
    job_url = order(admin_client, "programme")
    wait_until_finished(admin_client, job_url)
    for path in (job_url, f"{job_url}.pdf", f"{job_url}/status"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path
    assert client.post(f"{job_url}/delete").status_code == 401
    assert len(stored_jobs(app)) == 1


def test_ordering_and_deleting_need_the_csrf_token(app, admin_client):
    assert admin_client.post("/admin/print/programme/download").status_code == 400
    assert stored_jobs(app) == []
    job_url = order(admin_client, "programme")
    wait_until_finished(admin_client, job_url)
    assert admin_client.post(f"{job_url}/delete").status_code == 400
    assert len(stored_jobs(app)) == 1


# --- Keeping personal data no longer than needed ------------------------------------------------


@pytest.fixture
def inline_app(instance):
    app = make_app(instance, PRINT_JOB_RUNNER="inline", PRINT_JOB_KEEP_HOURS=2)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_an_organiser_deletes_a_job_and_its_pdf(inline_app):
    client = inline_app.test_client()
    with inline_app.app_context():
        from fagkonferanse.accounts.services import create_organiser

        create_organiser(ORGANISER_EMAIL, "riktig-hest-batteri")
        db.session.commit()
    post_form(client, "/login", {"email": ORGANISER_EMAIL, "password": "riktig-hest-batteri"})
    job_url = order(client, "programme")  # inline: made before the answer
    assert download(client, f"{job_url}.pdf").status_code == 200
    response = post_form(client, f"{job_url}/delete", {}, form_path=job_url)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/print/"
    assert "Utskriften og PDF-en er slettet." in client.get("/admin/print/").get_data(as_text=True)
    assert stored_jobs(inline_app) == []
    assert download(client, f"{job_url}.pdf").status_code == 404
    assert client.get(job_url).status_code == 404


def test_old_jobs_and_their_pdfs_are_purged_with_the_pdfs_of_before(inline_app):
    old_folder = Path(inline_app.instance_path) / "print-jobs"  # where PDFs lay before migration 0015
    old_folder.mkdir()
    (old_folder / "left-from-before.pdf").write_bytes(b"%PDF- badges with names")
    with inline_app.app_context():
        event = current_event()
        old, recent = jobs.submit("programme", event, {}), jobs.submit("programme", event, {})
        kept = recent.token
        old.created_at = utcnow() - dt.timedelta(hours=2, minutes=1)
        db.session.commit()
    result = inline_app.test_cli_runner().invoke(args=["print-jobs", "purge"])
    assert result.exit_code == 0 and "Deleted 1 print job(s) older than 2 hours." in result.output
    assert [job.token for job in stored_jobs(inline_app)] == [kept]
    assert not old_folder.exists()


def test_the_print_centre_purges_old_jobs_when_it_is_visited(inline_app):
    with inline_app.app_context():
        old = jobs.submit("programme", current_event(), {})
        old.created_at = utcnow() - dt.timedelta(hours=3)
        db.session.commit()
        from fagkonferanse.accounts.services import create_organiser

        create_organiser(ORGANISER_EMAIL, "riktig-hest-batteri")
        db.session.commit()
    client = inline_app.test_client()
    post_form(client, "/login", {"email": ORGANISER_EMAIL, "password": "riktig-hest-batteri"})
    page = client.get("/admin/print/").get_data(as_text=True)
    assert "Ingen utskrifter ennå." in page and stored_jobs(inline_app) == []


# --- The command line ---------------------------------------------------------------------------


def test_print_jobs_list_and_run_from_the_command_line(inline_app):
    runner = inline_app.test_cli_runner()
    with inline_app.app_context():
        job = jobs.submit("programme", current_event(), {})
    listing = runner.invoke(args=["print-jobs", "list"])
    assert listing.exit_code == 0 and job.token in listing.output and "done" in listing.output
    again = runner.invoke(args=["print-jobs", "run", job.token, "-o", "x.pdf"])
    assert again.exit_code == 1 and "is done: only a queued job can be run" in again.output
    unknown = runner.invoke(args=["print-jobs", "run", "nope", "-o", "x.pdf"])
    assert unknown.exit_code == 1 and unknown.output.strip() == (
        "Error: no print job 'nope' (see 'fagkonferanse print-jobs list')")


# --- Badges -------------------------------------------------------------------------------------


def test_badges_made_in_the_background_are_remembered_as_printed(app, admin_client, tmp_path):
    """Enough badges for two chunks: laid out by worker processes started from the job's thread."""
    add_people(app, [f"Person{number:03d} Testesen" for number in range(200)])
    job_url = order(admin_client, "badges", layout="a6", who="unprinted")
    page = wait_until_finished(admin_client, job_url, timeout=300)
    assert "PDF-en er klar." in page and "50 sider" in page, page
    text = pdf_text(download(admin_client, f"{job_url}.pdf").data, tmp_path)
    assert "Person000" in text and "Person199" in text

    again = wait_until_finished(admin_client, order(admin_client, "badges", who="unprinted"))
    assert "Alle navneskiltene er allerede skrevet ut." in again


# --- Under gunicorn, and after a SIGKILL -------------------------------------------------------


class Organiser:
    """An organiser's browser against a real server: cookies, CSRF tokens, no redirects followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base_url + path, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post_form(self, path: str, form_path: str, data: dict[str, str]) -> tuple[int, str]:
        """Submit the form on ``form_path``: (status, Location)."""
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(form_path)[1].decode()).group(1)
        request = urllib.request.Request(self.base_url + path, method="POST",
                                         data=urllib.parse.urlencode({"csrf_token": token, **data}).encode())
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")

    def status_of(self, job_url: str) -> str:
        return self.get(job_url)[1].decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _poll(organiser: Organiser, job_url: str, wanted: str, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    while wanted not in (page := organiser.status_of(job_url)):
        assert time.monotonic() < deadline, f"{wanted!r} not shown after {timeout} s:\n{page}"
        time.sleep(0.05)
    return page


def test_under_gunicorn_badges_are_made_by_the_job_worker_and_a_killed_job_runs_again(tmp_path):
    """The production server: the job runs in the job worker ``serve --production`` started and
    lays the badges out in worker processes. SIGKILL to the whole server mid-job, a restart, and
    the job runs again by itself once it is older than PRINT_JOB_STALLED_SECONDS."""
    server = start_production_server(tmp_path / "instance", workers=2,
                                     extra_env={"FAGKONFERANSE_PRINT_JOB_STALLED_SECONDS": "2"})
    try:
        app = make_app(server.instance)
        add_people(app, [f"Person{number:03d} Testesen" for number in range(200)])
        with app.app_context():
            from fagkonferanse.accounts.services import create_organiser

            create_organiser(ORGANISER_EMAIL, "riktig-hest-batteri")
            db.session.commit()
            db.engine.dispose()
        organiser = Organiser(server.url)
        assert organiser.post_form("/login", "/login", {"email": ORGANISER_EMAIL,
                                                         "password": "riktig-hest-batteri"})[0] == 302

        status, job_url = organiser.post_form("/admin/print/badges/download", "/admin/print/badges/", {"layout": "a7"})
        assert status == 303 and JOB_URL.match(job_url), (status, job_url)
        assert "PDF-en er klar." in _poll(organiser, job_url, "PDF-en er klar.")
        status, pdf = organiser.get(f"{job_url}.pdf")
        assert status == 200 and "Person199" in pdf_text(pdf, tmp_path)

        _, second = organiser.post_form("/admin/print/badges/download", "/admin/print/badges/", {"layout": "a6"})
        _poll(organiser, second, "PDF-en lages nå.")
        server.kill()
        time.sleep(2)
        server.start()
        page = _poll(organiser, second, "PDF-en er klar.", timeout=150)
        assert "data-poll" not in page
    finally:
        server.close()
