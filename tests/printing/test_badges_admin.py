"""/admin/badges: who gets a badge with which role, what is printed, and the organisers' controls."""

from __future__ import annotations

import re

from fagkonferanse.audit.models import AuditEntry
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.printing import render_document
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.roles import roles_of
from fagkonferanse.stands.models import Stand

from ..conftest import csrf_token, post_form
from ..pdftools import pdf_text
from .conftest import add_people


def stand_id(app, slug: str = "moss-kommune") -> int:
    with app.app_context():
        return db.session.scalar(db.select(Stand.id).where(Stand.slug == slug))


def people_with_roles(app) -> dict[str, int]:
    """One person for each rule: on the programme, on a stand's staff, chosen as an organiser,
    and a participant — plus two whose organisations the old guesswork misread."""
    ids = add_people(app, [
        {"name": "Synnøve Seljeflot", "organisation": "Husbanken"},  # on the programme
        {"name": "Kari Utstiller", "organisation": "Moss kommune", "stand_id": stand_id(app)},
        {"name": "Per Arrangør", "organisation": "IMDi", "role": "arrangor"},  # chosen by organisers
        {"name": "Lise Deltaker", "organisation": "Råde kommune"},
        {"name": "Siri Student", "organisation": "Høgskolen i Østfold"},  # an organiser's name, not an organiser
        {"name": "Mona Moss", "organisation": "Moss kommune"},  # Moss has a stand; Mona is not on it
    ])
    return dict(zip(("speaker", "exhibitor", "organiser", "participant", "student", "visitor"), ids))


def test_the_list_shows_everyone_sorted_with_their_role_from_data(app, admin_client):
    people = people_with_roles(app)
    add_people(app, ["Ola Venteliste"], status="waiting")
    page = admin_client.get("/admin/badges").get_data(as_text=True)
    names = re.findall(r'<label for="pick-\d+">([^<]+)</label>', page)
    assert names == ["Per Arrangør", "Lise Deltaker", "Mona Moss", "Synnøve Seljeflot", "Siri Student",
                     "Kari Utstiller"]
    for key, automatic in (("speaker", "Foredragsholder"), ("exhibitor", "Utstiller"), ("organiser", "Deltaker"),
                           ("participant", "Deltaker"), ("student", "Deltaker"), ("visitor", "Deltaker")):
        row = page[page.index(f'name="role-{people[key]}"'):][:700]
        assert f"Automatisk ({automatic})" in row, key
    organiser_row = page[page.index(f'name="role-{people["organiser"]}"'):][:700]
    assert '<option value="arrangor" selected>' in organiser_row
    assert "Venteliste" not in page
    assert "6 med bekreftet plass · 0 skrevet ut · 0 endret siden utskrift · 6 ikke skrevet ut" in page


def test_nothing_is_guessed_from_an_organisations_name(app, tmp_path):
    """The issue's example: a HiØ student at "Studentenes halvtime" is no organiser, and a
    person from a municipality with a stand is no exhibitor unless tied to the stand."""
    people = people_with_roles(app)
    with app.app_context():
        event = current_event()
        registrations = db.session.scalars(db.select(Registration).where(Registration.id.in_(people.values())))
        roles = roles_of(event, registrations)
    assert {key: roles[number] for key, number in people.items()} == {
        "speaker": "foredragsholder", "exhibitor": "utstiller", "organiser": "arrangor",
        "participant": "deltaker", "student": "deltaker", "visitor": "deltaker"}
    with app.app_context():
        pdf = render_document("badges", current_event(), {"layout": "single", "people": str(people["student"])})
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Deltaker" in text and "Arrangør" not in text


def test_the_roles_are_on_the_badges_in_their_colours(app, tmp_path):
    people_with_roles(app)
    with app.app_context():
        pdf = render_document("badges", current_event(), {})
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for label in ("Foredragsholder", "Utstiller", "Arrangør", "Deltaker"):
        assert label in text


def test_role_colours_are_dark_enough_for_white_text(app):
    from fagkonferanse_plugins.badges.roles import ROLES

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    colours = [role.colour for role in ROLES.values()]
    assert len(set(colours)) == 4
    for colour in colours:
        assert 1.05 / (luminance(colour) + 0.05) >= 7, colour  # WCAG AAA against white


