"""Loading the catalogue into the database: owners, funding, stands, recipes, pages, updates."""

from __future__ import annotations

import dataclasses

import pytest

from fagkonferanse.events.models import Organisation
from fagkonferanse.extensions import db
from fagkonferanse.stands.models import Stand

from .conftest import count, plugin, sheet

KLAR = "NAV og Høgskolen i Østfold (KLAR)"


def models():
    return plugin().models


def test_the_built_in_conference_holds_19_sheets_3_recipes_and_the_veiviser_page(ctx):
    assert count("ProjectSheet") == 19
    assert count("Recipe") == 3
    assert count("CataloguePage") == 1


def test_owners_names_and_funding_match_the_booklet(ctx):
    expected = {(s.owner, s.project_name, s.funding_scheme, s.funding_body, s.slug)
                for s in plugin().dataset.read_2016().sheets}
    stored = {(s.owner.name, s.project_name, s.funding_scheme, s.funding_body, s.slug)
              for s in db.session.scalars(db.select(models().ProjectSheet))}
    assert stored == expected
    moss = sheet("jobbsjansen-i-moss")
    assert (moss.owner.name, moss.funding_scheme, moss.funding_body) == ("Moss kommune", "Jobbsjansen", "IMDi")
    assert moss.target_groups == ["Ungdom 18-30 år med innvandrerbakgrunn"]
    halden = sheet("halden-en-dor-inn")
    assert (halden.funding_scheme, halden.funding_body) == ("Kompetansetilskudd", "Husbanken")


def test_each_sheet_is_at_its_owners_stand_and_klar_has_none(ctx):
    per_stand = {}
    for found in db.session.scalars(db.select(models().ProjectSheet)):
        key = found.stand.organisation.name if found.stand else None
        per_stand[key] = per_stand.get(key, 0) + 1
        if found.stand:
            assert found.stand.organisation_id == found.owner_id
    assert per_stand == {"Moss kommune": 3, "Sarpsborg kommune": 9, "Fredrikstad kommune": 3,
                         "Halden kommune": 3, None: 1}
    klar = sheet("klar-kunnskap-laering-arbeidsinkludering")
    assert klar.owner.name == KLAR and klar.stand is None


def test_an_owner_without_an_organisation_row_gets_one(ctx):
    klar = db.session.scalar(db.select(Organisation).where(Organisation.name == KLAR))
    assert (klar.short_name, klar.kind) == ("KLAR", "organisation")
    assert plugin().loader.short_name("Moss kommune") == "Moss"


def test_sections_are_stored_in_template_order_as_blocks(ctx):
    stored = sheet("sarpsborg-jobbsjansen")
    parsed = next(s for s in plugin().dataset.read_2016().sheets if s.slug == "sarpsborg-jobbsjansen")
    assert stored.sections == parsed.sections
    assert list(stored.sections) == list(plugin().importer.SHEET_KEYS)
    assert stored.source_line == 1071


def test_recipes_are_linked_to_their_projects_and_the_page_to_husbanken(ctx):
    recipes = {r.slug: r.sheet.slug for r in db.session.scalars(db.select(models().Recipe))}
    assert recipes == {"oppskrift-jobbsjansen-i-moss": "jobbsjansen-i-moss",
                       "oppskrift-sarpsborg-jobbsjansen": "sarpsborg-jobbsjansen",
                       "oppskrift-halden-en-dor-inn": "halden-en-dor-inn"}
    page = db.session.scalar(db.select(models().CataloguePage))
    assert (page.title, page.url, page.owner.name) == ("Veiviser Bolig for velferd", "www.veiviseren.no", "Husbanken")
    assert page.stand.organisation.name == "Husbanken"
    assert [s["heading"] for s in page.sections] == ["Alt på ett sted", "Innhold og målgruppe", "Mål", "Ansvarlige"]


def test_loading_again_updates_in_place_and_creates_nothing(ctx):
    from fagkonferanse.events.services import current_event

    loader, parsed = plugin().loader, plugin().dataset.read_2016()
    report = loader.load_catalogue(current_event(), parsed)
    assert sum(report.created.values()) == 0 and sum(report.updated.values()) == 0
    assert report.unchanged == {"sheets": 19, "recipes": 3, "pages": 1}
    changed = dataclasses.replace(parsed.sheets[0], project_name="Jobbsjansen i Moss (ny)")
    parsed.sheets[0] = changed
    report = loader.load_catalogue(current_event(), parsed)
    assert report.updated["sheets"] == 1 and report.created["sheets"] == 0
    db.session.commit()
    assert sheet("jobbsjansen-i-moss").project_name == "Jobbsjansen i Moss (ny)"
    assert count("ProjectSheet") == 19


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_sheet_edited_in_the_web_ui_is_kept_unless_overwriting(ctx, overwrite):
    from fagkonferanse.events.services import current_event

    edited = sheet("halden-en-dor-inn")
    edited.project_name, edited.edited_at = "En dør inn (rettet)", edited.created_at
    db.session.commit()
    parsed = plugin().dataset.read_2016()
    report = plugin().loader.load_catalogue(current_event(), parsed, overwrite_edited=overwrite)
    db.session.commit()
    if overwrite:
        assert report.kept_edited == [] and report.updated["sheets"] == 1
        assert sheet("halden-en-dor-inn").project_name == "En dør inn"
    else:
        assert report.kept_edited == ["halden-en-dor-inn"] and report.updated["sheets"] == 0
        assert sheet("halden-en-dor-inn").project_name == "En dør inn (rettet)"


def test_deleting_a_stand_unlinks_its_sheets_and_pages(ctx):
    moss = db.session.scalar(db.select(Stand).where(Stand.slug == "moss-kommune"))
    db.session.delete(moss)
    db.session.commit()
    assert sheet("jobbsjansen-i-moss").stand_id is None
    assert sheet("sarpsborg-jobbsjansen").stand is not None
