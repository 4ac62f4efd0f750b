"""PostgreSQL's own full-text search: inflection, weights, an index that follows every edit.

These run only on PostgreSQL (``make test-postgres``, or FAGKONFERANSE_TEST_POSTGRES_URL; see
tests/databases.py). The promises every engine keeps are in test_search_and_filters.py, which
runs the PostgreSQL engine too when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, text

from fagkonferanse import database
from fagkonferanse.database import upgrade
from fagkonferanse.extensions import db

from ..databases import using_postgres
from .conftest import plugin, sheet
from .test_admin import form_values
from .test_search_and_filters import found, full_text, sheets

pytestmark = pytest.mark.skipif(
    not using_postgres(),
    reason="PostgreSQL's own full-text search exists only on PostgreSQL: "
           "run `make test-postgres` (or set FAGKONFERANSE_TEST_POSTGRES_URL)")


def search(query):
    hits = plugin().search.search(sheets(), query)
    assert hits.engine == "postgresql"
    return hits


def save(slug, editor="test@example.no", **changes):
    """Change a sheet through the organisers' service (as the form does)."""
    editing = plugin().editing
    edited = sheet(slug)
    values = {**editing.content(edited), **{name.replace("section_", editing.SECTION): value
                                            for name, value in changes.items()}}
    editing.save_sheet(edited, values, edited.version, editor)


def paragraph(text_):
    return [{"type": "paragraph", "text": text_}]


# --- Matching ---------------------------------------------------------------------------------


def test_inflected_forms_find_the_base_word(ctx):
    """"boliger" finds every sheet that says "bolig", also those that never say "boliger"."""
    with_word = {s.slug for s in sheets() if re.search(r"\bbolig\b", full_text(s))}
    without_plural = {s.slug for s in sheets() if "boliger" not in full_text(s)}
    hits = {hit.sheet.slug for hit in search("boliger")}
    assert with_word <= hits
    assert with_word & without_plural, "the data should have a sheet saying 'bolig' but not 'boliger'"
    assert not (with_word & without_plural) & set(found("boliger", "python"))  # only stems find those


def test_stem_matches_are_marked_in_the_snippet(ctx):
    hit = next(h for h in search("boliger") if "boliger" not in full_text(h.sheet) and h.snippet)
    assert any(matched and text_.casefold().startswith("bol") for text_, matched in hit.snippet)


def test_a_word_in_the_project_name_ranks_above_the_same_word_in_the_body(ctx):
    # The body sheet comes first in the booklet (and by id), and says the word three times.
    save("jobbsjansen-i-moss", section_unikhet=paragraph("Snøskredvarsling. Snøskredvarsling. Snøskredvarsling."))
    save("sarpsborg-jobbintro", project_name="Jobbintro med snøskredvarsling")
    hits = search("snøskredvarsling")
    assert [hit.sheet.slug for hit in hits] == ["sarpsborg-jobbintro", "jobbsjansen-i-moss"]
    assert hits[0].score > hits[1].score
    # The same inside a compound, which only the infix match finds.
    assert [hit.sheet.slug for hit in search("skredvarsling")] == ["sarpsborg-jobbintro", "jobbsjansen-i-moss"]


# --- The index follows every edit -------------------------------------------------------------


def test_an_organisers_edit_is_found_at_once_and_the_old_text_no_longer(app, admin_client):
    path = "/admin/catalogue/halden-en-dor-inn"
    values = form_values(admin_client, path)
    values["section_unikhet"] = "Vi har kvitebjørnvakt hele døgnet."
    assert admin_client.post(path, data=values).status_code == 303
    for query in ("kvitebjørnvakt", "kvitebjørnvaktene", "bjørnvakt"):  # as written, inflected, inside
        body = app.test_client().get("/catalogue", query_string={"q": query}).get_data(as_text=True)
        assert f"1 prosjekt for «{query}»" in body and "En dør inn" in body, query
    with app.app_context():
        assert [hit.sheet.slug for hit in search("kvitebjørnvakt")] == ["halden-en-dor-inn"]

    values = form_values(admin_client, path)
    values["section_unikhet"] = "Vi har nattevakt."
    assert admin_client.post(path, data=values).status_code == 303
    with app.app_context():
        assert search("kvitebjørnvakt") == []


