"""catalogue: PostgreSQL full-text search columns, kept current by a trigger (PostgreSQL only)

On PostgreSQL the catalogue search uses the database's own full-text search
(``plugins/catalogue/search_postgres.py``). This revision gives ``catalogue_sheets`` two columns
the models do not map, because they exist on PostgreSQL only and no Python code writes them:

* ``search_text``: the searched text, folded (NFC, lower case), as four lines: project name and
  owner, funding, target groups, then the sections (one line each, in template order);
* ``search_document``: its ``tsvector`` in the Norwegian configuration, weighted like
  ``search.WEIGHTS``: name A, funding B, target groups C, sections D.

A trigger fills both on every INSERT and on every UPDATE of a searched column, whatever writes
it (the organiser's form, an approved proposal, the importer, psql); a second trigger refreshes
the sheets of an organisation whose name changes (the owner's name is searched as part of the
name). ``search_document`` has a GIN index; ``search_text`` a trigram GIN index when the
``pg_trgm`` extension exists or can be created (it is "trusted" since PostgreSQL 13: a database
owner may create it) — without it the infix test is a sequential scan, which for a catalogue of
tens of sheets costs well under a millisecond.

Case folding uses ICU's root collation (``und-x-icu``) when the server has ICU, so æ, ø and å
are lower-cased even in a database created with ``LC_CTYPE=C`` (where ``lower('Ø')`` is 'Ø').
On SQLite this revision does nothing: the search builds its index in memory there.

The SQL below is frozen with the revision (as migrations are): it mirrors
``services.block_texts`` (every ``text`` of paragraphs, list items and their children) and the
template order of ``sections.SHEET_SECTIONS`` as they were when it was written.

Revision ID: catalogue_0002
Revises: catalogue_0001
Create Date: 2026-11-26 15:10:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'catalogue_0002'
down_revision = 'catalogue_0001'
branch_labels = None
depends_on = None

SECTION_ORDER = ("kommune", "prosjekt", "maal", "status", "robusthet", "suksess", "samhandling",
                 "overforbarhet", "unikhet", "kontakt")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    trigram = _ensure_pg_trgm(bind)
    op.execute(_fold_function(bind))
    op.execute(SHEET_FUNCTION.replace("{section_order}", ", ".join(f"'{key}'" for key in SECTION_ORDER)))
    op.execute(OWNER_FUNCTION)
    op.add_column("catalogue_sheets", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    op.add_column("catalogue_sheets", sa.Column("search_document", postgresql.TSVECTOR(), nullable=False,
                                                server_default=sa.text("''::tsvector")))
    op.execute("CREATE TRIGGER catalogue_sheets_search BEFORE INSERT OR UPDATE OF project_name, owner_id, "
               "funding_scheme, funding_body, target_groups, sections ON catalogue_sheets "
               "FOR EACH ROW EXECUTE FUNCTION catalogue_sheet_search_fields()")
    op.execute("CREATE TRIGGER catalogue_owner_renamed AFTER UPDATE OF name ON organisations "
               "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION catalogue_owner_renamed()")
    op.execute("UPDATE catalogue_sheets SET owner_id = owner_id")  # fills the columns of existing sheets
    op.create_index("ix_catalogue_sheets_search_document", "catalogue_sheets", ["search_document"],
                    postgresql_using="gin")
    if trigram:
        op.create_index("ix_catalogue_sheets_search_text", "catalogue_sheets", ["search_text"],
                        postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_catalogue_sheets_search_text")
    op.drop_index("ix_catalogue_sheets_search_document", table_name="catalogue_sheets")
    op.execute("DROP TRIGGER catalogue_owner_renamed ON organisations")
    op.execute("DROP TRIGGER catalogue_sheets_search ON catalogue_sheets")
    op.drop_column("catalogue_sheets", "search_document")
    op.drop_column("catalogue_sheets", "search_text")
    op.execute("DROP FUNCTION catalogue_owner_renamed()")
    op.execute("DROP FUNCTION catalogue_sheet_search_fields()")
    op.execute("DROP FUNCTION catalogue_search_fold(text)")
    # pg_trgm stays: other tables may use it, and dropping an extension needs more rights.


def _ensure_pg_trgm(bind) -> bool:
    """Is pg_trgm there, or could we create it? A refusal (no rights, not installed) is no error."""
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar():
        return True
    if not bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar():
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        return True
    except sa.exc.DBAPIError:
        return False


def _fold_function(bind) -> str:
    """catalogue_search_fold(text): NFC and lower case, as the Python engines fold text."""
    icu = bind.execute(sa.text("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")).scalar()
    utf8 = bind.execute(sa.text("SELECT pg_encoding_to_char(encoding) = 'UTF8' FROM pg_database "
                                "WHERE datname = current_database()")).scalar()
    value = "normalize(coalesce(value, ''), NFC)" if utf8 else "coalesce(value, '')"
    collation = ' COLLATE "und-x-icu"' if icu else ""
    return (f"CREATE OR REPLACE FUNCTION catalogue_search_fold(value text) RETURNS text "
            f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT lower({value}{collation}) $$")


SHEET_FUNCTION = r"""
CREATE OR REPLACE FUNCTION catalogue_sheet_search_fields() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    name_text text;
    funding_text text;
    groups_text text;
    body_text text;
BEGIN
    name_text := catalogue_search_fold(concat_ws(' ', NEW.project_name,
        (SELECT o.name FROM organisations o WHERE o.id = NEW.owner_id)));
    funding_text := catalogue_search_fold(concat_ws(' ', NEW.funding_scheme, NEW.funding_body));
    groups_text := CASE WHEN json_typeof(NEW.target_groups) = 'array' THEN catalogue_search_fold(
        (SELECT string_agg(g.value, ' ' ORDER BY g.n)
           FROM json_array_elements_text(NEW.target_groups) WITH ORDINALITY AS g(value, n))) END;
    body_text := CASE WHEN json_typeof(NEW.sections) = 'object' THEN
        (SELECT string_agg(catalogue_search_fold(s.text), E' \n'
                           ORDER BY array_position(ARRAY[{section_order}], s.key), s.key)
           FROM (SELECT section.key,
                        (SELECT string_agg(t.value #>> '{}', ' ' ORDER BY t.n)
                           FROM jsonb_path_query(section.value, 'strict $.**.text') WITH ORDINALITY AS t(value, n)
                        ) AS text
                   FROM jsonb_each(NEW.sections::jsonb) AS section) AS s
          WHERE s.text <> '') END;
    -- One line each for name, funding and groups: the search splits search_text on newlines.
    name_text := translate(name_text, E'\n\r', '  ');
    funding_text := translate(funding_text, E'\n\r', '  ');
    groups_text := translate(coalesce(groups_text, ''), E'\n\r', '  ');
    body_text := coalesce(body_text, '');
    NEW.search_text := concat_ws(E'\n', name_text, funding_text, groups_text, body_text);
    NEW.search_document := setweight(to_tsvector('norwegian', name_text), 'A')
        || setweight(to_tsvector('norwegian', funding_text), 'B')
        || setweight(to_tsvector('norwegian', groups_text), 'C')
        || setweight(to_tsvector('norwegian', body_text), 'D');
    RETURN NEW;
END
$$
"""

OWNER_FUNCTION = r"""
CREATE OR REPLACE FUNCTION catalogue_owner_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Touching owner_id fires catalogue_sheets_search, which reads the new name.
    UPDATE catalogue_sheets SET owner_id = owner_id WHERE owner_id = NEW.id;
    RETURN NULL;
END
$$
"""
