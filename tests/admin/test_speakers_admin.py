"""Speakers at /admin/speakers: create, edit, link to items, delete."""

from __future__ import annotations

from fagkonferanse.programme.models import Speaker

from .conftest import submit, text


def test_the_list_shows_each_speaker_with_their_items(admin_client):
    page = text(admin_client.get("/admin/speakers"))
    assert "10 foredragsholdere" in page
    assert "Erna Haug Høgskolen i Østfold kl. 09.35 SE metodikken – teori og praksis" in page


def test_a_new_speaker_linked_to_two_items_appears_on_both(admin_client, lookup):
    items = [str(lookup.item_id("Barnefattigdom")), str(lookup.item_id("En dør inn"))]
    response = submit(admin_client, "/admin/speakers/new", {
        "name": "Kari Nordmann", "affiliation": "NAV Østfold", "items": items})
    assert response.status_code == 303
    assert lookup.item("Barnefattigdom")["speakers"] == ["Rebecca Brierley", "Kari Nordmann"]
    assert lookup.item("En dør inn")["speakers"] == ["Øyvind Grandahl", "Kari Nordmann"]
    public = text(admin_client.get("/speakers"))
    assert "Kari Nordmann" in public and "NAV Østfold" in public
    assert "v/ Rebecca Brierley og Kari Nordmann" in text(admin_client.get("/programme"))


def test_editing_a_speaker_can_take_them_off_an_item(admin_client, lookup):
    erna = lookup.speaker_id("Erna Haug")
    response = submit(admin_client, f"/admin/speakers/{erna}/edit", {"role": "Prosjektleder", "items": None})
    assert response.status_code == 303
    assert lookup.item("SE metodikken – teori og praksis")["speakers"] == ["Christian Ebeltoft"]
    dashboard = text(admin_client.get("/admin/"))
    assert "Uten programpunkt: Erna Haug" in dashboard


def test_linking_a_speaker_to_two_items_at_the_same_time_is_refused(admin_client, lookup):
    erna = lookup.speaker_id("Erna Haug")
    before = lookup.item("SE metodikken – teori og praksis")["version"]
    overlapping = submit(admin_client, "/admin/programme/new", {
        "title": "Verksted", "kind": "talk", "start": "09:45", "duration": "30", "end": None,
        "location": str(lookup.location_id("H-113"))})
    assert overlapping.status_code == 303
    items = [str(lookup.item_id("SE metodikken – teori og praksis")), str(lookup.item_id("Verksted"))]
    response = submit(admin_client, f"/admin/speakers/{erna}/edit", {"items": items})
    assert response.status_code == 400
    assert ("«SE metodikken – teori og praksis» kl. 09.35–09.55: Erna Haug er også på «Verksted» "
            "kl. 09.45–10.15 i H-113.") in text(response)
    assert lookup.item("Verksted")["speakers"] == []
    assert lookup.item("SE metodikken – teori og praksis")["version"] == before


def test_linking_from_the_speaker_side_makes_open_item_forms_stale(admin_client, second_admin, lookup):
    item_path = f"/admin/programme/{lookup.item_id('Pause')}/edit"
    open_form = second_admin.get(item_path)
    erna = lookup.speaker_id("Erna Haug")
    items = [str(lookup.item_id("SE metodikken – teori og praksis")), str(lookup.item_id("Pause"))]
    assert submit(admin_client, f"/admin/speakers/{erna}/edit", {"items": items}).status_code == 303
    assert submit(second_admin, item_path, {"title": "Kaffe"}, page=open_form).status_code == 409
    assert lookup.item("Pause")["speakers"] == ["Erna Haug"]


def test_invalid_speaker_forms_are_refused(admin_client, lookup):
    before = lookup.count(Speaker)
    blank = submit(admin_client, "/admin/speakers/new", {"name": "   "})
    assert blank.status_code == 400 and "Skriv navnet." in text(blank)
    too_long = submit(admin_client, "/admin/speakers/new", {"name": "x" * 201})
    assert too_long.status_code == 400
    unknown_item = submit(admin_client, "/admin/speakers/new", {"name": "Per", "items": ["9999"]})
    assert unknown_item.status_code == 400 and "Finnes ikke lenger" in text(unknown_item)
    assert lookup.count(Speaker) == before


def test_deleting_a_speaker_leaves_their_items(admin_client, lookup):
    hege = lookup.speaker_id("Hege Jacobsen")
    confirm = text(admin_client.get(f"/admin/speakers/{hege}/delete"))
    assert "Hege Jacobsen står på disse punktene, som blir stående uten dem: kl. 10.15–10.35" in confirm
    response = submit(admin_client, f"/admin/speakers/{hege}/delete")
    assert response.status_code == 303
    assert "Hege Jacobsen er slettet." in text(admin_client.get(response.headers["Location"]))
    assert lookup.item("Kommunale utviklingsmidler")["speakers"] == []
    assert "Hege Jacobsen" not in text(admin_client.get("/speakers"))
    assert "Slettet foredragsholderen Hege Jacobsen" in text(admin_client.get("/admin/audit"))
