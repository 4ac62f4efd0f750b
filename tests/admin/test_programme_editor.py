"""The programme editor at /admin/programme, used through its forms as an organiser would."""

from __future__ import annotations

import datetime as dt
import re

from fagkonferanse.audit.models import AuditEntry
from fagkonferanse.programme.models import ProgrammeItem

from ..conftest import post_form
from .conftest import submit, text

BOOKLET_AFTER_PAUSE = [
    ("Pause", "kl. 10.35–10.55", "kl. 10.45–11.05"),
    ("Lansering av Veiviseren", "kl. 10.55–11.15", "kl. 11.05–11.25"),
    ("En dør inn", "kl. 11.15–11.35", "kl. 11.25–11.45"),
    ("Jobbsjansen", "kl. 11.35–11.55", "kl. 11.45–12.05"),
    ("Informasjon om prosjektstands", "kl. 11.55–12.00", "kl. 12.05–12.10"),
    ("Lunsj og stands", "kl. 12.00–14.00", "kl. 12.10–14.10"),
    ("Hvordan koordinerte vi i praksis?", "kl. 14.00–14.20", "kl. 14.10–14.30"),
    ("Studentenes halvtime", "kl. 14.20–14.50", "kl. 14.30–15.00"),
    ("Oppsummering v/dekanen", "kl. 14.50–15.00", "kl. 15.00–15.10"),
    ("Vel hjem!", "kl. 15.00", "kl. 15.10"),
]


def moves_on(page) -> list[tuple[str, str, str]]:
    html = page.get_data(as_text=True)
    return re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td><strong>(.*?)</strong>', html)


def new_item(changes: dict) -> dict:
    base = {"title": "Nytt punkt", "kind": "talk", "start": "16:00", "duration": "20", "end": None}
    return {**base, **changes}


# --- The list -----------------------------------------------------------------------------------


def test_the_day_is_listed_in_time_order_with_times_and_people(admin_client):
    page = text(admin_client.get("/admin/programme"))
    assert "16 punkter" in page
    assert page.index("kl. 08.30–09.00 Registrering") < page.index("kl. 10.15–10.35 Kommunale") < page.index(
        "kl. 15.00 Vel hjem!")
    assert "Erna Haug, Christian Ebeltoft" in page
    assert "Programmet bryter" not in page  # the booklet's programme breaks no rule


def test_the_editors_are_in_the_organiser_navigation(admin_client):
    page = admin_client.get("/admin/").get_data(as_text=True)
    nav = page.split('<nav class="admin-nav"', 1)[1].split("</nav>")[0]
    for href, label in [("/admin/programme", "Program"), ("/admin/speakers", "Foredragsholdere"),
                        ("/admin/locations", "Steder"), ("/admin/stands", "Stands")]:
        assert f'<a href="{href}">{label}</a>' in nav


# --- Adding -------------------------------------------------------------------------------------


def test_adding_an_item_puts_it_on_the_public_programme(admin_client, lookup):
    response = submit(admin_client, "/admin/programme/new", new_item({
        "title": "Spørsmål fra salen", "start": "15.00", "duration": None, "end": "15:20",
        "speakers": [str(lookup.speaker_id("Erna Haug"))]}))
    assert response.status_code == 200  # it lands on "Vel hjem!": the push is offered first
    assert "Flytte de etterfølgende punktene?" in text(response)
    response = submit(admin_client, "/admin/programme/new", {"decision": "shift"}, page=response)
    assert response.status_code == 303
    assert lookup.item("Spørsmål fra salen") | {"version": 0} == {
        "start": "15.00", "end": "15.20", "location": None, "speakers": ["Erna Haug"], "version": 0}
    assert lookup.item("Vel hjem!")["start"] == "15.20"
    public = text(admin_client.get("/programme"))
    assert public.index("Spørsmål fra salen") < public.index("Vel hjem!")


def test_an_item_in_its_own_room_alongside_the_plenary_is_saved_directly(admin_client, lookup):
    h113 = lookup.location_id("H-113")
    response = submit(admin_client, "/admin/programme/new", new_item({
        "title": "Parallell økt", "start": "10:15", "duration": "20", "location": str(h113)}))
    assert response.status_code == 303
    assert lookup.item("Parallell økt")["location"] == "H-113"


