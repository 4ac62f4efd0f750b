"""A cache of finished public pages, never stale after an edit.

Between edits the public pages are the same for every anonymous visitor, and the lunch-hour rush
asks for them hundreds of times a second. Each worker process keeps the rendered responses;
a single row, ``site_state.content_version``, is raised in the same transaction as any change to
what pages show, and every request compares it (one indexed read) before serving a cached page.
So an organiser's edit is visible on the next request in every worker, on one machine or many.

Only anonymous GET requests are served from the cache (no cookies but the language choice), and
only responses that touched no session, set no cookie and did not opt out with
``Cache-Control: no-store`` or ``private`` are stored; a page that changes with the clock (the
programme's "now" marker) says how long it holds with ``Cache-Control: max-age``. Models whose changes never alter a cached
page (registrations, visits, the audit log …) say so with ``__cache_neutral__ = True``, so the
lunch-hour stream of registrations and stand visits does not empty the cache.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, request
from sqlalchemy import Integer, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.http import parse_cookie

from .extensions import db
from .i18n import LANGUAGE_COOKIE

MAX_ENTRIES = 2000
UNCACHED_PREFIXES = ("/admin", "/static", "/login", "/logout", "/ticket", "/register", "/c/", "/passport",
                     "/healthz", "/language")


class SiteState(db.Model):
    """One row: the version of everything public pages show."""

    __tablename__ = "site_state"
    __cache_neutral__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_version: Mapped[int] = mapped_column(default=1)


@dataclass(frozen=True)
class CachedPage:
    version: int
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    expires_at: float | None = None  # from Cache-Control max-age: pages that change with the clock


class PageCache:
    """A small thread-safe LRU of rendered responses, one per worker process."""

    def __init__(self, size: int = MAX_ENTRIES):
        self.size = size
        self.entries: OrderedDict[tuple, CachedPage] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple, version: int) -> CachedPage | None:
        with self.lock:
            page = self.entries.get(key)
            expired = page is not None and page.expires_at is not None and page.expires_at <= time.monotonic()
            if page is None or page.version != version or expired:
                self.misses += 1
                return None
            self.entries.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: tuple, page: CachedPage) -> None:
        with self.lock:
            self.entries[key] = page
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


# --- Knowing when content changed ----------------------------------------------------------------


def _changes_content(instance: object) -> bool:
    return not getattr(type(instance), "__cache_neutral__", False)


def bump_version(session: Session) -> None:
    """Raise the content version inside the session's current transaction."""
    session.execute(update(SiteState).where(SiteState.id == 1)
                    .values(content_version=SiteState.content_version + 1))


@event.listens_for(Session, "before_flush")
def _bump_on_flush(session: Session, flush_context, instances) -> None:
    if session.info.get("content_bumped_in_transaction"):
        return
    changed = [*session.new, *session.deleted,
               *(obj for obj in session.dirty if session.is_modified(obj, include_collections=True))]
    if any(_changes_content(obj) for obj in changed):
        session.info["content_bumped_in_transaction"] = True
        bump_version(session)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk_change(state) -> None:
    """Bulk UPDATE/DELETE statements bypass the flush: look at their target instead."""
    if not (state.is_update or state.is_delete) or state.session.info.get("content_bumped_in_transaction"):
        return
    mapper = state.bind_arguments.get("mapper")
    if mapper is None or getattr(mapper.class_, "__cache_neutral__", False):
        return
    state.session.info["content_bumped_in_transaction"] = True
    bump_version(state.session)


