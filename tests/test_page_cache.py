"""Public pages come from the cache between edits, and never stale after one."""

from __future__ import annotations

from pathlib import Path

from flask import template_rendered
from sqlalchemy import insert
from sqlalchemy.exc import OperationalError

from fagkonferanse.events.models import Event
from fagkonferanse.extensions import db
from fagkonferanse.pagecache import current_version
from fagkonferanse.programme.models import ProgrammeItem, Speaker

from .conftest import make_app


def renders(app, client, path: str, **kwargs) -> tuple[int, str]:
    """How many templates were rendered to answer ``path``, and the page."""
    rendered = []

    def count(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(count, app):
        page = client.get(path, **kwargs).get_data(as_text=True)
    return len(rendered), page


def test_second_anonymous_visit_is_served_without_rendering(app, client):
    first, page = renders(app, client, "/programme")
    assert first > 0
    again, cached = renders(app, client, "/programme")
    assert again == 0 and cached == page
    assert client.get("/programme").headers["X-Page-Cache"] == "hit"


def test_an_edit_is_visible_on_the_next_request(app, client):
    client.get("/programme")
    with app.app_context():
        item = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title == "Pause"))
        item.title = "Kaffepause"
        db.session.commit()
    page = client.get("/programme").get_data(as_text=True)
    assert "Kaffepause" in page


def test_a_page_rendered_for_an_organiser_is_current_after_an_edit(app):
    """The programme's items are read once per content version (programme.services.public_programme)."""
    organiser = app.test_client()
    organiser.set_cookie("fk_organiser", "x")  # never served from the cache: rendered every time
    assert "Kaffepause" not in organiser.get("/programme").get_data(as_text=True)
    with app.app_context():
        item = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title == "Pause"))
        item.title = "Kaffepause"
        db.session.commit()
    assert "Kaffepause" in organiser.get("/programme").get_data(as_text=True)


def test_a_bulk_update_also_invalidates(app, client):
    client.get("/")
    with app.app_context():
        before = current_version()
        db.session.execute(db.update(Event).values(title="Ny tittel"))
        db.session.commit()
        assert current_version() == before + 1
    assert "Ny tittel" in client.get("/").get_data(as_text=True)


def test_a_bulk_insert_also_invalidates(app, client):
    """``session.execute(insert(...), rows)`` bypasses the flush: it raised no version before."""
    assert "Kari Bulkinnlagt" not in client.get("/speakers").get_data(as_text=True)
    with app.app_context():
        event_id = db.session.scalar(db.select(Event.id))
        db.session.execute(insert(Speaker), [{"event_id": event_id, "name": "Kari Bulkinnlagt"}])
        db.session.commit()
    assert "Kari Bulkinnlagt" in client.get("/speakers").get_data(as_text=True)


def test_an_edit_after_a_rolled_back_savepoint_invalidates(app, client):
    """A change undone with its savepoint must not stop a later change in the same transaction
    from raising the version (it used to leave an "already raised" mark behind)."""
    client.get("/programme")
    with app.app_context():
        items = {item.title: item for item in db.session.scalars(db.select(ProgrammeItem))}
        savepoint = db.session.begin_nested()
        items["Lunsj og stands"].title = "Angret lunsj"
        db.session.flush()
        savepoint.rollback()
        items["Pause"].title = "Kaffepause"
        db.session.commit()
    page = client.get("/programme").get_data(as_text=True)
    assert "Kaffepause" in page and "Angret lunsj" not in page


def test_a_change_flushed_before_the_commit_raises_the_version_once(app, client):
    with app.app_context():
        before = current_version()
        item = db.session.scalar(db.select(ProgrammeItem).where(ProgrammeItem.title == "Pause"))
        item.title = "Kaffepause"
        db.session.flush()
        item.description = "Kaffe og frukt i gangen"
        db.session.execute(db.update(Event).values(title="Ny tittel"))
        db.session.commit()
        assert current_version() == before + 1


def test_changes_that_pages_do_not_show_keep_the_cache(app, client):
    from fagkonferanse.accounts.services import create_organiser

    client.get("/stands")
    with app.app_context():
        before = current_version()
        create_organiser("ny@example.no", "et-langt-passord")
        db.session.commit()
        assert current_version() == before


def test_languages_are_cached_apart(client):
    client.get("/stands")
    client.get("/language/en?next=/stands")
    assert "Stand placement" in client.get("/stands").get_data(as_text=True)


def test_on_the_day_the_programme_is_cached_only_until_the_marker_moves(app, client, monkeypatch):
    import datetime as dt

    from fagkonferanse.programme import views

    monkeypatch.setattr(views, "local_now", lambda event: dt.datetime(2016, 11, 9, 10, 40))
    response = client.get("/programme")
    assert response.cache_control.max_age == 15 * 60 + 1  # the break ends at 10.55
    monkeypatch.setattr(views, "local_now", lambda event: dt.datetime(2026, 11, 26, 10, 40))
    assert client.get("/stands").cache_control.max_age is None


def test_the_cache_survives_its_database_connection_breaking(app, client):
    """The page cache keeps one connection of its own: when it dies (the database restarted),
    the next request opens a new one instead of failing."""
    reader = app.extensions["fagkonferanse.pagecache.version"]
    assert client.get("/programme").status_code == 200

    class Dead:
        def exec_driver_sql(self, sql):
            raise OperationalError(sql, {}, Exception("server closed the connection unexpectedly"))

        def invalidate(self):
            pass

    reader.connection = Dead()  # as a database restart leaves it
    assert client.get("/programme").status_code == 200
    assert client.get("/programme").headers.get("X-Page-Cache") == "hit"


def test_every_model_says_whether_it_changes_public_pages(tmp_path):
    """A new model must decide: ``__cache_neutral__ = True`` (no public page shows its rows) or
    ``False``, in its own class body, for the core, every built-in plugin and the throwaway one."""
    make_app(tmp_path, PLUGIN_FOLDERS=[str(Path(__file__).parent / "local_plugins")])
    undecided = sorted(
        f"{mapper.class_.__module__}.{mapper.class_.__qualname__}"
        for mapper in db.Model.registry.mappers
        if not isinstance(mapper.class_.__dict__.get("__cache_neutral__"), bool)
    )
    assert undecided == []
    names = {mapper.class_.__name__ for mapper in db.Model.registry.mappers}
    assert {"ProgrammeItem", "Registration", "ProjectSheet", "BadgePrint", "SiteState"} <= names