def test_invalid_items_are_refused_with_a_message_and_nothing_saved(admin_client, lookup):
    before = lookup.count(ProgrammeItem)
    cases = [
        ({"title": "  "}, "Punktet trenger en tittel."),
        ({"start": "25:99"}, "Skriv klokkeslettet som 10.15 eller 10:15."),
        ({"start": ""}, "Fyll inn et klokkeslett."),
        ({"duration": "0"}, "Slutt må være etter start (start kl. 16.00, slutt kl. 16.00)."),
        ({"duration": "-10"}, "Slutt må være etter start (start kl. 16.00, slutt kl. 15.50)."),
        ({"duration": None, "end": "15:30"}, "Slutt må være etter start"),
        ({"duration": None}, "Sett varighet eller slutt."),
        ({"start": "23:30", "duration": "60"}, "ville gått over midnatt"),
        ({"duration": "30", "end": "16:45"}, "Varighet og slutt stemmer ikke overens."),
        ({"duration": "mange"}, "Ikke en gyldig heltallsverdi"),
        ({"duration": "99999"}, "Varigheten kan være høyst et døgn."),
        ({"kind": "konsert"}, "Ikke et gyldig valg"),
        ({"speakers": ["99999"]}, "Finnes ikke lenger og kan ikke velges: 99999."),
        ({"kind": "closing", "start": "15:30", "duration": None}, "Dagen avsluttes med «Vel hjem!» kl. 15.00"),
    ]
    for changes, message in cases:
        response = submit(admin_client, "/admin/programme/new", new_item(changes))
        assert response.status_code == 400, changes
        page = text(response)
        assert "Skjemaet har feil." in page, changes
        assert message.lower() in page.lower(), (changes, page[page.find("Skjemaet"):][:600])
    assert lookup.count(ProgrammeItem) == before


def test_a_message_is_tied_to_its_field_for_screen_readers(admin_client):
    response = submit(admin_client, "/admin/programme/new", new_item({"duration": "0"}))
    html = response.get_data(as_text=True)
    assert 'aria-describedby="duration-error"' in html and 'aria-invalid="true"' in html
    assert re.search(r'<p class="error" id="duration-error">Slutt må være etter start', html)


def test_an_overlap_in_the_same_room_names_the_clashing_item(admin_client, lookup):
    h113 = str(lookup.location_id("H-113"))
    assert submit(admin_client, "/admin/programme/new", new_item({
        "title": "Verksted A", "start": "12:15", "duration": "45", "location": h113})).status_code == 303
    response = submit(admin_client, "/admin/programme/new", new_item({
        "title": "Verksted B", "start": "12:45", "duration": "30", "location": h113}))
    assert response.status_code == 400
    assert "Overlapper med «Verksted A» kl. 12.15–13.00 i H-113." in text(response)
    corridor = str(lookup.location_id("Gangen utenfor H-113"))
    touching = submit(admin_client, "/admin/programme/new", new_item({
        "title": "Verksted B", "start": "13:00", "duration": "30", "location": h113}))
    parallel = submit(admin_client, "/admin/programme/new", new_item({
        "title": "Verksted C", "start": "12:15", "duration": "45", "location": corridor}))
    assert (touching.status_code, parallel.status_code) == (303, 303)


def test_a_speaker_cannot_be_booked_twice_at_the_same_time(admin_client, lookup):
    corridor = str(lookup.location_id("Gangen utenfor H-113"))
    response = submit(admin_client, "/admin/programme/new", new_item({
        "title": "SE-verksted", "start": "09:40", "duration": "20", "location": corridor,
        "speakers": [str(lookup.speaker_id("Erna Haug"))]}))
    assert response.status_code == 400
    assert "Erna Haug er også på «SE metodikken – teori og praksis» kl. 09.35–09.55." in text(response)
    assert 'id="speakers-error"' in response.get_data(as_text=True)


def test_a_post_without_the_csrf_token_is_refused(admin_client, lookup):
    before = lookup.count(ProgrammeItem)
    response = admin_client.post("/admin/programme/new", data=new_item({"end": ""}))
    assert response.status_code == 400
    assert lookup.count(ProgrammeItem) == before


# --- Editing and "shift the following items" ----------------------------------------------------