@event.listens_for(Session, "after_transaction_end")
def _reset_marker(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("content_bumped_in_transaction", None)


_VERSION = db.select(SiteState.content_version).where(SiteState.id == 1)


def current_version() -> int:
    """The content version as committed now; -1 for a database without the row (never cached)."""
    with db.engine.connect() as connection:
        return _version_on(connection)


class VersionReader:
    """Reads the content version for the page cache on every request, as cheaply as possible.

    One connection per process in autocommit mode (so each read sees the latest commit, on
    PostgreSQL too), kept open and shared under a lock, with the SQL sent as text: the pool
    checkout and statement compilation of an ordinary query cost more than the read itself.
    A broken connection (database restarted) is replaced on the next request.
    """

    SQL = "SELECT content_version FROM site_state WHERE id = 1"

    def __init__(self, engine):
        self.engine = engine
        self.lock = threading.Lock()
        self.connection = None
        self.pid: int | None = None  # a connection never crosses a fork

    def read(self) -> int:
        with self.lock:
            try:
                version = self._query()
            except Exception:  # the kept connection died (database restarted): one more try on a new one
                self._discard()
                version = self._query()
        return -1 if version is None else version

    def _query(self):
        if self.connection is None or self.pid != os.getpid():
            self.connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self.pid = os.getpid()
        return self.connection.exec_driver_sql(self.SQL).scalar()

    def close(self) -> None:
        """Close the connection (before forking: a child must not share it)."""
        with self.lock:
            if self.connection is not None and self.pid == os.getpid():
                self.connection.close()
            self.connection = None

    def _discard(self) -> None:
        if self.connection is not None and self.pid == os.getpid():
            try:
                self.connection.invalidate()
            except Exception:  # already gone with the database
                pass
        self.connection = None


# --- Serving ----------------------------------------------------------------------------------------

KEY_ENV = "fagkonferanse.pagecache.key"
STORE_ENV = "fagkonferanse.pagecache.store"


def install(app: Flask) -> None:
    """Answer cache hits in front of Flask; let Flask mark which fresh answers may be stored.

    A hit is answered by a WSGI middleware before Flask builds a request context: the lunch-hour
    rush is mostly hits, and running the whole Flask request cycle for each took four times as
    long as the lookup. The stored answer is the final one — status and every header Flask and
    its after-request functions produced — so a hit looks exactly like the miss it came from.
    """
    if app.config.get("PAGE_CACHE") is False:
        return
    cache = PageCache()
    app.extensions["fagkonferanse.pagecache"] = cache
    with app.app_context():
        engine = db.engine
    app.wsgi_app = CachingMiddleware(app.wsgi_app, cache, engine)
    app.extensions["fagkonferanse.pagecache.version"] = app.wsgi_app.version

    @app.after_request
    def mark_storable(response: Response) -> Response:
        version = request.environ.get(KEY_ENV, (None, -1))[1]
        if version >= 0 and request.method == "GET" and _storable(response):
            max_age = response.cache_control.max_age
            request.environ[STORE_ENV] = time.monotonic() + max_age if max_age is not None else None
            response.headers["X-Page-Cache"] = "miss"
        return response


class CachingMiddleware:
    """The WSGI side of the page cache: hits answered at once, storable misses kept."""

    def __init__(self, wsgi_app, cache: PageCache, engine):
        self.wsgi_app = wsgi_app
        self.cache = cache
        self.version = VersionReader(engine)

    def __call__(self, environ: dict, start_response):
        key = _cache_key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        version = self.version.read()
        page = self.cache.get(key, version) if version >= 0 else None
        if page is not None:
            start_response(page.status, page.headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [page.body]
        environ[KEY_ENV] = (key, version)
        answer: dict = {}

        def remember_start(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, remember_start)
        if STORE_ENV not in environ or "status" not in answer or any(
                name.lower() == "set-cookie" for name, _value in answer["headers"]):  # set after the check
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = [(name, "hit" if name == "X-Page-Cache" else value) for name, value in answer["headers"]]
        self.cache.put(key, CachedPage(version, answer["status"], headers, content, environ[STORE_ENV]))
        return [content]


def request_content_version() -> int:
    """The content version this request is answered at: read once, by the page cache if it looked."""
    looked = request.environ.get(KEY_ENV)
    return looked[1] if looked is not None else current_version()


def _version_on(connection) -> int:
    version = connection.execute(_VERSION).scalar()
    return -1 if version is None else version


def _cache_key(environ: dict) -> tuple | None:
    """What makes two requests get the same page, or None for requests never cached.

    Read from the raw request: this runs for every request of the rush, before Flask. The Accept
    header counts as sent (browsers send a few fixed strings), so a JSON client never gets the
    HTML page; the raw scheme and X-Forwarded-Proto are part of it, as behind a proxy the HTTPS
    pages carry Strict-Transport-Security and plain-HTTP ones do not.
    """
    path = environ.get("PATH_INFO") or "/"
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or path.startswith(UNCACHED_PREFIXES):
        return None
    if environ.get("HTTP_AUTHORIZATION"):
        return None
    language = ""
    if environ.get("HTTP_COOKIE"):
        cookies = parse_cookie(environ)
        if set(cookies) - {LANGUAGE_COOKIE}:
            return None
        language = cookies.get(LANGUAGE_COOKIE, "")
    return (path, environ.get("QUERY_STRING", ""), language, environ.get("HTTP_ACCEPT", ""),
            environ.get("wsgi.url_scheme"), environ.get("HTTP_X_FORWARDED_PROTO", ""))


def _storable(response: Response) -> bool:
    cache_control = response.headers.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and "Cookie" not in response.headers.get("Vary", "")
        and "no-store" not in cache_control
        and "private" not in cache_control
    )


def close_connections(app: Flask) -> None:
    """Close the page cache's own database connection, e.g. before gunicorn forks its workers."""
    reader = app.extensions.get("fagkonferanse.pagecache.version")
    if reader is not None:
        reader.close()
