"""The report's two rules: small groups shown as "under 5", and organisation types read from names."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture
def rules(app):
    """The plugin's rules module (built-in plugins are importable once an app has loaded them)."""
    return importlib.import_module("fagkonferanse_plugins.report.rules")


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "under 5"), (2, "under 5"), (4, "under 5"),
                                              (5, "5"), (12, "12"), (1234, "1234")])
def test_counts_from_one_to_four_are_shown_as_under_five(app, rules, count, shown):
    with app.test_request_context():
        assert rules.shown_count(count) == shown


def test_under_five_in_english(app, rules):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        assert rules.shown_count(3) == "fewer than 5"


def test_only_one_to_four_are_hidden(rules):
    assert [count for count in range(-3, 1000) if rules.is_suppressed(count)] == [1, 2, 3, 4]


MUNICIPAL, NAV, STATE, EDUCATION, VOLUNTARY, OTHER, UNKNOWN = (
    "municipal", "nav", "state", "education", "voluntary", "other", "unknown")


@pytest.mark.parametrize(("name", "kind"), [
    ("Moss kommune", MUNICIPAL), ("Fredrikstad Kommune", MUNICIPAL), ("Bydel Grünerløkka", MUNICIPAL),
    ("Kommunalsjef i Sarpsborg kommune", MUNICIPAL),
    ("NAV Moss", NAV), ("Nav Fredrikstad", NAV), ("NAV Rygge kommune", NAV),
    ("Fylkesmannen i Østfold", STATE), ("Husbanken", STATE), ("Husbanken region øst", STATE), ("IMDi Øst", STATE),
    ("Bufetat", STATE), ("Arbeids- og velferdsdirektoratet", STATE), ("Helsedirektoratet", STATE),
    ("Kommunal- og moderniseringsdepartementet", STATE),
    ("Høgskolen i Østfold", EDUCATION), ("Universitetet i Oslo", EDUCATION), ("Kirkeparken videregående skole", EDUCATION),
    ("Frelsesarmeen-forening", VOLUNTARY), ("Stiftelsen Fyrlykta", VOLUNTARY), ("Røde Kors Moss", VOLUNTARY),
    ("Kirkens Bymisjon", VOLUNTARY), ("Frivilligsentralen", VOLUNTARY), ("Norsk Folkehjelp lag Moss", VOLUNTARY),
    ("Peab AS", OTHER), ("Selvstendig", OTHER), ("Navarsete AS", OTHER),
    ("", UNKNOWN), ("   ", UNKNOWN), (None, UNKNOWN),
])
def test_organisation_types_from_the_name(rules, name, kind):
    assert rules.organisation_type(name) == kind


def test_every_type_has_a_label_in_the_reports_order(app, rules):
    with app.test_request_context():
        assert [str(label) for label in rules.TYPE_LABELS.values()] == [
            "Kommune", "NAV", "Statlig", "Utdanning og forskning", "Frivillig og ideell", "Annet", "Ikke oppgitt"]
    assert list(rules.TYPE_LABELS) == [MUNICIPAL, NAV, STATE, EDUCATION, VOLUNTARY, OTHER, UNKNOWN]
