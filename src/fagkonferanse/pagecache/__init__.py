"""A cache of finished public pages, never stale after an edit, that serves every visitor.

Between edits the public pages are the same for every visitor, and the lunch-hour rush asks for
them hundreds of times a second. Each worker process keeps the rendered responses; a single row,
``site_state.content_version``, is raised by every commit that changes what pages show
(:mod:`.content_version`), and every request compares it (one indexed read) before serving a
cached page. So an organiser's edit is visible on the next request in every worker, on one
machine or many.

Who gets a cached page is decided from the request alone (:mod:`.keys`): GET requests outside
the organisers' and visitors' own areas, unless they carry a personal cookie (an organiser's
login, a message waiting to be shown). A visitor's session cookie with a CSRF token does not
count, because what is stored is safe for everyone: only a 200 whose render read no session
(Flask then adds ``Vary: Cookie``), set no cookie and did not opt out with ``Cache-Control:
no-store`` or ``private``. A page that changes with the clock (the programme's "now" marker) says
how long it holds with ``Cache-Control: max-age``.

An answer that does something besides answering — a poster scan counts a visit, then sends the
phone to the stand page; a project sheet counts a read — can be kept too, with what it does: the
view hands :func:`replay_with` a function of the WSGI environ, and later requests for the same
address get the kept answer after that function has done its work, without the Flask request
cycle. The function may decline (the request needs the full view, e.g. a stand passport to
stamp), and the view runs as usual.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from functools import cached_property

from flask import Flask, current_app, request
from werkzeug.http import parse_cache_control_header

from ..extensions import db
from .content_version import SiteState, VersionReader, current_version, note_content_changed
from .keys import QueryParameters, is_cacheable_path, reads_query, visitor_language

__all__ = ["SiteState", "close_connections", "current_version", "derived", "install", "note_content_changed",
           "reads_query", "replay_with", "request_content_version"]

MAX_PAGES = 2000  # pages at their plain address
MAX_QUERIED_PAGES = 500  # searches and filters: many, and each rarely asked for again
MAX_STORED_BYTES = 2 * 1024 * 1024
VERSION_ENV = "fagkonferanse.pagecache.version"
REPLAY_ENV = "fagkonferanse.pagecache.replay"
DERIVED_KEY = "fagkonferanse.pagecache.derived"
MAX_DERIVED = 256  # a few pages × languages × moments of the day; beyond that, start again
T = TypeVar("T")


@dataclass(frozen=True)
class CachedPage:
    version: int
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    expires_at: float | None = None  # from Cache-Control max-age: pages that change with the clock
    replay: Callable[[dict], bool] | None = None  # what a kept redirect does before it is sent again

    @cached_property
    def etag(self) -> str | None:
        """The page's ETag, if its view gave one: a browser holding it gets "304 Not Modified"."""
        return next((value for name, value in self.headers if name.lower() == "etag"), None)

    @cached_property
    def revalidation_headers(self) -> list[tuple[str, str]]:
        """What a 304 repeats of the page's headers (RFC 9110 §15.4.5), without the body's."""
        return [(name, value) for name, value in self.headers
                if name.lower() not in ("content-length", "content-type")]


class PageCache:
    """A small thread-safe LRU of rendered responses, one per worker process."""

    def __init__(self, size: int):
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


def install(app: Flask) -> None:
    """Answer cache hits in front of Flask, and keep the fresh answers that are safe to share.

    A hit is answered by a WSGI middleware before Flask builds a request context: the lunch-hour
    rush is mostly hits, and running the whole Flask request cycle for each took four times as
    long as the lookup. The stored answer is the final one — status and every header Flask and
    its after-request functions produced — so a hit looks exactly like the miss it came from.
    Call it last in ``create_app``: it reads every view's :func:`reads_query`.
    """
    if app.config.get("PAGE_CACHE") is False:
        return
    with app.app_context():
        engine = db.engine
    middleware = CachingMiddleware(app, engine)
    app.wsgi_app = middleware
    app.extensions["fagkonferanse.pagecache"] = middleware
    app.extensions["fagkonferanse.pagecache.version"] = middleware.version


