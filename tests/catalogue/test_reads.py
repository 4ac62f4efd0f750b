"""Reads of project sheets: counted anonymously, cached pages too, and given to the report."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from sqlalchemy import inspect

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.stands.services import stand_by_slug

from ..conftest import make_app
from .conftest import sheet

MOSS = "/catalogue/jobbsjansen-i-moss"
BROWSER = {"Accept": "text/html", "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"}


def reads_module():
    return sys.modules["fagkonferanse_plugins.catalogue.reads"]


def read_model():
    return sys.modules["fagkonferanse_plugins.catalogue.models"].SheetRead


def reads_of(app, slug: str) -> int:
    """Every read of the sheet written to the table so far."""
    with app.app_context():
        total = db.session.scalar(db.select(db.func.coalesce(db.func.sum(read_model().reads), 0))
                                  .where(read_model().sheet_id == sheet(slug).id))
        db.session.remove()
    return total


def report(app, stand_slug: str | None = None):
    with app.app_context():
        event = current_event()
        stand = stand_by_slug(event, stand_slug) if stand_slug else None
        tables = app.extensions["fagkonferanse.plugins"].hook.report_tables(event=event, stand=stand)
        found = [table for answer in tables for table in answer if table.key == "catalogue-reads"]
        db.session.remove()
    return found


def test_opening_a_sheet_counts_one_read(app):
    client = app.test_client(use_cookies=False)
    assert client.get(MOSS, headers=BROWSER).status_code == 200
    assert reads_of(app, "jobbsjansen-i-moss") == 1
    assert reads_of(app, "moss-housing-first") == 0


def test_a_page_from_the_cache_still_counts_and_the_cache_is_kept(app):
    client = app.test_client(use_cookies=False)
    first = client.get(MOSS, headers=BROWSER)
    again = [client.get(MOSS, headers=BROWSER) for _ in range(3)]
    assert first.headers["X-Page-Cache"] == "miss"
    assert [response.headers["X-Page-Cache"] for response in again] == ["hit", "hit", "hit"]
    assert all(response.get_data() == first.get_data() for response in again)
    # Writing the counts raises no content version: the kept page is still served.
    assert reads_of(app, "jobbsjansen-i-moss") == 4
    assert client.get(MOSS, headers=BROWSER).headers["X-Page-Cache"] == "hit"
    assert reads_of(app, "jobbsjansen-i-moss") == 5


def test_head_requests_and_crawlers_are_not_reads_cached_or_not(app):
    client = app.test_client(use_cookies=False)
    crawler = {**BROWSER, "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}
    assert client.get(MOSS, headers=crawler).headers["X-Page-Cache"] == "miss"
    assert client.get(MOSS, headers=crawler).headers["X-Page-Cache"] == "hit"
    assert client.get(MOSS, headers={**BROWSER, "User-Agent": "Baiduspider"}).status_code == 200
    assert client.head(MOSS, headers=BROWSER).status_code == 200
    assert reads_of(app, "jobbsjansen-i-moss") == 0
    assert client.get(MOSS, headers=BROWSER).status_code == 200
    assert reads_of(app, "jobbsjansen-i-moss") == 1


def test_an_organisers_view_does_not_count(app, admin_client):
    response = admin_client.get(MOSS, headers=BROWSER)
    assert response.status_code == 200 and "X-Page-Cache" not in response.headers
    assert reads_of(app, "jobbsjansen-i-moss") == 0


def test_a_missing_or_hidden_sheet_is_no_read(app):
    client = app.test_client(use_cookies=False)
    assert client.get("/catalogue/finnes-ikke", headers=BROWSER).status_code == 404
    with app.app_context():
        sheet("moss-housing-first").status = "hidden"
        db.session.commit()
    assert client.get("/catalogue/moss-housing-first", headers=BROWSER).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(read_model().id))) == 0


def test_reads_wait_in_the_process_and_go_to_the_job_engine_as_one_task(instance):
    app = make_app(instance, CATALOGUE_READ_BATCH_SECONDS=3600)
    client = app.test_client(use_cookies=False)
    for path in (MOSS, MOSS, MOSS, "/catalogue/moss-housing-first"):
        assert client.get(path, headers=BROWSER).status_code == 200
    counter = app.extensions[reads_module().COUNTER_KEY]
    assert counter.waiting == 4 and reads_of(app, "jobbsjansen-i-moss") == 0
    assert counter.hand_off() == 4 and counter.hand_off() == 0
    assert (reads_of(app, "jobbsjansen-i-moss"), reads_of(app, "moss-housing-first")) == (3, 1)
    client.get(MOSS, headers=BROWSER)
    counter.oldest -= 3600  # its time is up: the next request of the process hands it over
    client.get("/catalogue", headers=BROWSER)
    assert counter.waiting == 0 and reads_of(app, "jobbsjansen-i-moss") == 4


def test_a_batch_adds_to_the_hours_rows_and_drops_the_reads_of_a_deleted_sheet(ctx):
    write_reads = reads_module().write_reads
    moss, housing = sheet("jobbsjansen-i-moss"), sheet("moss-housing-first")
    ten, eleven = dt.datetime(2016, 11, 9, 9), dt.datetime(2016, 11, 9, 10)
    assert write_reads([(moss.event_id, moss.id, ten, 3), (moss.event_id, housing.id, ten, 2)]) == 5
    assert write_reads([(moss.event_id, moss.id, ten, 4), (moss.event_id, moss.id, eleven, 1),
                        (moss.event_id, 999_999, ten, 7)]) == 5
    rows = db.session.execute(db.select(read_model().sheet_id, read_model().hour, read_model().reads)
                              .order_by(read_model().sheet_id, read_model().hour)).all()
    assert sorted(rows) == sorted([(moss.id, ten, 7), (moss.id, eleven, 1), (housing.id, ten, 2)])


def test_the_report_lists_the_most_read_sheets_with_their_counts(app):
    client = app.test_client(use_cookies=False)
    for path, times in ((MOSS, 3), ("/catalogue/halden-en-dor-inn", 5), ("/catalogue/moss-housing-first", 1)):
        for _ in range(times):
            client.get(path, headers=BROWSER)
    [table] = report(app)
    assert (table.title, table.columns, table.chart, table.order) == (
        "Mest leste prosjektark", ("Prosjektark", "Lesninger"), "bars", 70)
    with app.app_context():
        names = [sheet(slug).project_name for slug in ("halden-en-dor-inn", "jobbsjansen-i-moss", "moss-housing-first")]
    assert table.rows == ((names[0], 5), (names[1], 3), (names[2], 1))


def test_an_exhibitor_sees_only_its_own_stands_sheets(app):
    client = app.test_client(use_cookies=False)
    for path in (MOSS, MOSS, "/catalogue/halden-en-dor-inn"):
        client.get(path, headers=BROWSER)
    [table] = report(app, "moss-kommune")
    assert table.title == "Lesninger av standens prosjektark"
    with app.app_context():
        names = {sheet(slug).project_name: slug for slug in ("jobbsjansen-i-moss", "moss-housing-first",
                                                               "moss-bedre-norskopplaering-for-spor-1-elever-mal-og")}
    assert table.rows[0] == ("Jobbsjansen i Moss", 2)
    assert sorted(table.rows[1:]) == sorted((name, 0) for name in names if name != "Jobbsjansen i Moss")
    assert report(app, "husbanken") == []  # a stand without sheets has no table


def test_no_reads_yet_gives_an_empty_table_and_the_english_report_is_translated(app):
    [table] = report(app)
    assert table.rows == ()
    with app.test_request_context("/?lang=en"), app.app_context():
        from flask_babel import force_locale

        with force_locale("en"):
            tables = app.extensions["fagkonferanse.plugins"].hook.report_tables(event=current_event(), stand=None)
        [english] = [found for answer in tables for found in answer if found.key == "catalogue-reads"]
    assert (english.title, english.columns) == ("Most read project sheets", ("Project sheet", "Reads"))


def test_the_table_holds_counts_and_nothing_about_the_reader(ctx):
    columns = {column["name"] for column in inspect(db.engine).get_columns("catalogue_sheet_reads")}
    assert columns == {"id", "sheet_id", "event_id", "hour", "reads"}
    assert read_model().__cache_neutral__ is True


@pytest.mark.parametrize("agent, crawler", [
    ("Mozilla/5.0 (compatible; bingbot/2.0)", True), ("Mozilla/5.0 (compatible; YandexSpider)", True),
    ("ia_archiver crawler", True), ("Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari", False),
    ("", False),
])
def test_crawlers_are_told_by_their_user_agent(agent, crawler):
    assert reads_module().is_crawler(agent) is crawler
