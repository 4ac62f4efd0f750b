"""Search over every section (æ/ø/å and case), filters, and the funding-scheme pages."""

from __future__ import annotations

import unicodedata

import pytest

from ..databases import using_postgres
from .conftest import plugin

# Every engine the database in use offers: FTS5 and Python work anywhere (they search the loaded
# sheets); PostgreSQL's own search needs the tables migration catalogue_0002 makes there.
ENGINES = ["fts5", "python", *(["postgresql"] if using_postgres() else [])]
DEFAULT_ENGINE = "postgresql" if using_postgres() else "fts5"
JOBBSJANSEN = {"jobbsjansen-i-moss", "sarpsborg-jobbsjansen", "fredrikstad-jobbsjansen"}


def sheets():
    from fagkonferanse.events.services import current_event

    return plugin().services.sheets(current_event())


def found(query, engine=None):
    return [hit.sheet.slug for hit in plugin().search.search(sheets(), query, engine)]


def full_text(sheet) -> str:
    """Everything the search covers, as an independent oracle."""
    services = plugin().services
    texts = [sheet.project_name, sheet.owner_name, sheet.funding_scheme or "", sheet.funding_body or "",
             *sheet.target_groups, *services.category_labels(sheet)]
    for blocks in sheet.sections.values():
        texts += services.block_texts(blocks)
    return " ".join(texts).casefold()


def test_fts5_is_available_here(ctx):
    assert plugin().search.fts5_available()  # Python 3.11's SQLite has FTS5 with trigrams


def test_the_database_chooses_the_engine(ctx):
    """PostgreSQL's own full-text search on PostgreSQL, FTS5 on SQLite (the tests below that pass
    no engine run on this one)."""
    search = plugin().search
    assert search.default_engine() == DEFAULT_ENGINE
    assert search.search(sheets(), "bolig").engine == DEFAULT_ENGINE
    assert search.search(sheets(), "bolig", "python").engine == "python"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("query, must_find", [
    ("bolig", {"moss-housing-first", "sarpsborg-boligveileder-i-nav", "halden-en-dor-inn"}),
    ("BARNEFATTIGDOM", {"fredrikstad-forebygging-og-bekjempelse-av-barnefattigdom", "halden-mestring-gjennom-jobben"}),
    ("Øst", {"fredrikstad-forebygging-og-bekjempelse-av-barnefattigdom", "klar-kunnskap-laering-arbeidsinkludering"}),
    ("kvalifisering", {"fredrikstad-utvikle-fleksible-kvalifiseringslop-mot-fagbrev", "jobbsjansen-i-moss"}),
])
def test_search_finds_words_inside_compounds_in_any_letter_case(ctx, engine, query, must_find):
    hits = found(query, engine)
    assert must_find <= set(hits)
    expected = {s.slug for s in sheets() if query.casefold() in full_text(s)}
    assert set(hits) == expected
    assert found(query.lower(), engine) == hits and found(query.upper(), engine) == hits


@pytest.mark.parametrize("engine", ENGINES)
def test_o_slash_is_a_letter_not_an_o_with_an_accent(ctx, engine):
    ost = set(found("Øst", engine))
    assert ost and ost != set(found("Ost", engine))
    assert all("øst" in full_text(s) for s in sheets() if s.slug in ost)
    # Decomposed input (as some keyboards send "å") finds the same as composed input.
    assert found(unicodedata.normalize("NFD", "Fylkesmannen i Østfold på"), engine) == \
        found("Fylkesmannen i Østfold på", engine)


def test_every_engine_finds_the_same_sheets_for_every_query(ctx):
    # PostgreSQL's also finds inflected forms, which none of these words has in the catalogue
    # ("boliger" in test_search_postgres.py is one that does).
    for query in ["bolig", "NAV", "jobbsjansen imdi", '"en dør inn"', "Ærlig", "xyzzy", "sosialhjelp 25 år",
                  "og", "e-post", "vanskeligstilte"]:
        expected = set(found(query, "python"))
        for engine in ENGINES:
            assert set(found(query, engine)) == expected, (query, engine)


def test_every_word_must_match_and_phrases_stay_together(ctx):
    both = set(found("bolig kvalifisering"))
    assert both == set(found("bolig")) & set(found("kvalifisering"))
    assert found('"en dør inn"') == ["halden-en-dor-inn"]
    assert found("") == [] and found("   ") == [] and found("xyzzy") == []


def test_a_name_match_ranks_first_and_snippets_mark_the_words(ctx):
    hits = plugin().search.search(sheets(), "Jobbsjansen")
    assert hits.engine == DEFAULT_ENGINE
    assert {hit.sheet.slug for hit in hits[:3]} == JOBBSJANSEN
    hit = next(h for h in plugin().search.search(sheets(), "barnefattigdom") if h.snippet)
    assert hit.heading and any(matched and text.casefold() == "barnefattigdom" for text, matched in hit.snippet)


@pytest.mark.parametrize("engine", ENGINES)
def test_words_shorter_than_a_trigram_still_count(ctx, engine):
    assert set(found("25", engine)) == {s.slug for s in sheets() if "25" in full_text(s)}
    assert set(found("sosialhjelp 25", engine)) == set(found("sosialhjelp")) & set(found("25"))


def test_query_parsing(ctx):
    parse = plugin().search.parse_query
    assert parse('  Bolig  "EN  dør inn"  bolig, ') == ["bolig", "en dør inn"]
    assert len(parse("a " * 100)) <= 10 and parse("x" * 500) == ["x" * 200]


# --- Filters ----------------------------------------------------------------------------------


