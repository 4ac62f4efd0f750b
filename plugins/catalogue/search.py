"""Full-text search over every section of the sheets: one function, three engines.

``search(sheets, query)`` is all a view calls. Every word of the query must occur somewhere in
the sheet (project name, owner, funding, target groups or any section), as a part of a word too:
Norwegian writes compounds, and "bolig" must find "Boligkoordinator" and "kommunalbolig". Case is
ignored and æ, ø and å are letters of their own ("Øst" finds "Østfold", never "Ost"). The engine
follows the database of the session (``default_engine``):

* **PostgreSQL** (``search_postgres``): the database's own full-text search on a ``tsvector``
  a trigger keeps current (GIN-indexed, Norwegian configuration, the weights below), *combined*
  with an infix match on the same folded text (``LIKE '%word%'``, trigram-indexed with pg_trgm):
  a word matches by its stems as prefixes ("boliger" finds "bolig") or as written inside any
  word ("bolig" finds "kommunalbolig", which PostgreSQL does not split). It finds what the other
  engines find, plus inflected forms; quoted phrases match as written. Ranked by ``ts_rank``
  with the weights, plus the weight of the column where each word occurs as written.
* **SQLite FTS5** elsewhere (when the ``sqlite3`` library has it, checked once at run time): an
  in-memory FTS5 table with the ``trigram`` tokenizer, ranked by ``bm25`` with the project name
  weighing most. The index lives in memory, not in the database, and is built per search: it is
  derived data, so it can never be stale; a catalogue has tens of sheets (the 2016 one, 19 sheets
  and 84 000 characters, is indexed in under 10 ms); and Alembic never sees FTS5's shadow tables
  (autogenerate would offer to drop them).
* **Python** otherwise: the same matching with ``str.casefold``, ranked by weighted counts. It
  also checks words shorter than three letters (trigrams need three) for the FTS5 engine.

Snippets come from the same Python code for every engine, so highlighting looks the same
everywhere (the PostgreSQL engine also marks words starting with a stem it matched).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache

from fagkonferanse import db

from . import search_postgres
from .models import ProjectSheet
from .sections import SHEET_SECTIONS
from .services import block_texts, category_labels

MAX_QUERY = 200
MAX_TERMS = 10
# Weights of the indexed columns, in their order: name, funding, groups, body.
WEIGHTS = (8.0, 3.0, 3.0, 1.0)
SNIPPET = 90  # characters either side of the first match
ENGINES = ("postgresql", "fts5", "python")


@dataclass(frozen=True)
class Hit:
    """A sheet found by a search, with where the words first occur in its sections."""

    sheet: ProjectSheet
    score: float
    heading: str = ""
    snippet: list[tuple[str, bool]] = field(default_factory=list)  # (text, is a match)


class Hits(list):
    """The hits of one search, best first, and the engine that found them."""

    def __init__(self, hits=(), engine: str = ""):
        super().__init__(hits)
        self.engine = engine


def parse_query(query: str) -> list[str]:
    """The words and "quoted phrases" of a query, normalised (NFC, case-folded), without repeats."""
    query = unicodedata.normalize("NFC", (query or "")[:MAX_QUERY])
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        term = re.sub(r"\s+", " ", phrase or word).strip(" \"'.,;:!?()[]").casefold()
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def search(sheets: list[ProjectSheet], query: str, engine: str | None = None) -> Hits:
    """The sheets matching every word of ``query``, best first.

    ``engine`` is for the tests; by default the session's database chooses (``default_engine``).
    """
    terms = parse_query(query)
    if not terms or not sheets:
        return Hits()
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"unknown search engine {engine!r}")
    if engine == "postgresql":
        return _postgresql(sheets, terms)
    documents = [_document(sheet) for sheet in sheets]
    ranked = _fts5(documents, terms) if engine == "fts5" else _python(documents, terms)
    return Hits((_hit(sheets[index], documents[index], terms, score) for index, score in ranked), engine)


def default_engine() -> str:
    """PostgreSQL's own search on PostgreSQL; elsewhere FTS5 when SQLite has it, else Python."""
    if db.session.get_bind().dialect.name == "postgresql":
        return "postgresql"
    return "fts5" if fts5_available() else "python"


@cache
def fts5_available() -> bool:
    """Does this Python's SQLite have FTS5 with the trigram tokenizer (SQLite 3.34+)?"""
    try:
        with closing(sqlite3.connect(":memory:")) as connection:
            connection.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
        return True
    except sqlite3.Error:
        return False


# --- Documents --------------------------------------------------------------------------------


def _document(sheet: ProjectSheet) -> tuple[str, str, str, list[tuple[str, str]]]:
    """(name, funding, groups, [(heading, text) per section]) of one sheet, NFC-normalised."""
    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text)

    name = nfc(f"{sheet.project_name} {sheet.owner_name}")
    funding = nfc(f"{sheet.funding_scheme or ''} {sheet.funding_body or ''}")
    groups = nfc(" ".join([*sheet.target_groups, *category_labels(sheet)]))
    sections = [(str(heading), nfc(" ".join(block_texts(sheet.sections.get(key, [])))))
                for key, heading in SHEET_SECTIONS if sheet.sections.get(key)]
    return name, funding, groups, sections


