"""The catalogue is an ordinary plugin: its hooks, its own migration branch, and init/setup."""

from __future__ import annotations

import importlib.util

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from fagkonferanse.database import include_object
from fagkonferanse.extensions import db

from ..conftest import make_app
from ..databases import drop_database, new_database
from .conftest import PLUGIN_DIR, count


def test_the_plugin_implements_its_hooks(app):
    result = app.test_cli_runner().invoke(args=["plugins"])
    lines = result.output.splitlines()
    assert "catalogue  [built-in]" in lines
    line = lines[lines.index("catalogue  [built-in]") + 1]
    for hook in ("conference_loaded", "dashboard_items", "migration_folders", "navigation_links",
                 "register_blueprints", "register_commands", "report_tables", "stand_page_sections",
                 "template_folders"):
        assert hook in line


def test_the_migrations_are_their_own_branch_depending_on_the_core():
    revisions = []
    for path in sorted((PLUGIN_DIR / "migrations" / "versions").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"catalogue_migration_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        revisions.append((module.revision, module.down_revision, module.branch_labels, module.depends_on))
    assert revisions == [("catalogue_0001", None, ("catalogue",), "0002"),
                         ("catalogue_0002", "catalogue_0001", None, None),
                         ("catalogue_0003", "catalogue_0002", None, None)]


def test_the_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        # The PostgreSQL search columns have no model on purpose (see database.include_object).
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        assert "catalogue_0003" in context.get_current_heads()
        differences = [d for d in compare_metadata(context, db.metadata) if "catalogue" in repr(d)]
        assert differences == []


def test_init_loads_the_catalogue_and_reset_loads_it_once_again(tmp_path):
    instance = tmp_path / "instance"
    new_database(instance)
    app = make_app(instance)
    try:
        runner = app.test_cli_runner()
        assert runner.invoke(args=["init"]).exit_code == 0
        assert runner.invoke(args=["init", "--reset"]).exit_code == 0
        with app.app_context():
            assert (count("ProjectSheet"), count("Recipe"), count("CataloguePage")) == (19, 3, 1)
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(instance)