def test_a_longer_talk_previews_the_shift_of_everything_after_it(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Kommunale utviklingsmidler')}/edit"
    preview = submit(admin_client, path, {"duration": "30"})
    assert preview.status_code == 200
    assert "«Kommunale utviklingsmidler» blir kl. 10.15–10.45 (nå kl. 10.15–10.35)" in text(preview)
    assert "10 minutter senere" in text(preview)
    assert moves_on(preview) == BOOKLET_AFTER_PAUSE
    assert lookup.item("Pause")["start"] == "10.35"  # nothing saved by the preview

    done = submit(admin_client, path, {"decision": "shift"}, page=preview)
    assert done.status_code == 303
    assert lookup.item("Kommunale utviklingsmidler") | {"version": 0} == {
        "start": "10.15", "end": "10.45", "location": None, "speakers": ["Hege Jacobsen"], "version": 0}
    assert lookup.item("Pause")["start"] == "10.45" and lookup.item("Pause")["end"] == "11.05"
    assert lookup.item("Vel hjem!") == {"start": "15.10", "end": None, "location": None, "speakers": [],
                                        "version": 2}
    assert lookup.day()[:6] == [("08.30", "Registrering og kaffe/frukt"),
                                ("09.00", "Dekan og prorektor ved Høgskolen i Østfold"),
                                ("09.15", "KLAR prosjektet – læringssystemet"),
                                ("09.35", "SE metodikken – teori og praksis"),
                                ("09.55", "Barnefattigdom"), ("10.15", "Kommunale utviklingsmidler")]
    public = text(admin_client.get("/programme"))
    assert "kl. 10.45–11.05 Pause" in public


def test_the_organiser_may_save_only_the_edited_item(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Kommunale utviklingsmidler')}/edit"
    preview = submit(admin_client, path, {"end": "10:45"})
    assert len(moves_on(preview)) == 10
    assert submit(admin_client, path, {"decision": "keep"}, page=preview).status_code == 303
    assert lookup.item("Kommunale utviklingsmidler")["end"] == "10.45"
    assert lookup.item("Pause")["start"] == "10.35"


def test_back_to_the_form_keeps_what_was_typed(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Kommunale utviklingsmidler')}/edit"
    preview = submit(admin_client, path, {"duration": "30", "title": "Utviklingsmidler"})
    back = submit(admin_client, path, {"decision": "edit"}, page=preview)
    assert back.status_code == 200
    assert 'value="Utviklingsmidler"' in back.get_data(as_text=True)
    assert lookup.item("Pause")["start"] == "10.35"


def test_a_shift_is_not_applied_if_the_programme_changed_after_the_preview(admin_client, second_admin, lookup):
    path = f"/admin/programme/{lookup.item_id('Kommunale utviklingsmidler')}/edit"
    preview = submit(admin_client, path, {"duration": "30"})
    pause = lookup.item_id("Pause")
    assert submit(second_admin, f"/admin/programme/{pause}/edit", {"duration": "15"}).status_code == 200
    # the second organiser shortens the pause and lets the rest stand
    shortened = submit(second_admin, f"/admin/programme/{pause}/edit", {"duration": "15"})
    assert submit(second_admin, f"/admin/programme/{pause}/edit", {"decision": "keep"},
                  page=shortened).status_code == 303
    late = submit(admin_client, path, {"decision": "shift"}, page=preview)
    assert late.status_code == 409
    assert "endret siden forhåndsvisningen" in text(late)
    assert lookup.item("Kommunale utviklingsmidler")["end"] == "10.35"
    assert moves_on(late)[0] == ("Pause", "kl. 10.35–10.50", "kl. 10.45–11.00")


def test_a_shift_that_would_break_a_rule_cannot_be_chosen(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Kommunale utviklingsmidler')}/edit"
    preview = submit(admin_client, path, {"duration": "560"})  # until 19.35: "Vel hjem!" nine hours later
    assert preview.status_code == 200
    page = text(preview)
    assert "Går ikke: «Vel hjem!» ville begynt utenfor konferansedagen (kl. 00.00 10.11.2016)." in page
    assert 'value="shift"' not in preview.get_data(as_text=True)
    forced = submit(admin_client, path, {"decision": "shift"}, page=preview)
    assert forced.status_code == 400
    assert lookup.item("Vel hjem!")["start"] == "15.00"


def test_changing_only_the_title_saves_at_once(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Pause')}/edit"
    response = submit(admin_client, path, {"title": "Kaffepause"})
    assert response.status_code == 303
    assert "kl. 10.35–10.55 Kaffepause" in text(admin_client.get("/programme"))


def test_speakers_keep_their_order_and_new_ones_come_last(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('SE metodikken – teori og praksis')}/edit"
    values = [str(lookup.speaker_id(name)) for name in ("Bente Klingenberg", "Christian Ebeltoft", "Erna Haug")]
    assert submit(admin_client, path, {"speakers": values}).status_code == 303
    assert lookup.item("SE metodikken – teori og praksis")["speakers"] == [
        "Erna Haug", "Christian Ebeltoft", "Bente Klingenberg"]
    assert "v/ Erna Haug, Christian Ebeltoft og Bente Klingenberg" in text(admin_client.get("/programme"))


# --- Two organisers at once ---------------------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_refused(admin_client, second_admin, lookup):
    path = f"/admin/programme/{lookup.item_id('Pause')}/edit"
    first_form = admin_client.get(path)
    second_form = second_admin.get(path)
    assert submit(admin_client, path, {"title": "Kaffepause"}, page=first_form).status_code == 303
    response = submit(second_admin, path, {"title": "Pause med frukt"}, page=second_form)
    assert response.status_code == 409
    page = text(response)
    assert "«Kaffepause» ble endret av noen andre etter at du åpnet siden. Ingenting er lagret" in page
    assert "Lagret nå: Tittel Kaffepause" in page
    assert 'value="Pause med frukt"' in response.get_data(as_text=True)  # what they typed is kept
    assert lookup.item("Kaffepause")["version"] == 2


def test_a_change_of_speakers_alone_also_makes_other_open_forms_stale(admin_client, second_admin, lookup):
    path = f"/admin/programme/{lookup.item_id('Pause')}/edit"
    stale_form = second_admin.get(path)
    erna = str(lookup.speaker_id("Erna Haug"))
    assert submit(admin_client, path, {"speakers": [erna]}).status_code == 303
    assert submit(second_admin, path, {"title": "Lang pause"}, page=stale_form).status_code == 409
    assert lookup.item("Pause")["speakers"] == ["Erna Haug"]


def test_the_database_refuses_a_write_over_a_newer_row(app, lookup):
    """The race between the form's version check and the commit is caught by version_id_col."""
    import pytest
    from sqlalchemy import update
    from sqlalchemy.orm.exc import StaleDataError

    from fagkonferanse.extensions import db

    item_id = lookup.item_id("Pause")
    with app.app_context():
        item = db.session.get(ProgrammeItem, item_id)
        with db.engine.begin() as other:  # another organiser's commit lands in between
            other.execute(update(ProgrammeItem).where(ProgrammeItem.id == item_id).values(
                title="Kaffepause", version=ProgrammeItem.version + 1))
        item.title = "Pause med frukt"
        with pytest.raises(StaleDataError):
            db.session.commit()
        db.session.rollback()
    assert lookup.item("Kaffepause")["version"] == 2


def test_a_write_racing_a_confirmed_shift_refuses_the_whole_save(admin_client, lookup, monkeypatch, app):
    """Another organiser moves the pause between the checks and the commit: nothing is written."""
    from sqlalchemy import update

    from fagkonferanse.extensions import db
    from fagkonferanse.programme.admin import items

    real_save = items.save_item

    def racing_save(*args, **kwargs):
        with db.engine.begin() as other:
            other.execute(update(ProgrammeItem).where(ProgrammeItem.title == "Pause").values(
                title="Kaffepause", start=dt.datetime(2016, 11, 9, 10, 40), version=ProgrammeItem.version + 1))
        return real_save(*args, **kwargs)

    monkeypatch.setattr(items, "save_item", racing_save)
    path = f"/admin/programme/{lookup.item_id('Kommunale utviklingsmidler')}/edit"
    preview = submit(admin_client, path, {"duration": "30"})
    response = submit(admin_client, path, {"decision": "shift"}, page=preview)
    assert response.status_code == 409
    assert "Programmet ble endret av noen andre mens du lagret. Ingenting er lagret" in text(response)
    assert lookup.item("Kommunale utviklingsmidler")["end"] == "10.35"
    assert lookup.item("Kaffepause")["start"] == "10.40"
    assert lookup.item("Vel hjem!")["start"] == "15.00"
    assert lookup.count(AuditEntry) == 0


# --- Moving earlier and later -------------------------------------------------------------------


def move(client, item_id: int, direction: str, version: int):
    return post_form(client, f"/admin/programme/{item_id}/move", {"direction": direction, "version": version},
                     form_path="/admin/programme")


def test_moving_an_item_later_swaps_it_with_the_next(admin_client, lookup):
    response = move(admin_client, lookup.item_id("Pause"), "later", 1)
    assert response.status_code == 303
    assert lookup.item("Lansering av Veiviseren")["start"] == "10.35"
    assert lookup.item("Pause") | {"version": 0} == {"start": "10.55", "end": "11.15", "location": None,
                                                    "speakers": [], "version": 0}
    assert move(admin_client, lookup.item_id("Pause"), "earlier", 2).status_code == 303
    assert lookup.item("Pause")["start"] == "10.35"


def test_moves_that_cannot_happen_are_explained(admin_client, lookup):
    first = move(admin_client, lookup.item_id("Registrering og kaffe/frukt"), "earlier", 1)
    assert first.status_code == 400
    assert "«Registrering og kaffe/frukt» er allerede det første punktet." in text(first)
    last = move(admin_client, lookup.item_id("Oppsummering v/dekanen"), "later", 1)
    assert last.status_code == 400 and "«Vel hjem!» avslutter dagen" in text(last)
    stale = move(admin_client, lookup.item_id("Pause"), "later", 7)
    assert stale.status_code == 409 and "ble endret av noen andre" in text(stale)
    assert lookup.item("Pause")["start"] == "10.35"


# --- Shifting by minutes ------------------------------------------------------------------------


def test_running_late_shifts_an_item_and_the_rest_of_the_day(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Pause')}/shift"
    preview = submit(admin_client, path, {"minutes": "10"})
    assert preview.status_code == 200
    assert [title for title, _, _ in moves_on(preview)] == [title for title, _, _ in BOOKLET_AFTER_PAUSE]
    assert lookup.item("Pause")["start"] == "10.35"
    assert submit(admin_client, path, {"decision": "shift"}, page=preview).status_code == 303
    assert lookup.item("Pause")["start"] == "10.45" and lookup.item("Vel hjem!")["start"] == "15.10"
    assert lookup.item("Kommunale utviklingsmidler")["start"] == "10.15"


def test_shifting_one_item_alone_and_refusals(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Pause')}/shift"
    alone = submit(admin_client, path, {"minutes": "-5", "scope": "item"})
    assert moves_on(alone) == [("Pause", "kl. 10.35–10.55", "kl. 10.30–10.50")]
    assert submit(admin_client, path, {"decision": "shift"}, page=alone).status_code == 303
    assert lookup.item("Pause")["start"] == "10.30"
    nothing = submit(admin_client, path, {"minutes": "0"})
    assert nothing.status_code == 400 and "Ingenting å flytte" in text(nothing)
    too_early = submit(admin_client, f"/admin/programme/{lookup.item_id('Registrering og kaffe/frukt')}/shift",
                       {"minutes": "-600"})
    assert too_early.status_code == 400
    assert "ville begynt utenfor konferansedagen" in text(too_early)
    assert 'value="shift"' not in too_early.get_data(as_text=True)


# --- Deleting -----------------------------------------------------------------------------------


def test_deleting_asks_first_and_keeps_the_speakers(admin_client, lookup):
    item_id = lookup.item_id("Barnefattigdom")
    confirm = admin_client.get(f"/admin/programme/{item_id}/delete")
    assert confirm.status_code == 200 and "Slette «Barnefattigdom»?" in text(confirm)
    assert lookup.count(ProgrammeItem) == 16  # asking deletes nothing
    response = submit(admin_client, f"/admin/programme/{item_id}/delete")
    assert response.status_code == 303
    assert "«Barnefattigdom» er slettet." in text(admin_client.get(response.headers["Location"]))
    assert lookup.count(ProgrammeItem) == 15
    assert "Barnefattigdom" not in text(admin_client.get("/programme"))
    assert "Rebecca Brierley" in text(admin_client.get("/speakers"))


def test_an_unknown_item_is_a_404(admin_client):
    assert admin_client.get("/admin/programme/9999/edit").status_code == 404


# --- Audit --------------------------------------------------------------------------------------


def test_every_change_is_in_the_audit_log_with_what_changed(admin_client, lookup):
    path = f"/admin/programme/{lookup.item_id('Kommunale utviklingsmidler')}/edit"
    preview = submit(admin_client, path, {"duration": "30"})
    submit(admin_client, path, {"decision": "shift"}, page=preview)
    move(admin_client, lookup.item_id("Jobbsjansen"), "earlier", 2)
    submit(admin_client, f"/admin/programme/{lookup.item_id('Barnefattigdom')}/delete")
    page = text(admin_client.get("/admin/audit"))
    assert "Endret programpunktet «Kommunale utviklingsmidler» og flyttet 10 etterfølgende punkter" in page
    assert "tid: kl. 10.15–10.35 → kl. 10.15–10.45" in page
    assert "«Pause»: kl. 10.35–10.55 → kl. 10.45–11.05" in page
    assert "Flyttet «Jobbsjansen» tidligere" in page
    assert "Slettet programpunktet «Barnefattigdom»" in page
    assert "ola@example.no" in page
    assert lookup.count(AuditEntry) == 3