def test_an_organiser_changes_a_role_here_and_it_is_the_registrations_role(app, admin_client, tmp_path):
    people = people_with_roles(app)
    response = post_form(admin_client, "/admin/badges/roles", {f"role-{people['participant']}": "foredragsholder"},
                         form_path="/admin/badges")
    assert response.status_code == 303
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 rolle er endret." in page
    row = page[page.index(f'name="role-{people["participant"]}"'):][:700]
    assert '<option value="foredragsholder" selected>' in row
    with app.app_context():
        assert db.session.get(Registration, people["participant"]).role == "foredragsholder"  # the one store
        pdf = render_document("badges", current_event(), {"people": str(people["participant"])})
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "badge-role"))
        assert entry.entity_id == people["participant"]
    assert "Foredragsholder" in pdf_text(pdf, tmp_path)
    # The attendee page shows the same choice.
    attendee = admin_client.get(f"/admin/attendees/{people['participant']}").get_data(as_text=True)
    assert '<option selected value="foredragsholder">' in attendee
    # Back to automatic.
    post_form(admin_client, "/admin/badges/roles", {f"role-{people['participant']}": ""}, form_path="/admin/badges")
    with app.app_context():
        assert db.session.get(Registration, people["participant"]).role == ""
        pdf = render_document("badges", current_event(), {"people": str(people["participant"])})
    assert "Deltaker" in pdf_text(pdf, tmp_path)


def test_unknown_roles_are_ignored(app, admin_client):
    people = people_with_roles(app)
    post_form(admin_client, "/admin/badges/roles", {f"role-{people['participant']}": "konge"}, form_path="/admin/badges")
    page = admin_client.get("/admin/badges").get_data(as_text=True)
    assert "Automatisk (Deltaker)" in page and "konge" not in page
    with app.app_context():
        assert db.session.get(Registration, people["participant"]).role == ""


def test_print_status_and_forgetting_it(app, admin_client):
    people = people_with_roles(app)
    with app.app_context():
        render_document("badges", current_event(), {})
    page = admin_client.get("/admin/badges").get_data(as_text=True)
    assert "6 skrevet ut" in page and page.count("<span>Skrevet ut</span>") == 6
    assert re.search(r"Sist \d+\. \w+ \d{4} kl\. \d\d\.\d\d", page)
    with app.app_context():
        render_document("badges", current_event(), {"people": str(people["organiser"])})
    assert "2 ganger" in admin_client.get("/admin/badges").get_data(as_text=True)
    token = csrf_token(admin_client, "/admin/badges")
    response = admin_client.post("/admin/badges/selection",
                                 data={"csrf_token": token, "action": "reset", "people": [str(people["speaker"])]})
    assert response.status_code == 303
    page = admin_client.get("/admin/badges").get_data(as_text=True)
    assert "5 skrevet ut" in page and "1 ikke skrevet ut" in page
    post_form(admin_client, "/admin/badges/reset", {}, form_path="/admin/badges")
    assert "6 ikke skrevet ut" in admin_client.get("/admin/badges").get_data(as_text=True)


def test_printing_the_chosen_people_opens_the_print_centre_with_them(app, admin_client):
    people = people_with_roles(app)
    token = csrf_token(admin_client, "/admin/badges")
    chosen = [str(people["speaker"]), str(people["organiser"])]
    response = admin_client.post("/admin/badges/selection", data={"csrf_token": token, "action": "print", "people": chosen})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/admin/print/badges/?")
    assert f"people={chosen[0]},{chosen[1]}" in location.replace("%2C", ",")
    page = admin_client.get(location).get_data(as_text=True)
    assert "preview.png" in page
    for number in chosen:
        assert f'value="{number}" checked' in page
    nobody = admin_client.post("/admin/badges/selection", data={"csrf_token": token, "action": "print"})
    assert "Kryss av for minst én person først." in admin_client.get(nobody.headers["Location"]).get_data(as_text=True)


def test_the_badge_page_is_for_organisers_only(client):
    assert client.get("/admin/badges").status_code == 302
    assert client.post("/admin/badges/reset").status_code in (400, 401)


def test_the_dashboard_counts_badges_not_printed(app, admin_client):
    people_with_roles(app)
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "Navneskilt som ikke er skrevet ut" in page
