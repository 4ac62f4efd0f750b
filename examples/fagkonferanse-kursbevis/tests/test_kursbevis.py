"""The certificate plugin end to end: checked in → ticket page → PDF → QR code → verification page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import zxingcpp
from kursbevis_testing import DURING_THE_DAY, csrf_token, log_in, make_app, ticket_secret
from PIL import Image

from fagkonferanse import Event, Registration, db

VERIFY = re.compile(r"^https://konferanse\.example\.no/kursbevis/([A-Za-z0-9_-]{32})$")


def pdf_text(pdf: bytes, folder: Path) -> str:
    (folder / "doc.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(folder / "doc.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout


def qr_codes(pdf: bytes, folder: Path) -> list[list[str]]:
    """The QR codes on each page, read from the page rendered at 150 dpi (as a phone sees print)."""
    (folder / "qr.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(folder / "qr.pdf"), str(folder / "page")],
                   check=True, capture_output=True)
    return [[code.text for code in zxingcpp.read_barcodes(Image.open(path))]
            for path in sorted(folder.glob("page*.png"))]


def download_link(page: str) -> str:
    match = re.search(r'href="(/kursbevis/[^"]+/kursbevis\.pdf)"', page)
    assert match, "no download link on the page"
    return match.group(1)


def test_the_plugin_is_installed_from_its_own_package(app):
    output = app.test_cli_runner().invoke(args=["plugins"]).output.splitlines()
    assert "kursbevis  [installed (fagkonferanse-kursbevis 1.0.0)]" in output


def test_a_checked_in_attendee_downloads_a_certificate_whose_code_confirms_it(client, app, tmp_path):
    ticket = client.get(f"/ticket/{ticket_secret(app, 'kari@example.no')}").get_data(as_text=True)
    assert "Kursbevis</h2>" in ticket
    response = client.get(download_link(ticket))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"

    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert "KURSBEVIS" in text
    assert "Dette bekrefter at Kari Nordmann har deltatt på" in text
    assert "Kunnskap om praksisutvikling innen levekår og mangfold" in text
    assert "onsdag 9. november 2016 · Høgskolen i Østfold, H-bygget" in text
    # 09.00-15.00 without the break (20 min) and lunch with the stands (2 h): 3 h 40 min
    assert "Omfang: 3,5 timer" in text
    assert "kl. 09.15 KLAR prosjektet – læringssystemet" in text
    assert "kl. 14.20 Studentenes halvtime" in text
    assert "Lunsj" not in text and "Registrering" not in text and "Pause" not in text
    assert ("Arrangører: Fylkesmannen i Østfold, Husbanken, Høgskolen i Østfold, "
            "Integrerings- og mangfoldsdirektoratet") in text

    [[code]] = qr_codes(response.data, tmp_path)
    token = VERIFY.match(code).group(1)
    page = client.get(f"/kursbevis/{token}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Kursbeviset er gyldig" in html
    assert "Kari Nordmann" in html
    assert "kari@example.no" not in html and "Fredrikstad" not in html  # the name, nothing more


def test_only_people_who_were_checked_in_get_one(client, app):
    ticket = client.get(f"/ticket/{ticket_secret(app, 'per@example.no')}").get_data(as_text=True)
    assert "Kursbevis" not in ticket
    assert client.get("/kursbevis/not-a-real-token").status_code == 404


def test_before_the_day_is_over_the_ticket_says_when(instance):
    app = make_app(instance, NOW=DURING_THE_DAY)
    page = app.test_client().get(f"/ticket/{ticket_secret(app, 'kari@example.no')}").get_data(as_text=True)
    assert "Kursbeviset kan lastes ned her når konferansen er over." in page
    assert "kursbevis.pdf" not in page
    with app.app_context():
        db.engine.dispose()


def test_an_organiser_revokes_a_certificate_and_its_page_says_so(client, app):
    link = download_link(client.get(f"/ticket/{ticket_secret(app, 'kari@example.no')}").get_data(as_text=True))
    token = link.split("/")[2]
    log_in(client)
    admin = client.get("/admin/kursbevis/").get_data(as_text=True)
    certificate_id = re.search(r'action="/admin/kursbevis/(\d+)/revoke"', admin).group(1)
    token_field = csrf_token(client, "/admin/kursbevis/")
    response = client.post(f"/admin/kursbevis/{certificate_id}/revoke",
                           data={"csrf_token": token_field, "reason": "Gikk etter en time"})
    assert response.status_code == 302
    page = client.get(f"/kursbevis/{token}").get_data(as_text=True)
    assert "Kursbeviset er trukket tilbake" in page
    assert "Kursbeviset er gyldig" not in page
    assert client.get(link).status_code == 410
    assert "Gikk etter en time" in client.get("/admin/kursbevis/").get_data(as_text=True)

    response = client.post(f"/admin/kursbevis/{certificate_id}/reinstate",
                           data={"csrf_token": csrf_token(client, "/admin/kursbevis/")})
    assert response.status_code == 302
    assert client.get(link).status_code == 200


def test_revoking_needs_a_logged_in_organiser_and_a_csrf_token(client, app):
    client.get(f"/ticket/{ticket_secret(app, 'kari@example.no')}")  # issues Kari's certificate
    assert client.post("/admin/kursbevis/1/revoke", data={"reason": "x"}).status_code == 401
    log_in(client)
    assert client.post("/admin/kursbevis/1/revoke", data={"reason": "x"}).status_code == 400


def outbox(app) -> list:
    import email
    from email.policy import default

    folder = Path(app.instance_path) / "outbox"
    return [email.message_from_bytes(path.read_bytes(), policy=default) for path in sorted(folder.glob("*.eml"))]


def test_the_mail_reaches_everyone_checked_in_once(client, app):
    log_in(client)
    response = client.post("/admin/kursbevis/send", data={"csrf_token": csrf_token(client, "/admin/kursbevis/")})
    assert response.status_code == 302
    assert "Kursbeviset er sendt til 2 deltakere." in client.get("/admin/kursbevis/").get_data(as_text=True)
    messages = outbox(app)
    assert sorted(message["To"] for message in messages) == ["Kari Nordmann <kari@example.no>",
                                                            "Ola Åsen <ola@example.no>"]
    assert {message["Subject"] for message in messages} == {
        "Kursbevis: Kunnskap om praksisutvikling innen levekår og mangfold"}
    body = messages[0].get_content()
    assert re.search(r"https://konferanse\.example\.no/kursbevis/[\w-]{32}/kursbevis\.pdf", body)

    client.post("/admin/kursbevis/send", data={"csrf_token": csrf_token(client, "/admin/kursbevis/")})
    assert len(outbox(app)) == 2
    assert "Alle som er sjekket inn, har fått kursbeviset allerede." in client.get("/admin/kursbevis/").get_data(
        as_text=True)


def test_the_print_document_has_a_page_for_each_person_checked_in(app, instance, tmp_path):
    output = instance / "kursbevis.pdf"
    result = app.test_cli_runner().invoke(args=["print", "kursbevis", "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = pdf_text(output.read_bytes(), tmp_path)
    assert text.count("KURSBEVIS") == 2
    assert "Kari Nordmann" in text and "Ola Åsen" in text and "Per Ikkekom" not in text
    codes = qr_codes(output.read_bytes(), tmp_path)
    assert len(codes) == 2 and all(VERIFY.match(page[0]) for page in codes)


def test_the_english_certificate(client, app, tmp_path):
    ticket = client.get(f"/ticket/{ticket_secret(app, 'ola@example.no')}?lang=en").get_data(as_text=True)
    pdf = client.get(download_link(ticket)).data
    result = app.test_cli_runner().invoke(args=["print", "kursbevis", "-O", "language=en", "-o",
                                                str(tmp_path / "en.pdf")])
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text((tmp_path / "en.pdf").read_bytes(), tmp_path).split())
    assert "This is to certify that Ola Åsen attended" in text
    assert "Hours: 3.5 hours" in text
    assert pdf.startswith(b"%PDF")


def test_the_certificate_is_in_the_attendees_own_data_download(client, app):
    secret = ticket_secret(app, "kari@example.no")
    token = download_link(client.get(f"/ticket/{secret}").get_data(as_text=True)).split("/")[2]
    data = client.get(f"/ticket/{secret}/data.json").get_json()
    assert data["kursbevis"]["verification_page"] == f"https://konferanse.example.no/kursbevis/{token}"
    assert data["kursbevis"]["revoked"] is False
    assert data["kursbevis"]["mailed_at"] is None


def test_deleting_ones_data_deletes_the_certificate(client, app):
    secret = ticket_secret(app, "kari@example.no")
    token = download_link(client.get(f"/ticket/{secret}").get_data(as_text=True)).split("/")[2]
    with app.app_context():
        db.session.delete(db.session.scalar(db.select(Registration).where(Registration.manage_secret == secret)))
        db.session.commit()
    assert client.get(f"/kursbevis/{token}").status_code == 404


def test_when_the_attendees_are_anonymised_the_certificates_go(client, app):
    token = download_link(client.get(f"/ticket/{ticket_secret(app, 'kari@example.no')}").get_data(as_text=True)).split("/")[2]
    with app.app_context():
        event = db.session.scalar(db.select(Registration.event_id).where(Registration.email == "kari@example.no"))
        app.extensions["fagkonferanse.plugins"].hook.attendees_anonymised(event=db.session.get(Event, event))
        db.session.commit()
    assert client.get(f"/kursbevis/{token}").status_code == 404
