"""What makes two requests get the same page: the page cache's key, read from the raw request.

It runs for every request of the rush, before Flask, so it reads the WSGI environ directly and
decides from it alone — no database, no session:

* Cookies by name only (:mod:`fagkonferanse.cookies`). A personal cookie (an organiser's login, a
  message waiting to be shown) means "render it for this visitor"; the language cookie is part
  of the key; every other cookie — Flask's session with an anonymous visitor's CSRF token, the
  stand passport, anything unknown — is ignored, because a page whose render reads the session is
  never stored (see :func:`fagkonferanse.pagecache.storable`).
* Query parameters by declaration. A public page names the parameters it reads with
  :func:`reads_query`; the others are removed from the request before Flask sees it, so
  ``/programme?x=1`` is the ``/programme`` page — the same cache entry, and the same HTML (the
  language link echoes the address) — and junk parameters cannot fill the cache.
"""

from __future__ import annotations

from operator import itemgetter
from urllib.parse import parse_qsl, urlencode

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.sansio.http import parse_cookie

from ..cookies import LANGUAGE_COOKIE, PERSONAL_COOKIES

# Never cached, and their query parameters are their own business: forms, tickets, organisers.
UNCACHED_PREFIXES = ("/admin", "/static", "/login", "/logout", "/ticket", "/register", "/c/", "/passport",
                     "/healthz", "/language")
QUERY_ATTRIBUTE = "page_cache_query_parameters"


def reads_query(*names: str):
    """Declare the query parameters a public page reads; the page cache removes every other one.

    ``@reads_query("q", "owner")`` under the route decorator. A public GET view without it sees
    no query parameters at all, cached or not, so a parameter that was forgotten here shows at
    once, not only when a page happens to come from the cache.
    """
    def mark(view):
        setattr(view, QUERY_ATTRIBUTE, frozenset(names))
        return view

    return mark


def is_cacheable_path(environ: dict) -> bool:
    """GET and HEAD requests outside the never-cached areas."""
    return (environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and not (environ.get("PATH_INFO") or "/").startswith(UNCACHED_PREFIXES))


class QueryParameters:
    """Which query parameters each path's page reads, from its view's :func:`reads_query`.

    The path is matched against the URL map once and remembered (a bounded number of paths:
    made-up stand addresses must not grow it for ever).
    """

    MAX_PATHS = 5000

    def __init__(self, app: Flask):
        self.app = app
        self.by_path: dict[str, frozenset[str] | None] = {}

    def canonicalise(self, environ: dict) -> bool:
        """Keep only the parameters the page reads, in ``environ``; False when unsure (a redirect)."""
        names = self.of(environ)
        if names is None:
            return False
        query = environ.get("QUERY_STRING", "")
        if query:
            environ["QUERY_STRING"] = canonical_query(query, names)
        return True

    def of(self, environ: dict) -> frozenset[str] | None:
        path = environ.get("PATH_INFO") or "/"
        try:
            return self.by_path[path]
        except KeyError:
            pass
        names = self._look_up(environ)
        if len(self.by_path) >= self.MAX_PATHS:
            self.by_path.clear()
        self.by_path[path] = names
        return names

    def _look_up(self, environ: dict) -> frozenset[str] | None:
        try:
            rule, _arguments = self.app.url_map.bind_to_environ(environ).match(return_rule=True)
        except RequestRedirect:  # e.g. a missing trailing slash: Flask redirects, keeping the query
            return None
        except HTTPException:  # no such page: the 404 reads nothing
            return frozenset()
        return getattr(self.app.view_functions.get(rule.endpoint), QUERY_ATTRIBUTE, frozenset())


def canonical_query(query: str, names: frozenset[str]) -> str:
    """The query string with only ``names``, sorted by name (each name's values in their order).

    Decoded as Werkzeug decodes ``request.args`` (the WSGI string is Latin-1 of the raw bytes,
    which are UTF-8) and encoded again in one spelling, so equal parameters give equal keys.
    """
    if not names:
        return ""
    decoded = query.encode("latin-1").decode("utf-8", "replace")
    kept = [(name, value) for name, value in parse_qsl(decoded, keep_blank_values=True, errors="replace")
            if name in names]
    return urlencode(sorted(kept, key=itemgetter(0)))


def visitor_language(environ: dict, languages, default: str) -> str | None:
    """The language a page is shown in, from the cookies; None when a personal cookie is present.

    As :func:`fagkonferanse.i18n.select_locale` chooses: an unknown value is the default
    language, so made-up values share the default's entries.
    """
    header = environ.get("HTTP_COOKIE")
    if not header:
        return default
    cookies = parse_cookie(header)  # Werkzeug's parser, so the names are those Flask will see
    if not PERSONAL_COOKIES.isdisjoint(cookies.keys()):
        return None
    chosen = cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in languages else default
