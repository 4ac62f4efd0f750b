"""The organisers' attendee list, settings and dashboard."""

from __future__ import annotations

import csv
import io

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import services
from fagkonferanse.registration.models import CANCELLED, CONFIRMED, RegistrationQuestion

from ..conftest import csrf_token
from .conftest import configure, outbox, people


def add(app, name, email, organisation="Moss kommune", municipality="Moss", dietary=""):
    with app.app_context():
        services.register(current_event(), {"name": name, "email": email, "organisation": organisation,
                                            "municipality": municipality, "dietary": dietary}, notify=False)


def act(client, registration_id: int, action: str, **data):
    token = csrf_token(client, f"/admin/attendees/{registration_id}")
    return client.post(f"/admin/attendees/{registration_id}/{action}", data={"csrf_token": token, **data},
                       follow_redirects=True)


def test_list_with_search_and_filters(app, admin_client):
    configure(app, capacity=2)
    add(app, "Øyvind Hansen", "oyvind@example.no", "Moss kommune", "Moss")
    add(app, "Марія Коваленко", "maria@example.no", "Halden kommune", "Halden")
    add(app, "Kari Venter", "kari@example.no", "IMDi", "")
    page = admin_client.get("/admin/attendees/").get_data(as_text=True)
    assert "2 påmeldt av 2 plasser · 1 på venteliste" in page
    assert all(name in page for name in ("Øyvind Hansen", "Марія Коваленко", "Kari Venter"))
    assert '<option>Halden kommune</option>' in page and '<option>Halden</option>' in page

    def shown(**query):
        text = admin_client.get("/admin/attendees/", query_string=query).get_data(as_text=True)
        return [name for name in ("Øyvind Hansen", "Марія Коваленко", "Kari Venter") if name in text]

    assert shown(q="oyvind") == ["Øyvind Hansen"]
    assert shown(q="МАРІЯ") == ["Марія Коваленко"]
    assert shown(status="waiting") == ["Kari Venter"]
    assert shown(organisation="Halden kommune") == ["Марія Коваленко"]
    assert shown(municipality="Moss") == ["Øyvind Hansen"]
    assert shown(status="nonsense", q="\x00<>") == []  # odd input: an empty list, not an error