def test_an_unsaved_change_in_the_session_is_searched_too(ctx):
    """The search flushes the session first (autoflush), so the trigger has run."""
    sheet("halden-en-dor-inn").project_name = "En dør inn til isbjørnvakt"
    assert [hit.sheet.slug for hit in search("isbjørnvakt")] == ["halden-en-dor-inn"]


def test_renaming_the_owner_reindexes_its_sheets(ctx):
    halden = sheet("halden-en-dor-inn").owner
    expected = {s.slug for s in sheets() if s.owner_id == halden.id}
    halden.name = "Tistedal kommune"
    db.session.flush()
    assert {hit.sheet.slug for hit in search("Tistedal")} == expected
    names = db.session.scalars(text("SELECT split_part(search_text, E'\\n', 1) FROM catalogue_sheets "
                                    "WHERE owner_id = :id"), {"id": halden.id}).all()
    assert names and all(name.endswith("tistedal kommune") for name in names)


def test_the_stored_text_is_the_text_the_other_engines_search(ctx):
    """The trigger's SQL mirrors ``_document`` (category labels aside, which are Python's words)."""
    services = plugin().services
    stored = dict(db.session.execute(text("SELECT slug, search_text FROM catalogue_sheets")).all())
    for each in sheets():
        name, funding, groups, body = stored[each.slug].split("\n", 3)
        sections = [" ".join(services.block_texts(each.sections[key]))
                    for key, _ in plugin().sections.SHEET_SECTIONS if each.sections.get(key)]
        assert normal(name) == normal(f"{each.project_name} {each.owner_name}")
        assert normal(funding) == normal(f"{each.funding_scheme or ''} {each.funding_body or ''}")
        assert normal(groups) == normal(" ".join(each.target_groups))
        assert [normal(line) for line in body.split("\n")] == [normal(section) for section in sections]


# --- Schema -----------------------------------------------------------------------------------


def test_the_search_document_has_a_gin_index_that_the_planner_uses(ctx):
    indexes = dict(db.session.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'catalogue_sheets'")).all())
    assert "USING gin (search_document)" in indexes["ix_catalogue_sheets_search_document"]
    assert "USING gin (search_text gin_trgm_ops)" in indexes["ix_catalogue_sheets_search_text"]
    db.session.execute(text("SET LOCAL enable_seqscan = off"))  # 19 rows: a scan is cheaper otherwise
    for condition, index in [("search_document @@ to_tsquery('norwegian', 'bolig:*')", "search_document"),
                             ("search_text LIKE '%kommunalbolig%'", "search_text")]:
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN SELECT id FROM catalogue_sheets WHERE {condition}")))
        assert f"Bitmap Index Scan on ix_catalogue_sheets_{index}" in plan, plan
    db.session.rollback()


def test_the_migration_downgrades_cleanly_and_upgrades_again(ctx):
    search_columns = {"search_text", "search_document"}

    def columns() -> set[str]:
        return {column["name"] for column in inspect(db.engine).get_columns("catalogue_sheets")}

    db.session.remove()
    assert search_columns <= columns()
    database.downgrade("catalogue_0001")
    assert columns().isdisjoint(search_columns)
    left = db.session.scalars(text(
        "SELECT proname FROM pg_proc WHERE proname LIKE 'catalogue%' UNION ALL "
        "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'catalogue%'")).all()
    assert left == []
    db.session.remove()
    upgrade()
    assert {hit.sheet.slug for hit in search("bolig")} == set(found("bolig", "python"))


# --- Helpers ----------------------------------------------------------------------------------


def normal(value: str) -> str:
    return " ".join(value.casefold().split())