def filtered(**values):
    services = plugin().services
    return [s.slug for s in services.filter_sheets(sheets(), services.Filters(**values))]


def test_filters_by_owner_scheme_body_and_target_group(ctx):
    assert len(filtered(owner="moss-kommune")) == 3
    assert len(filtered(owner="sarpsborg-kommune")) == 9
    assert filtered(owner="nav-og-hogskolen-i-ostfold-klar") == ["klar-kunnskap-laering-arbeidsinkludering"]
    assert set(filtered(scheme="jobbsjansen")) == JOBBSJANSEN
    assert len(filtered(scheme="ingen-ordning")) == 6
    assert len(filtered(body="imdi")) == 8  # "IMDi, Fylkesmannen i Østfold og …" counts for each body
    assert "halden-raskere-bosetting-2016" in filtered(body="fylkesmannen-i-ostfold")
    assert "moss-housing-first" in filtered(group="bolig")
    assert filtered(owner="moss-kommune", scheme="jobbsjansen") == ["jobbsjansen-i-moss"]
    assert filtered(owner="finnes-ikke") == []


def test_filter_options_count_the_sheets(ctx):
    options = plugin().services.filter_options(sheets(), "Ingen navngitt ordning")
    assert {o.label: o.count for o in options.owners} == {
        "Fredrikstad kommune": 3, "Halden kommune": 3, "Moss kommune": 3, "Sarpsborg kommune": 9,
        "NAV og Høgskolen i Østfold (KLAR)": 1}
    assert options.schemes[-1].label == "Ingen navngitt ordning"
    assert {o.label for o in options.bodies} >= {"IMDi", "Husbanken", "Bufdir", "Arbeids- og velferdsdirektoratet"}
    assert all(o.count > 0 for o in options.groups)


def test_vocabulary(ctx):
    vocabulary = plugin().vocabulary
    assert vocabulary.funding_bodies("IMDi, Fylkesmannen i Østfold og Arbeids- og velferdsdirektoratet") == [
        "IMDi", "Fylkesmannen i Østfold", "Arbeids- og velferdsdirektoratet"]
    assert vocabulary.funding_bodies(None) == []
    assert vocabulary.target_categories(["Unge sosialhjelpsmottakere under 25 år"]) == ["ungdom", "ytelser"]
    assert vocabulary.target_categories(["nyetablerte ungdom"], "Boligveileder i NAV") == ["ungdom", "bolig"]


# --- Pages ------------------------------------------------------------------------------------


def page(client, path):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_catalogue_page_searches_and_filters(client):
    status, body = page(client, "/catalogue?q=BARNEFATTIGDOM")
    assert status == 200
    assert "prosjekter for «BARNEFATTIGDOM»" in body and "<mark>" in body
    assert "Forebygging og bekjempelse av barnefattigdom" in body
    status, body = page(client, "/catalogue?q=%C3%98st")  # "Øst"
    assert status == 200 and "<mark>Øst</mark>" in body
    status, body = page(client, "/catalogue?owner=moss-kommune&scheme=jobbsjansen")
    assert "1 av 19 prosjekter" in body and "Jobbsjansen i Moss" in body and "Housing First" not in body
    assert '<option value="moss-kommune" selected>' in body
    status, body = page(client, "/catalogue?owner=finnes-ikke&q=" + "x" * 1000)
    assert status == 200 and "Ingen prosjekter passer" in body


def test_funding_overview_shows_which_municipality_runs_what(client):
    status, body = page(client, "/catalogue/funding")
    assert status == 200
    assert "Prosjekter etter tilskuddsordning og kommune" in body
    for scheme in ("Jobbsjansen", "Kommunale utviklingsmidler (KUM)", "Barnefattigdomsmidler", "Kompetansetilskudd"):
        assert scheme in body
    assert '<th scope="col">Halden</th>' in body and '<th scope="col">KLAR</th>' in body
    assert "IMDi" in body and "Etter tilskuddsgiver" in body


def test_a_scheme_page_lists_projects_per_municipality_and_who_has_none(client):
    status, body = page(client, "/catalogue/funding/jobbsjansen")
    assert status == 200
    for owner in ("Moss kommune", "Sarpsborg kommune", "Fredrikstad kommune"):
        assert f">{owner}</h2>" in body
    assert "Kommuner uten prosjekt i denne ordningen" in body
    assert "Halden kommune" in body.split("Kommuner uten prosjekt i denne ordningen")[1]
    status, body = page(client, "/catalogue/funding/ingen-ordning")
    assert status == 200 and "Prosjekter uten navngitt ordning" in body and "Housing First" in body
    assert page(client, "/catalogue/funding/finnes-ikke")[0] == 404


@pytest.mark.parametrize("query", ['"', '"uavsluttet', "AND", "OR NOT", "NEAR(", "*", "-", "bolig*", "x" * 300, "'; --"])
def test_odd_queries_never_break_the_page(client, query):
    response = client.get("/catalogue", query_string={"q": query})
    assert response.status_code == 200


def test_the_query_is_echoed_as_text(client):
    body = client.get("/catalogue", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize(("language", "one", "several"), [
    ("nb", "1 prosjekt for «losfunksjon»", "prosjekter for «Housing»"),
    ("en", "1 project for “losfunksjon”", "projects for “Housing”"),
])
def test_the_number_of_hits_agrees_with_its_noun(client, language, one, several):
    client.set_cookie("lang", language)
    assert one in page(client, "/catalogue?q=losfunksjon")[1]
    assert several in page(client, "/catalogue?q=Housing")[1]
