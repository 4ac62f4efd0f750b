"""Exhibitors propose corrections through a private link; organisers review, approve or reject."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from fagkonferanse.audit.models import AuditEntry
from fagkonferanse.extensions import db

from ..conftest import csrf_token, post_form
from .conftest import plugin, sheet

SLUG = "sarpsborg-jobbintro"
LINKS = f"/admin/catalogue/{SLUG}/links"


def make_link(admin_client, recipient="monica.gretland@nav.no", days="30") -> str:
    """Make a link through the organiser's page; returns the exhibitor's path."""
    response = post_form(admin_client, LINKS, {"recipient": recipient, "days": days})
    assert response.status_code == 200, response.get_data(as_text=True)
    url = html.unescape(re.search(r'id="exhibitor-link"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1))
    return url.removeprefix("http://127.0.0.1:5000")


def exhibitor_form(client, path) -> dict:
    page = client.get(path).get_data(as_text=True)
    values = {name: html.unescape(value) for name, value in
              re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
    values.update({name: html.unescape(value) for name, value in
                   re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)})
    return values


def propose(client, path, **changes):
    values = exhibitor_form(client, path)
    values.update({"submitted_by": "Monica Gretland", **changes})
    return client.post(path, data=values)


def submit(client, page_path, action, **extra):
    """Post the form on ``page_path`` whose action is ``action``, with its hidden fields, like a browser."""
    page = client.get(page_path).get_data(as_text=True)
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S).group(1)
    inputs = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
    values = {name: html.unescape(value) for name, value in inputs}
    return client.post(action, data={**values, **extra})


def approve(client, proposal_id):
    review = f"/admin/catalogue/proposals/{proposal_id}"
    return submit(client, review, f"{review}/approve")


def only_proposal():
    models = plugin().models
    return db.session.scalar(db.select(models.SheetProposal).order_by(models.SheetProposal.id.desc()))


def test_a_link_is_private_random_and_stored_only_as_a_digest(app, admin_client):
    body = admin_client.get(LINKS).get_data(as_text=True)
    assert 'value="Marie.Skeid@nav.no, Monica.Gretland@nav.no"' in body  # from the contact section
    path = make_link(admin_client)
    token = path.rsplit("/", 1)[1]
    assert path.startswith("/catalogue/edit/") and len(token) >= 43  # 32 random bytes, URL-safe base64
    with app.app_context():
        link = db.session.scalar(db.select(plugin().models.ExhibitorLink))
        assert link.token_digest != token and len(link.token_digest) == 64
        assert link.recipient == "monica.gretland@nav.no"
        assert dt.timedelta(days=29) < link.expires_at - link.created_at <= dt.timedelta(days=30)
        entry = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert entry.entity == "catalogue_link" and "Jobbintro" in entry.summary
    assert make_link(admin_client) != path  # never the same twice


def test_the_link_page_offers_a_prefilled_email(admin_client):
    response = post_form(admin_client, LINKS, {"recipient": "monica.gretland@nav.no", "days": "14"})
    body = html.unescape(response.get_data(as_text=True))
    assert 'href="mailto:monica.gretland@nav.no?subject=Prosjektkatalogen%3A%20Jobbintro&body=' in body


def test_link_form_errors_are_400(admin_client):
    assert post_form(admin_client, LINKS, {"days": "0"}).status_code == 400
    assert post_form(admin_client, LINKS, {"days": "many"}).status_code == 400
    assert admin_client.post(LINKS, data={"days": "5"}).status_code == 400  # no CSRF token


def test_exhibitor_proposes_and_the_sheet_changes_only_when_approved(app, admin_client):
    path = make_link(admin_client)
    exhibitor = app.test_client()
    page = exhibitor.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex, nofollow">' in page.get_data(as_text=True)
    values = exhibitor_form(exhibitor, path)
    assert values["project_name"] == "Jobbintro"
    response = propose(exhibitor, path, project_name="Jobbintro Pluss",
                       section_unikhet="Vi er de eneste i Østfold.\n\n- med språkpraksis\n- med jobbgaranti",
                       message="Navnet skrives med bindestrek.")
    assert response.status_code == 200 and "Takk for forslaget" in response.get_data(as_text=True)
    with app.app_context():
        assert sheet(SLUG).project_name == "Jobbintro"  # nothing changes before approval
        proposal = only_proposal()
        assert proposal.status == "pending" and proposal.submitted_by == "Monica Gretland"
        proposal_id = proposal.id
    assert "Jobbintro Pluss" not in app.test_client().get(f"/catalogue/{SLUG}").get_data(as_text=True)

    listing = admin_client.get("/admin/catalogue").get_data(as_text=True)
    assert "«Jobbintro» fra Monica Gretland" in listing and "1 forslag venter" in listing
    review = admin_client.get(f"/admin/catalogue/proposals/{proposal_id}").get_data(as_text=True)
    assert "<del><span class=\"visually-hidden\">Fjernet: </span>Jobbintro</del>" in review
    assert "<ins><span class=\"visually-hidden\">Lagt til: </span>Jobbintro Pluss</ins>" in review
    assert "- med jobbgaranti" in review and "Navnet skrives med bindestrek." in review
    assert ">Kontaktinformasjon</h3>" not in review  # unchanged fields are not shown

    response = approve(admin_client, proposal_id)
    assert response.status_code == 303
    with app.app_context():
        approved = sheet(SLUG)
        assert approved.project_name == "Jobbintro Pluss"
        assert approved.sections["unikhet"][1]["items"][1]["text"] == "med jobbgaranti"
        assert approved.approved_by == "ola@example.no" and approved.edited_at is not None
        assert only_proposal().status == "approved"
        entry = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert "Godkjente forslag fra Monica Gretland" in entry.summary
        assert entry.changes["Prosjektnavn"] == ["Jobbintro", "Jobbintro Pluss"]
    assert "Jobbintro Pluss" in app.test_client().get(f"/catalogue/{SLUG}").get_data(as_text=True)
    again = post_form(admin_client, f"/admin/catalogue/proposals/{proposal_id}/approve", {"version": "99"},
                      form_path=LINKS)
    assert again.status_code == 409 and "allerede behandlet" in again.get_data(as_text=True)


def test_rejecting_leaves_the_sheet_as_it_was(app, admin_client):
    path = make_link(admin_client)
    propose(app.test_client(), path, project_name="Noe helt annet")
    with app.app_context():
        proposal_id = only_proposal().id
    response = submit(admin_client, f"/admin/catalogue/proposals/{proposal_id}",
                      f"/admin/catalogue/proposals/{proposal_id}/reject", note="Navnet står i søknaden.")
    assert response.status_code == 303
    with app.app_context():
        assert sheet(SLUG).project_name == "Jobbintro"
        assert (only_proposal().status, only_proposal().decision_note) == ("rejected", "Navnet står i søknaden.")


def test_approving_keeps_what_organisers_changed_meanwhile_in_other_fields(app, admin_client):
    path = make_link(admin_client)
    propose(app.test_client(), path, project_name="Jobbintro Pluss")
    with app.app_context():
        found = sheet(SLUG)
        found.funding_body = "IMDi og NAV"  # an organiser's edit after the proposal came
        db.session.commit()
        proposal_id, version = only_proposal().id, found.version
    review = admin_client.get(f"/admin/catalogue/proposals/{proposal_id}").get_data(as_text=True)
    assert ">Tilskuddsgiver</h3>" not in review
    response = approve(admin_client, proposal_id)
    assert response.status_code == 303
    with app.app_context():
        assert (sheet(SLUG).project_name, sheet(SLUG).funding_body) == ("Jobbintro Pluss", "IMDi og NAV")


def test_a_field_changed_on_both_sides_is_flagged_and_a_stale_review_refused(app, admin_client):
    path = make_link(admin_client)
    propose(app.test_client(), path, project_name="Jobbintro Pluss")
    with app.app_context():
        proposal_id = only_proposal().id
    review_path = f"/admin/catalogue/proposals/{proposal_id}"
    token = csrf_token(admin_client, review_path)  # the review the organiser is looking at
    old_version = re.search(r'name="version"[^>]*value="(\d+)"',
                            admin_client.get(review_path).get_data(as_text=True)).group(1)
    with app.app_context():
        sheet(SLUG).project_name = "Jobbintro Sarpsborg"
        db.session.commit()
    assert "Også endret på arket etter at forslaget kom" in admin_client.get(review_path).get_data(as_text=True)
    stale = admin_client.post(f"{review_path}/approve", data={"csrf_token": token, "version": old_version})
    assert stale.status_code == 409 and "Arket er endret etter at du åpnet forslaget" in stale.get_data(as_text=True)
    with app.app_context():
        assert sheet(SLUG).project_name == "Jobbintro Sarpsborg" and only_proposal().status == "pending"


def test_sending_again_replaces_the_pending_proposal_and_no_change_sends_nothing(app, admin_client):
    path = make_link(admin_client)
    exhibitor = app.test_client()
    unchanged = propose(exhibitor, path)
    assert unchanged.status_code == 200 and "Du har ikke endret noe" in unchanged.get_data(as_text=True)
    with app.app_context():
        assert only_proposal() is None
    propose(exhibitor, path, project_name="Jobbintro Pluss")
    page = exhibitor.get(path).get_data(as_text=True)
    assert "venter på godkjenning" in page and 'value="Jobbintro Pluss"' in page  # the form shows the proposal
    propose(exhibitor, path, project_name="Jobbintro Ekstra")
    with app.app_context():
        statuses = [p.status for p in db.session.scalars(db.select(plugin().models.SheetProposal)
                                                         .order_by(plugin().models.SheetProposal.id))]
        assert statuses == ["superseded", "pending"]


def test_exhibitor_form_errors(app, admin_client):
    path = make_link(admin_client)
    exhibitor = app.test_client()
    response = propose(exhibitor, path, submitted_by="", project_name="", submitted_email="ikke-epost")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Skriv navnet ditt" in body and "Prosjektet trenger et navn." in body and "gyldig e-postadresse" in body
    values = exhibitor_form(exhibitor, path)
    values.pop("csrf_token")
    assert exhibitor.post(path, data=dict(values, submitted_by="X", project_name="Y")).status_code == 400
    with app.app_context():
        assert only_proposal() is None


def test_a_revoked_link_stops_working_at_once(app, admin_client):
    path = make_link(admin_client)
    exhibitor = app.test_client()
    values = exhibitor_form(exhibitor, path)
    with app.app_context():
        link_id = db.session.scalar(db.select(plugin().models.ExhibitorLink.id))
    response = submit(admin_client, LINKS, f"/admin/catalogue/links/{link_id}/revoke")
    assert response.status_code == 303
    assert "Trukket tilbake" in admin_client.get(LINKS).get_data(as_text=True)
    closed = exhibitor.get(path)
    assert closed.status_code == 410 and "trukket tilbake" in closed.get_data(as_text=True)
    late = exhibitor.post(path, data=dict(values, submitted_by="Sen", project_name="For sent"))
    assert late.status_code == 410
    with app.app_context():
        assert only_proposal() is None and sheet(SLUG).project_name == "Jobbintro"
    assert admin_client.post(f"/admin/catalogue/links/{link_id}/revoke").status_code == 400  # CSRF


def test_an_expired_link_stops_working(app, admin_client):
    path = make_link(admin_client, days="1")
    with app.app_context():
        link = db.session.scalar(db.select(plugin().models.ExhibitorLink))
        link.expires_at = link.created_at - dt.timedelta(seconds=1)
        db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 410 and "utløpt" in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["x", "A" * 43, "a" * 500])
def test_unknown_tokens_are_404(client, token):
    assert client.get(f"/catalogue/edit/{token}").status_code == 404


def test_dashboard_counts_pending_proposals(app, admin_client):
    path = make_link(admin_client)
    propose(app.test_client(), path, project_name="Jobbintro Pluss")
    body = admin_client.get("/admin/").get_data(as_text=True)
    card = body.split("Forslag fra utstillere som venter")[1][:200]
    assert '<p class="figure">1</p>' in card
