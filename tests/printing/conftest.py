"""Fixtures for the print documents: attendees made directly in the database, a public base URL,
and reading printed PDFs back (pages, QR codes, text with positions)."""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.printing import jobs
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.tokens import new_checkin_code, new_manage_secret

from ..conftest import make_app, post_form
from ..pdftools import decode_qr_codes, pdf_pages

PUBLIC_BASE = "https://konferanse.example.no"


@pytest.fixture
def public_app(instance):
    """The 2016 conference with a public base URL, as it would be printed for real."""
    from fagkonferanse.extensions import db as database

    app = make_app(instance, BASE_URL=PUBLIC_BASE)
    yield app
    with app.app_context():
        database.engine.dispose()


def add_people(app, people: list[dict | str], status: str = "confirmed") -> list[int]:
    """Registrations straight into the database (names, or dicts of fields); their ids."""
    ids = []
    with app.app_context():
        event = current_event()
        for person in people:
            fields = {"name": person} if isinstance(person, str) else dict(person)
            registration = Registration(
                event_id=event.id, status=fields.pop("status", status),
                email=fields.pop("email", f"{uuid.uuid4().hex}@example.no"),
                manage_secret=new_manage_secret(), checkin_code=new_checkin_code(),
                organisation=fields.pop("organisation", ""), municipality=fields.pop("municipality", ""), **fields)
            db.session.add(registration)
            db.session.flush()
            ids.append(registration.id)
        db.session.commit()
    return ids


def codes_by_id(app) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(db.select(Registration.id, Registration.checkin_code)).all())


def print_cli(app, tmp_path: Path, document: str, *options: str, name: str = "out.pdf"):
    """Run ``fagkonferanse print`` like an organiser; returns (result, path)."""
    output = tmp_path / name
    args = ["print", document, "-o", str(output)]
    for option in options:
        args += ["-O", option]
    return app.test_cli_runner().invoke(args=args), output


def page_images(pdf: bytes, folder: Path, dpi: int = 150) -> list:
    """Every page as a greyscale image (a fresh folder per call: pdf_pages globs its folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    return pdf_pages(pdf, folder, dpi=dpi)


def qr_codes_per_page(pdf: bytes, folder: Path, dpi: int = 150) -> list[list[str]]:
    return [sorted(decode_qr_codes(image)) for image in page_images(pdf, folder, dpi)]


def page_texts(pdf: bytes, folder: Path) -> list[str]:
    """Each page's text (pdftotext, reading order; pages split at form feeds)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "doc.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def words_with_boxes(pdf: bytes, folder: Path) -> tuple[list[Word], tuple[float, float]]:
    """Every word with its box in points (pdftotext -bbox), and the page size in points."""
    import html

    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "doc.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True, text=True).stdout
    words = []
    size = (0.0, 0.0)
    for number, chunk in enumerate(out.split("<page ")[1:], start=1):
        page = _PAGE.match("<page " + chunk)
        size = (float(page.group(1)), float(page.group(2)))
        for match in _WORD.finditer(chunk):
            x0, y0, x1, y1 = (float(value) for value in match.groups()[:4])
            words.append(Word(html.unescape(match.group(5)), number, x0, y0, x1, y1))
    return words, size


def page_size_mm(pdf: bytes, folder: Path) -> tuple[float, float]:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "size.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    return round(float(match.group(1)) * 25.4 / 72, 1), round(float(match.group(2)) * 25.4 / 72, 1)


# --- Printing through the print centre (a background job per PDF) -------------------------------

JOB_URL = re.compile(r"^/admin/print/jobs/([A-Za-z0-9_-]+)$")


def order(client, document: str, **options) -> str:
    """Press "Lag PDF" on the document's page: the job page's address the answer points to."""
    response = post_form(client, f"/admin/print/{document}/download", options,
                         form_path=f"/admin/print/{document}/")
    assert response.status_code == 303, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert JOB_URL.match(location), location
    return location


def token_of(job_url: str) -> str:
    return JOB_URL.match(job_url).group(1)


def wait_until_finished(client, job_url: str, timeout: float = 180) -> str:
    """Poll the job's status the way its page's script does, until it stops waiting; the job page."""
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(job_url + "/status").get_data(as_text=True)
        if "data-poll" not in status:
            return client.get(job_url).get_data(as_text=True)
        assert time.monotonic() < deadline, f"the job was not finished after {timeout} s:\n{status}"
        time.sleep(0.05)


def download(client, pdf_url: str):
    """GET a job's PDF and close the file behind the answer (the data stays readable)."""
    response = client.get(pdf_url)
    response.get_data()
    response.close()
    return response


def print_in_the_print_centre(client, document: str, **options) -> tuple[str, bytes | None]:
    """Order a PDF, wait for it and download it: (the finished job's page, the PDF or None)."""
    job_url = order(client, document, **options)
    page = wait_until_finished(client, job_url)
    response = download(client, f"{job_url}.pdf")
    return page, response.data if response.status_code == 200 else None
