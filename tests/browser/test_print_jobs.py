"""A print job in a real browser: the job page updates itself under the site's CSP until the PDF
is ready, and it and the print centre's job list pass axe-core at phone and desktop widths.

(The organiser-page walk in test_accessibility.py follows the navigation, which does not reach a
job's page: a job exists only once someone orders a PDF.)
"""

from __future__ import annotations

import json
import textwrap

import pytest
from playwright.sync_api import expect

from ..liveserver import start_live_server
from .conftest import DESKTOP, PHONE, axe_violations, log_in

READY_WITHIN_MS = 120_000  # the programme takes a second; a loaded machine gets a lot more

# A document that is made only once the test creates the file "release" beside the plugin.
HELD_DOCUMENT = """
    import time
    from pathlib import Path

    from fagkonferanse import hookimpl
    from fagkonferanse.pdf import html_to_pdf
    from fagkonferanse.plugin_types import PrintableDocument

    RELEASE = Path(__file__).with_name("release")


    def render(event, options):
        deadline = time.monotonic() + 120
        while not RELEASE.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return html_to_pdf("<p>Holdt tilbake</p>")


    @hookimpl
    def printable_documents():
        return [PrintableDocument("held", "Holdt utskrift", render)]
"""


@pytest.fixture(scope="module")
def held_server(tmp_path_factory):
    """A server whose "held" document waits for the test: the job page is seen while it waits."""
    plugins = tmp_path_factory.mktemp("plugins")
    (plugins / "held_document.py").write_text(textwrap.dedent(HELD_DOCUMENT))
    server = start_live_server(tmp_path_factory.mktemp("held") / "instance",
                               {"FAGKONFERANSE_PLUGIN_FOLDERS": json.dumps([str(plugins)])})
    release = plugins / "release"
    yield server, release
    release.touch()
    server.stop()


def test_the_job_page_updates_itself_until_the_pdf_can_be_downloaded(desktop, held_server):
    server, release = held_server
    log_in(desktop, server.url)
    desktop.goto(server.url + "/admin/print/held/")
    desktop.get_by_role("button", name="Lag PDF").click()
    desktop.wait_for_url("**/admin/print/jobs/*")
    status = desktop.get_by_role("status")
    expect(status).to_contain_text("PDF-en lages nå.")
    desktop.evaluate("window.stillTheSamePage = true")
    release.touch()
    expect(status).to_contain_text("PDF-en er klar.", timeout=READY_WITHIN_MS)
    assert desktop.evaluate("window.stillTheSamePage === true")  # put in place by print-job.js, not reloaded
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="Last ned PDF").click()
    assert download.value.suggested_filename == "held.pdf"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_job_pages_have_no_serious_violations(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="nb-NO", bypass_csp=True)  # axe is injected
    page = context.new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/print/programme/")
    page.get_by_role("button", name="Lag PDF").click()
    page.wait_for_url("**/admin/print/jobs/*")
    problems = {"job page, just ordered": axe_violations(page)}
    expect(page.get_by_role("status")).to_contain_text("PDF-en er klar.", timeout=READY_WITHIN_MS)
    problems["job page, ready"] = axe_violations(page)
    page.goto(live_server.url + "/admin/print/")
    expect(page.get_by_role("link", name="Last ned").first).to_be_visible()
    problems["print centre with its jobs"] = axe_violations(page)
    context.close()
    assert {where: found for where, found in problems.items() if found} == {}
