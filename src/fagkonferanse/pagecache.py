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

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, g, request
from sqlalchemy import Integer, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

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
    """The content version as committed now, read on a pooled connection of its own.

    Every public request asks, so it skips the ORM session (a third of a cache hit's time).
    """
    with db.engine.connect() as connection:
        version = connection.execute(_VERSION).scalar()
    if version is None:  # the row is created by the migration; a database without it never caches
        return -1
    return version


# --- Serving ----------------------------------------------------------------------------------------


def install(app: Flask) -> None:
    if app.config.get("PAGE_CACHE") is False:
        return
    cache = PageCache()
    app.extensions["fagkonferanse.pagecache"] = cache

    def serve_cached() -> Response | None:
        key = _cache_key()
        if key is None:
            return None
        g.page_cache_key = key
        g.page_cache_version = version = current_version()
        page = cache.get(key, version) if version >= 0 else None
        if page is None:
            return None
        response = Response(page.body, status=page.status, headers=page.headers)
        response.headers["X-Page-Cache"] = "hit"
        return response

    # First of all before-request functions: a hit needs none of the others (the organisers'
    # guard, CSRF and rate limits concern /admin, forms and posts, which are never cached).
    app.before_request_funcs.setdefault(None, []).insert(0, serve_cached)

    @app.after_request
    def store(response: Response) -> Response:
        key = g.pop("page_cache_key", None)
        if key is None or response.headers.get("X-Page-Cache") == "hit":
            return response
        if _storable(response) and g.get("page_cache_version", -1) >= 0:
            max_age = response.cache_control.max_age
            expires_at = time.monotonic() + max_age if max_age is not None else None
            cache.put(key, CachedPage(g.page_cache_version, response.status_code,
                                      list(response.headers.items()), response.get_data(), expires_at))
            response.headers["X-Page-Cache"] = "miss"
        return response


def _cache_key() -> tuple | None:
    if request.method not in ("GET", "HEAD") or request.path.startswith(UNCACHED_PREFIXES):
        return None
    if set(request.cookies) - {LANGUAGE_COOKIE} or request.authorization:
        return None
    return (request.full_path, request.cookies.get(LANGUAGE_COOKIE, ""), request.accept_mimetypes.best or "")


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