def _columns(document) -> tuple[str, str, str, str]:
    name, funding, groups, sections = document
    return name, funding, groups, " \n".join(text for _, text in sections)


# --- Engines ----------------------------------------------------------------------------------


def _fts5(documents, terms: list[str]) -> list[tuple[int, float]]:
    """(index, score) of the matching documents, ranked by bm25 (lower is better in SQLite).

    Trigrams cannot match words shorter than three letters ("25"); those are checked in Python
    on the rows FTS5 found, and a query of short words only is left to the Python engine.
    """
    long_terms = [term for term in terms if len(term) >= 3]
    short_terms = [term for term in terms if len(term) < 3]
    if not long_terms:
        return _python(documents, terms)
    match = " AND ".join('"' + term.replace('"', '""') + '"' for term in long_terms)
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.execute("CREATE VIRTUAL TABLE sheets USING fts5(name, funding, groups, body, "
                           "tokenize='trigram case_sensitive 0')")
        connection.executemany("INSERT INTO sheets(rowid, name, funding, groups, body) VALUES (?, ?, ?, ?, ?)",
                               [(index, *_columns(document)) for index, document in enumerate(documents)])
        rows = connection.execute(
            f"SELECT rowid, bm25(sheets, {', '.join(map(str, WEIGHTS))}) AS rank FROM sheets "
            "WHERE sheets MATCH ? ORDER BY rank, rowid", (match,)).fetchall()
    return [(index, -rank) for index, rank in rows
            if all(any(term in column.casefold() for column in _columns(documents[index])) for term in short_terms)]


def _python(documents, terms: list[str]) -> list[tuple[int, float]]:
    """The same matching without SQLite: every term in some column; weighted occurrence counts."""
    ranked = []
    for index, document in enumerate(documents):
        columns = [column.casefold() for column in _columns(document)]
        if all(any(term in column for column in columns) for term in terms):
            score = sum(weight * column.count(term) / (1 + len(column) / 2000)
                        for term in terms for weight, column in zip(WEIGHTS, columns))
            ranked.append((index, score))
    return sorted(ranked, key=lambda row: (-row[1], row[0]))


def _postgresql(sheets: list[ProjectSheet], terms: list[str]) -> Hits:
    """Matched and ranked in the database; category labels (Python's words) checked here.

    Documents are made for the hits only, for their snippets: making them is most of the time a
    search takes in Python.
    """
    term_stems = search_postgres.stems(db.session, terms)  # flushes the session first: every sheet has its id
    labels = [" ".join(category_labels(sheet)).casefold() for sheet in sheets]
    label_matches = [{sheet.id for sheet, words in zip(sheets, labels) if term in words} for term in terms]
    ranked = search_postgres.rank(db.session, [sheet.id for sheet in sheets], terms, term_stems,
                                  label_matches, WEIGHTS)
    by_id = {sheet.id: sheet for sheet in sheets}
    # The longest stem of each word: "e-post" has the stems "e", "e-post" and "post", and marking
    # every word that starts with "e" would mark half the text.
    marked = [max(found, key=len) for term, found in zip(terms, term_stems) if found and " " not in term]
    return Hits((_hit(by_id[sheet_id], _document(by_id[sheet_id]), terms, score, marked)
                 for sheet_id, score in ranked), "postgresql")


# --- Snippets ---------------------------------------------------------------------------------


def _hit(sheet: ProjectSheet, document, terms: list[str], score: float, stems: list[str] = ()) -> Hit:
    """The hit with the first section passage that holds a search word, words marked.

    ``stems`` (PostgreSQL's) also mark every word starting with one, after the words as written.
    """
    alternatives = [re.escape(term) for term in sorted(terms, key=len, reverse=True)]
    alternatives += [r"\b" + re.escape(stem) + r"\w*" for stem in sorted(stems, key=len, reverse=True)]
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    for heading, text in document[3]:
        found = pattern.search(text)
        if found:
            start = max(0, found.start() - SNIPPET)
            end = min(len(text), found.end() + SNIPPET)
            if start:
                start = text.find(" ", start) + 1 or start
            window = text[start:end]
            if end < len(text):
                window = window.rsplit(" ", 1)[0]
            return Hit(sheet, score, heading, _marked(window, pattern, start > 0, end < len(text)))
    return Hit(sheet, score)


def _marked(window: str, pattern: re.Pattern[str], cut_start: bool, cut_end: bool) -> list[tuple[str, bool]]:
    segments: list[tuple[str, bool]] = [("… ", False)] if cut_start else []
    position = 0
    for found in pattern.finditer(window):
        if found.start() > position:
            segments.append((window[position:found.start()], False))
        segments.append((found.group(0), True))
        position = found.end()
    segments.append((window[position:], False))
    if cut_end:
        segments.append((" …", False))
    return [segment for segment in segments if segment[0]]