def test_csv_export_for_excel_with_formulas_neutralised(app, admin_client):
    add(app, "=HYPERLINK(\"http://evil\")", "evil@example.no")
    add(app, "Bjørn; Ødegård", "bjorn@example.no", dietary="Glutenfri\nlaktosefri")
    response = admin_client.get("/admin/attendees/export.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:4] == ["navn", "e-post", "organisasjon", "kommune"]
    names = {row[0] for row in rows[1:]}
    assert names == {"'=HYPERLINK(\"http://evil\")", "Bjørn; Ødegård"}
    bjorn = next(row for row in rows if row[0] == "Bjørn; Ødegård")
    assert bjorn[5] == "Glutenfri\nlaktosefri" and bjorn[8] == "Påmeldt"
    filtered = admin_client.get("/admin/attendees/export.csv", query_string={"q": "bjørn"}).get_data(as_text=True)
    assert "evil" not in filtered


def test_lunch_summary_for_the_caterer(app, admin_client):
    add(app, "En", "en@example.no", dietary="Glutenfri")
    add(app, "To", "to@example.no", dietary="glutenfri, Nøtteallergi")
    add(app, "Tre", "tre@example.no", dietary="Ingen")
    add(app, "Fire", "fire@example.no")
    with app.app_context():
        person = services.find_by_email(current_event(), "fire@example.no")
        services.update_details(person, {"lunch": False})
    page = admin_client.get("/admin/attendees/lunch").get_data(as_text=True)
    assert '<p class="figure">3</p>' in page and '<p class="figure">1</p>' in page
    assert '<th scope="row">Glutenfri</th><td>2</td>' in page
    assert '<th scope="row">Nøtteallergi</th><td>1</td>' in page
    assert "Ingen</th>" not in page


def test_organiser_edits_cancels_resends_and_deletes(app, admin_client):
    configure(app, capacity=1)
    add(app, "Øyvind Hansen", "oyvind@example.no")
    add(app, "Kari Venter", "kari@example.no")
    first, second = (p.id for p in people(app))
    token = csrf_token(admin_client, f"/admin/attendees/{first}")
    saved = admin_client.post(f"/admin/attendees/{first}", data={
        "csrf_token": token, "name": "Øyvind H. Hansen", "email": "oyvind@example.no", "organisation": "Rygge"},
        follow_redirects=True)
    assert "Endringene er lagret." in saved.get_data(as_text=True)
    assert people(app)[0].name == "Øyvind H. Hansen"
    audit = admin_client.get("/admin/audit").get_data(as_text=True)
    assert f"Påmelding #{first} endret" in audit and "Øyvind" not in audit

    page = act(admin_client, first, "cancel").get_data(as_text=True)
    assert "er meldt av" in page and "Kari Venter fikk plass fra ventelisten" in page
    assert [p.status for p in people(app)] == [CANCELLED, CONFIRMED]

    assert "gjenopprettet (Venteliste)" in act(admin_client, first, "restore").get_data(as_text=True)
    assert "har fått plass" in act(admin_client, first, "confirm").get_data(as_text=True)
    assert [p.status for p in people(app)] == [CONFIRMED, CONFIRMED]  # over capacity: the organisers' call

    assert "En ny billettlenke er sendt til oyvind@example.no" in act(admin_client, first, "resend").get_data(as_text=True)
    assert outbox(app)[-1]["Subject"].startswith("Billettlenken din")

    refused = act(admin_client, second, "delete").get_data(as_text=True)
    assert "Kryss av for å bekrefte" in refused and len(people(app)) == 2
    act(admin_client, second, "delete", confirm="yes")
    assert [p.name for p in people(app)] == ["Øyvind H. Hansen"]
    assert admin_client.get(f"/admin/attendees/{second}").status_code == 404
    assert admin_client.post(f"/admin/attendees/{first}/explode",
                             data={"csrf_token": token}).status_code == 404


def test_organiser_adds_someone(app, admin_client):
    token = csrf_token(admin_client, "/admin/attendees/new")
    response = admin_client.post("/admin/attendees/new", data={
        "csrf_token": token, "name": "Erna Haug", "email": "erna@example.no"}, follow_redirects=True)
    assert "Erna Haug er lagt til (Påmeldt)." in response.get_data(as_text=True)
    assert people(app)[0].source == "organiser" and outbox(app) == []


def test_settings_raise_capacity_promote_and_set_fields_and_window(app, admin_client):
    configure(app, capacity=1)
    add(app, "En", "en@example.no")
    add(app, "To", "to@example.no")
    token = csrf_token(admin_client, "/admin/registration/")
    form = {"csrf_token": token, "capacity": "5", "waiting_list": "y", "opens_at": "2016-09-01T08:00",
            "closes_at": "2016-11-02T12:00", "privacy_notice": "", "mode_organisation": "required",
            "mode_municipality": "required", "mode_job_title": "hidden", "mode_dietary": "optional",
            "mode_accessibility": "optional", "mode_lunch": "optional"}
    page = admin_client.post("/admin/registration/", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Innstillingene er lagret." in page and "1 fikk plass fra ventelisten" in page
    assert [p.status for p in people(app)] == [CONFIRMED, CONFIRMED]
    assert 'value="2016-09-01T08:00"' in page  # shown in Norwegian time as typed
    with app.app_context():
        from fagkonferanse.registration.settings import settings_for

        settings = settings_for(current_event())
        assert str(settings.opens_at) == "2016-09-01 06:00:00"  # stored in UTC (summer time)
        assert str(settings.closes_at) == "2016-11-02 11:00:00"  # winter time
        assert settings.field_modes["job_title"] == "hidden"
    bad = admin_client.post("/admin/registration/", data={**form, "capacity": "-1", "closes_at": "2016-08-01T08:00"})
    assert bad.status_code == 400
    assert "Antall plasser må være mellom 0 og 100 000." in bad.get_data(as_text=True)
    backwards = admin_client.post("/admin/registration/", data={**form, "closes_at": "2016-08-01T08:00"})
    assert backwards.status_code == 400
    assert "Påmeldingen må stenge etter at den åpner." in backwards.get_data(as_text=True)


def test_questions_are_added_moved_and_removed(app, admin_client):
    token = csrf_token(admin_client, "/admin/registration/")
    admin_client.post("/admin/registration/questions", data={
        "csrf_token": token, "new-label": "Hvilket verksted?", "new-kind": "choice",
        "new-choices": "Bolig\nOppvekst\nBolig\n", "new-required": "y"})
    admin_client.post("/admin/registration/questions", data={
        "csrf_token": token, "new-label": "Parkering?", "new-kind": "yesno"})
    bad = admin_client.post("/admin/registration/questions", data={
        "csrf_token": token, "new-label": "Velg", "new-kind": "choice", "new-choices": "Bare ett"},
        follow_redirects=True)
    assert "Skriv minst to svaralternativer" in bad.get_data(as_text=True)
    with app.app_context():
        questions = db.session.scalars(db.select(RegistrationQuestion).order_by(RegistrationQuestion.position)).all()
        assert [(q.label, q.choices, q.required) for q in questions] == [
            ("Hvilket verksted?", ["Bolig", "Oppvekst"], True), ("Parkering?", [], False)]
        second = questions[1].id
    admin_client.post(f"/admin/registration/questions/{second}/up", data={"csrf_token": token})
    register_page = admin_client.get("/register").get_data(as_text=True)
    assert register_page.index("Parkering?") < register_page.index("Hvilket verksted?")
    admin_client.post(f"/admin/registration/questions/{second}/delete", data={"csrf_token": token})
    assert "Parkering?" not in admin_client.get("/register").get_data(as_text=True)


def test_dashboard_and_navigation(app, admin_client):
    add(app, "En", "en@example.no")
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Påmeldte" in page and "1 / 150" in page and "Sjekket inn" in page and "0 / 1" in page
    for path in ("/admin/attendees/", "/admin/checkin", "/admin/registration/", "/admin/stats"):
        assert f'href="{path}"' in page, path
    public = admin_client.get("/").get_data(as_text=True)
    assert 'href="/register"' in public


def test_after_registration_hook(app, client):
    from fagkonferanse import hookimpl

    seen = []

    class Spy:
        @hookimpl
        def after_registration(self, registration):
            seen.append((registration.name, registration.status))

    app.extensions["fagkonferanse.plugins"].register(Spy(), name="spy")
    from .conftest import register

    register(client)
    register(client)  # a duplicate is not a registration
    assert seen == [("Øyvind Hansen", CONFIRMED)]


def test_every_new_admin_page_answers(app, admin_client):
    add(app, "En", "en@example.no")
    person_id = people(app)[0].id
    for path in ("/admin/attendees/", f"/admin/attendees/{person_id}", "/admin/attendees/new",
                 "/admin/attendees/import", "/admin/attendees/lunch", "/admin/registration/", "/admin/checkin",
                 "/admin/checkin?q=en", "/admin/stats"):
        assert admin_client.get(path).status_code == 200, path
    assert admin_client.get("/admin/attendees/999999").status_code == 404
