"""The PostgreSQL engine of the catalogue search: the database's own full-text search.

The text lives in the database (migration ``catalogue_0002``, PostgreSQL only): a trigger keeps
two columns of ``catalogue_sheets`` current on every write, ``search_document`` (a weighted
Norwegian ``tsvector``, GIN-indexed) and ``search_text`` (the same text folded to lower case, one
line each for name, funding and target groups, then the sections; trigram-indexed when pg_trgm
is there). The models do not map them: they exist on PostgreSQL only and only the trigger
writes them.

A query word matches a sheet when any of these holds:

* its **stems**, as prefixes, are in ``search_document``: "boliger" finds "bolig" and
  "boligene", "Jobbsjansens" finds "Jobbsjansen". This is ``to_tsquery('norwegian', 'word:*')``
  in two steps: ``to_tsvector('norwegian', word)`` gives the stems, which the snippets then mark
  too, and silently none for a stop word such as "og" (``to_tsquery`` would send a NOTICE each
  time); the ``'stem':*`` parts are joined with ``&`` and cast to ``tsquery``;
* it occurs **inside** ``search_text`` (``LIKE '%word%'``): PostgreSQL does not split compounds,
  and "bolig" must still find "kommunalbolig", "Øst" "Østfold" but never "Ost";
* it occurs in one of the sheet's target-group **category labels**, which are Python's (and
  the reader's language), so they are checked in Python as in the other engines.

A "quoted phrase" of several words matches only as written (the second way): the Norwegian
configuration drops stop words such as "en" and "inn", so its phrase query for "en dør inn"
would be just "dør". (One word in quotes is a word like any other: the query parser keeps no quotes.)

Ranking: ``ts_rank`` over the stems of every word, weighted as ``search.WEIGHTS`` (name A,
funding B, target groups C, sections D), plus for each word the weight of the first column that
holds it as written, so a word found only inside a compound also counts where it is.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

CONFIG = "norwegian"


def stems(session: Session, terms: list[str]) -> list[list[str]]:
    """The Norwegian stems of each term, as PostgreSQL makes them (none for stop words like "og")."""
    rows = session.execute(text(
        "SELECT tsvector_to_array(to_tsvector(CAST(:config AS regconfig), t.term)) "
        "FROM unnest(CAST(:terms AS text[])) WITH ORDINALITY AS t(term, n) ORDER BY t.n"),
        {"config": CONFIG, "terms": terms})
    return [list(found) for (found,) in rows]


def rank(session: Session, sheet_ids: list[int], terms: list[str], term_stems: list[list[str]],
         label_matches: list[set[int]], weights: tuple[float, ...]) -> list[tuple[int, float]]:
    """``(sheet id, score)`` of the sheets among ``sheet_ids`` that match every term, best first.

    ``weights`` are the columns' (name, funding, groups, body); ``label_matches`` the ids whose
    category labels hold each term.
    """
    relative = [weight / max(weights) for weight in weights]
    params: dict[str, object] = {"ids": sheet_ids, "weights": relative[::-1]}  # ts_rank: {D, C, B, A}
    conditions, literal_scores, every_stem = [], [], []
    for n, (term, found) in enumerate(zip(terms, term_stems)):
        params[f"term{n}"] = term
        params[f"like{n}"] = "%" + _escape_like(term) + "%"
        ways = [f"search_text LIKE :like{n}"]
        if found and " " not in term:
            params[f"stems{n}"] = " & ".join(_prefix(stem) for stem in found)
            ways.append(f"search_document @@ CAST(:stems{n} AS tsquery)")
        labels = f":labels{n}" if label_matches[n] else None
        if labels:
            params[f"labels{n}"] = sorted(label_matches[n])
            ways.append(f"id = ANY({labels})")
        conditions.append("(" + " OR ".join(ways) + ")")
        literal_scores.append(_first_column_weight(f":term{n}", labels, relative))
        every_stem.extend(_prefix(stem) for stem in found)
    params["any_stem"] = " | ".join(dict.fromkeys(every_stem))
    stem_rank = "ts_rank(CAST(:weights AS real[]), search_document, CAST(:any_stem AS tsquery))" \
        if every_stem else "0"
    statement = (f"SELECT id, {stem_rank} + ({' + '.join(literal_scores)}) / {len(terms)} AS score "
                 f"FROM catalogue_sheets WHERE id = ANY(:ids) AND {' AND '.join(conditions)} "
                 "ORDER BY score DESC, id")
    return [(sheet_id, float(score)) for sheet_id, score in session.execute(text(statement), params)]


def _first_column_weight(term: str, labels: str | None, relative: list[float]) -> str:
    """SQL: the weight of the first line of search_text (name, funding, groups) holding the term
    as written, else the groups' when a category label holds it (labels are target groups in the
    other engines), else the body's when anywhere, else 0."""
    cases = [f"WHEN strpos(split_part(search_text, E'\\n', {line}), {term}) > 0 THEN {relative[line - 1]}"
             for line in (1, 2, 3)]
    if labels:
        cases.append(f"WHEN id = ANY({labels}) THEN {relative[2]}")
    cases.append(f"WHEN strpos(search_text, {term}) > 0 THEN {relative[3]}")
    return f"(CASE {' '.join(cases)} ELSE 0 END)"


def _prefix(stem: str) -> str:
    """A stem as a prefix lexeme in tsquery syntax, quoted so no character is an operator."""
    return "'" + stem.replace("\\", "\\\\").replace("'", "''") + "':*"


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
