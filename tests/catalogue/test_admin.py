"""Organisers edit sheets at /admin/catalogue: forms, optimistic locking, audit log, dashboard."""

from __future__ import annotations

from fagkonferanse.audit.models import AuditEntry
from fagkonferanse.extensions import db

from ..conftest import post_form
from .conftest import sheet

EDIT = "/admin/catalogue/halden-en-dor-inn"


def form_values(client, path=EDIT) -> dict:
    """The edit form as the browser would submit it unchanged."""
    import html
    import re

    page = client.get(path).get_data(as_text=True)
    values = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        values[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\r?\n?(.*?)</textarea>', page, re.S):
        values[name] = html.unescape(value)
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        selected = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', options)
        values[name] = next(v for v in selected.groups() if v is not None) if selected else ""
    return values


def test_organiser_pages_need_a_login(client):
    assert client.get("/admin/catalogue").status_code == 302
    assert client.post(EDIT, data={}).status_code == 401


def test_the_list_shows_every_sheet_and_the_stands_without_projects(admin_client):
    body = admin_client.get("/admin/catalogue").get_data(as_text=True)
    assert "19 prosjektark" in body
    assert body.count('href="/admin/catalogue/') >= 19
    assert "Ingen forslag venter." in body
    assert "Husbanken</a>: viser Veiviser Bolig for velferd" in body


def test_the_dashboard_counts_sheets_proposals_and_stands_without_projects(admin_client):
    body = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/catalogue">Prosjektkatalog</a>' in body
    assert "Forslag fra utstillere som venter" in body and "Stands uten prosjekter" in body
    assert '<p class="figure">19</p>' in body


def test_the_form_shows_each_section_in_the_plain_text_format(admin_client):
    values = form_values(admin_client)
    assert values["project_name"] == "En dør inn"
    assert values["funding_scheme"] == "Kompetansetilskudd" and values["funding_body"] == "Husbanken"
    assert values["section_unikhet"].startswith("Det er flere kommuner som har «En dør inn»")
    assert "\n- " in values["section_status"] or "\n- " in values["section_prosjekt"] or \
        any(v.startswith("- ") for k, v in values.items() if k.startswith("section_"))
    body = admin_client.get(EDIT).get_data(as_text=True)
    assert "Start en linje med «- » for et punkt i en liste" in body
    assert "<label for=\"section_kontakt\">Kontaktinformasjon</label>" in body


def test_saving_changes_the_sheet_bumps_its_version_and_writes_the_audit_log(app, admin_client):
    values = form_values(admin_client)
    with app.app_context():
        version = sheet("halden-en-dor-inn").version
    values.update(project_name="En dør inn – bolig først",
                  section_unikhet="Ny tekst om unikhet.\n\n- punkt\n  - underpunkt")
    response = admin_client.post(EDIT, data=values)
    assert response.status_code == 303
    with app.app_context():
        saved = sheet("halden-en-dor-inn")
        assert saved.project_name == "En dør inn – bolig først"
        assert saved.sections["unikhet"] == [
            {"type": "paragraph", "text": "Ny tekst om unikhet."},
            {"type": "list", "items": [{"text": "punkt", "children": [{"text": "underpunkt", "children": []}]}]}]
        assert saved.version == version + 1 and saved.edited_by == "ola@example.no"
        assert saved.sections["kontakt"]  # untouched sections are kept as they were
        entry = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert entry.entity == "project_sheet" and "En dør inn – bolig først" in entry.summary
        assert entry.changes["Prosjektnavn"] == ["En dør inn", "En dør inn – bolig først"]
        assert "Unikhet" in entry.changes and "Kontaktinformasjon" not in entry.changes
    public = app.test_client().get("/catalogue/halden-en-dor-inn").get_data(as_text=True)
    assert "En dør inn – bolig først" in public


def test_an_unchanged_form_writes_nothing(app, admin_client):
    with app.app_context():
        version = sheet("halden-en-dor-inn").version
        entries = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
    response = admin_client.post(EDIT, data=form_values(admin_client), follow_redirects=True)
    assert "Ingen endringer å lagre." in response.get_data(as_text=True)
    with app.app_context():
        assert sheet("halden-en-dor-inn").version == version
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == entries


def test_a_stale_form_is_refused_with_409_and_nothing_saved(app, admin_client):
    stale = form_values(admin_client)
    fresh = dict(stale, project_name="Først lagret")
    assert admin_client.post(EDIT, data=fresh).status_code == 303
    stale["project_name"] = "Lagret sist, men fra gammel versjon"
    response = admin_client.post(EDIT, data=stale)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Noen andre har lagret arket mens du redigerte" in body
    assert "Lagret sist, men fra gammel versjon" in body  # the organiser's text is still there to copy
    with app.app_context():
        assert sheet("halden-en-dor-inn").project_name == "Først lagret"


def test_bad_input_is_a_400_with_messages_not_a_500(app, admin_client):
    values = form_values(admin_client)
    too_deep = "\n".join(f"{'  ' * level}- nivå {level}" for level in range(7))
    response = admin_client.post(EDIT, data=dict(values, project_name="  ", section_maal=too_deep))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Prosjektet trenger et navn." in body and "Linje 6:" in body
    assert admin_client.post(EDIT, data=dict(values, version="abc")).status_code == 400
    assert admin_client.post(EDIT, data=dict(values, stand="99999")).status_code == 400
    assert admin_client.post(EDIT, data=dict(values, status="deleted")).status_code == 400
    no_csrf = {k: v for k, v in values.items() if k != "csrf_token"}
    assert admin_client.post(EDIT, data=no_csrf).status_code == 400
    with app.app_context():
        assert sheet("halden-en-dor-inn").project_name == "En dør inn"


def test_hiding_a_sheet_and_moving_it_to_another_stand(app, admin_client):
    with app.app_context():
        from fagkonferanse.stands.models import Stand

        husbanken = db.session.scalar(db.select(Stand).where(Stand.slug == "husbanken")).id
    values = form_values(admin_client)
    assert admin_client.post(EDIT, data=dict(values, stand=str(husbanken))).status_code == 303
    assert "En dør inn" in app.test_client().get("/stands/husbanken").get_data(as_text=True)
    values = form_values(admin_client)
    assert admin_client.post(EDIT, data=dict(values, status="hidden")).status_code == 303
    assert app.test_client().get("/catalogue/halden-en-dor-inn").status_code == 404
    assert admin_client.get(EDIT).status_code == 200  # organisers still reach it


def test_unknown_sheet_is_404(admin_client):
    assert admin_client.get("/admin/catalogue/finnes-ikke").status_code == 404
    assert admin_client.get("/admin/catalogue/proposals/999").status_code == 404
    assert post_form(admin_client, "/admin/catalogue/links/999/revoke", {},
                     form_path="/admin/catalogue/halden-en-dor-inn/links").status_code == 404


def test_a_save_racing_another_request_is_caught_by_the_version_check(ctx):
    """Two organisers press "Lagre" at once: the database's version check stops the second."""
    import pytest

    from .conftest import plugin

    editing, models = plugin().editing, plugin().models
    found = sheet("halden-en-dor-inn")
    version = found.version
    values = dict(editing.content(found), project_name="Min versjon")
    table = models.ProjectSheet.__table__
    db.session.execute(table.update().where(table.c.id == found.id).values(version=version + 1))  # the other save
    with pytest.raises(editing.StaleEdit):
        editing.save_sheet(found, values, version, "ola@example.no")
    assert sheet("halden-en-dor-inn").project_name == "En dør inn"