class CachingMiddleware:
    """The WSGI side of the page cache: hits answered at once, storable misses kept."""

    def __init__(self, app: Flask, engine):
        self.wsgi_app = app.wsgi_app
        self.pages = PageCache(MAX_PAGES)
        self.queried = PageCache(MAX_QUERIED_PAGES)  # apart: junk searches cannot evict the pages
        self.version = VersionReader(engine)
        self.query_parameters = QueryParameters(app)
        self.languages = frozenset(app.config["LANGUAGES"])
        self.default_language = app.config["BABEL_DEFAULT_LOCALE"]

    def __call__(self, environ: dict, start_response):
        if not is_cacheable_path(environ) or not self.query_parameters.canonicalise(environ):
            return self.wsgi_app(environ, start_response)
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        version = self.version.read()
        environ[VERSION_ENV] = version
        cache = self.queried if environ.get("QUERY_STRING") else self.pages
        page = cache.get(key, version) if version >= 0 else None
        if page is not None and page.replay is not None and not page.replay(environ):
            return self.wsgi_app(environ, start_response)  # declined: the view answers this one
        if page is not None:
            if page.etag is not None and environ.get("HTTP_IF_NONE_MATCH") == page.etag:
                start_response("304 Not Modified", page.revalidation_headers)
                return []
            start_response(page.status, page.headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [page.body]
        if version < 0 or environ["REQUEST_METHOD"] != "GET":
            return self.wsgi_app(environ, start_response)
        return self._render_and_keep(environ, start_response, cache, key, version)

    def _key(self, environ: dict) -> tuple | None:
        """What makes two requests get the same page, or None when this one is rendered for its visitor.

        The Accept header counts as sent (browsers send a few fixed strings), so a JSON client
        never gets the HTML page; the raw scheme and X-Forwarded-Proto are part of it, as behind a
        proxy the HTTPS pages carry Strict-Transport-Security and plain-HTTP ones do not. The
        script root is too: an archive's ``/arkiv/<slug>/programme`` reaches here as the path
        ``/programme`` under its own script root (:mod:`fagkonferanse.events.archive`).
        """
        if environ.get("HTTP_AUTHORIZATION"):
            return None
        language = visitor_language(environ, self.languages, self.default_language)
        if language is None:
            return None
        return (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO") or "/", environ.get("QUERY_STRING", ""),
                language,
                environ.get("HTTP_ACCEPT", ""), environ.get("wsgi.url_scheme"),
                environ.get("HTTP_X_FORWARDED_PROTO", ""))

    def _render_and_keep(self, environ: dict, start_response, cache: PageCache, key: tuple, version: int):
        kept: dict = {}

        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            replay = environ.get(REPLAY_ENV)
            if exc_info is None and (storable(status, headers) if replay is None else replayable(status, headers)):
                headers = [*headers, ("X-Page-Cache", "miss")]
                kept.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, start)
        if not kept:
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = [(name, "hit" if name == "X-Page-Cache" else value) for name, value in kept["headers"]]
        cache.put(key, CachedPage(version, kept["status"], headers, content, _expiry(headers), environ.get(REPLAY_ENV)))
        return [content]


def storable(status: str, headers: list[tuple[str, str]]) -> bool:
    """Whether a final answer is the same for every visitor and may be served to any of them.

    Judged on the headers as they leave Flask: its session interface adds ``Vary: Cookie`` (the
    render read the session: a CSRF token, a flashed message) and ``Set-Cookie`` after the
    after-request functions have run.
    """
    if not status.startswith("200 "):
        return False
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie":
            return False
        if name == "vary" and "cookie" in value.lower():
            return False
        if name == "cache-control" and ("no-store" in value or "private" in value):
            return False
        if name == "content-length" and int(value) > MAX_STORED_BYTES:
            return False
    return True


def replayable(status: str, headers: list[tuple[str, str]]) -> bool:
    """Whether an answer that marked itself with :func:`replay_with` may be sent again to anyone:
    a page (200) or a redirect (303) that set no cookie and read no session."""
    if status.startswith("303 "):
        status = "200 " + status[4:]
    return storable(status, headers)


def replay_with(action: Callable[[dict], bool]) -> None:
    """Keep this request's page (200) or redirect (303) in the page cache, sent again after
    ``action(environ)`` has done what the view does besides answering; ``action`` returns False to
    let the view run. A HEAD request or a browser's revalidation (answered 304) runs it too.

    The action runs before Flask, outside any request or application context, and must be
    thread-safe. It is forgotten with the page when the content version changes.
    """
    request.environ[REPLAY_ENV] = action


def _expiry(headers: list[tuple[str, str]]) -> float | None:
    for name, value in headers:
        if name.lower() == "cache-control":
            max_age = parse_cache_control_header(value).max_age
            if max_age is not None:
                return time.monotonic() + max_age
    return None


def derived(key: tuple, build: Callable[[], T]) -> T:
    """A value worked out from the public content — the day's programme as plain data, a rendered
    list of items, an index of stands — kept in this process until the content version changes.

    The same rule as the cached pages, for the pieces of pages the cache cannot serve whole (an
    organiser's view, a page with a message waiting, the first request after an edit, a poster
    scan): every commit that changes content raises the version (:mod:`.content_version`), so a
    derived value is never older than a cached page. ``key`` names the value and everything it
    depends on besides the content (the language, the moment's "now" …).
    """
    version = request_content_version()
    if version < 0:
        return build()
    store = current_app.extensions.get(DERIVED_KEY)
    if store is None or store[0] != version:
        store = (version, {})
        current_app.extensions[DERIVED_KEY] = store
    values = store[1]
    if key in values:
        return values[key]
    value = build()
    if len(values) >= MAX_DERIVED:
        values.clear()
    values[key] = value
    return value


def request_content_version() -> int:
    """The content version this request is answered at: read once, by the page cache if it looked."""
    version = request.environ.get(VERSION_ENV)
    if version is None:
        reader = current_app.extensions.get("fagkonferanse.pagecache.version")
        version = reader.read() if reader is not None else current_version()
        request.environ[VERSION_ENV] = version
    return version


def close_connections(app: Flask) -> None:
    """Close the page cache's own database connection, e.g. before gunicorn forks its workers."""
    reader = app.extensions.get("fagkonferanse.pagecache.version")
    if reader is not None:
        reader.close()
