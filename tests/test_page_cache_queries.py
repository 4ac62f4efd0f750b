"""Query parameters: the ones a page reads make their own pages, the others are not there at all."""

from __future__ import annotations

from fagkonferanse.checkin.models import StandVisit
from fagkonferanse.extensions import db


def cache_header(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def stored_pages(app) -> int:
    middleware = app.extensions["fagkonferanse.pagecache"]
    return len(middleware.pages.entries) + len(middleware.queried.entries)


def test_unread_parameters_get_the_plain_page_and_add_no_entry(app, client):
    plain = client.get("/programme")
    assert cache_header(plain) == "miss"
    for number in range(1, 30):
        response = client.get(f"/programme?x={number}&utm_source=plakat")
        assert cache_header(response) == "hit" and response.get_data() == plain.get_data()
    assert stored_pages(app) == 1


def test_the_page_never_echoes_a_parameter_it_does_not_read(client):
    """The language link echoes the address: rendered with ?x=1, it shows the plain one."""
    page = client.get("/speakers?x=1").get_data(as_text=True)
    assert 'href="/language/en?next=/speakers"' in page and "x=1" not in page
    assert cache_header(client.get("/speakers")) == "hit"


def test_catalogue_filters_give_their_own_pages(app, client):
    everything = client.get("/catalogue").get_data(as_text=True)
    assert "19 prosjekter" in everything and "Housing First" in everything
    moss = client.get("/catalogue?owner=moss-kommune&scheme=jobbsjansen")
    body = moss.get_data(as_text=True)
    assert cache_header(moss) == "miss"
    assert "1 av 19 prosjekter" in body and "Jobbsjansen i Moss" in body and "Housing First" not in body
    assert "next=/catalogue?owner%3Dmoss-kommune%26scheme%3Djobbsjansen" in body
    # The same filters in another order, with a junk parameter: the same page, from the cache.
    again = client.get("/catalogue?x=1&scheme=jobbsjansen&owner=moss-kommune")
    assert cache_header(again) == "hit" and again.get_data() == moss.get_data()
    search = client.get("/catalogue?q=BARNEFATTIGDOM")
    assert "Forebygging og bekjempelse av barnefattigdom" in search.get_data(as_text=True)
    assert cache_header(client.get("/catalogue")) == "hit"
    assert stored_pages(app) == 3


def test_searches_cannot_push_the_pages_out(app, client):
    app.extensions["fagkonferanse.pagecache"].queried.size = 3
    client.get("/catalogue")
    for word in ("bolig", "barn", "jobb", "helse", "skole"):
        assert client.get(f"/catalogue?q={word}").status_code == 200
    assert cache_header(client.get("/catalogue")) == "hit"


def test_every_poster_scan_counts(app, client):
    assert cache_header(client.get("/stands/moss-kommune")) == "miss"
    for path in ["/stands/moss-kommune?from=poster"] * 3 + ["/stands/moss-kommune?x=1&from=poster"]:
        scan = client.get(path)
        assert scan.status_code == 303 and scan.headers["Location"] == "/stands/moss-kommune?fra=plakat"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StandVisit.id))) == 4
    assert cache_header(client.get("/stands/moss-kommune?from=somewhere")) == "miss"  # read, but not a scan
    assert cache_header(client.get("/stands/moss-kommune")) == "hit"
