"""Rate limits (Flask-Limiter) on login, registration, check-in scans and poster scans.

A view says which limit it obeys with :func:`limited`; :func:`install` gives each application its
own :class:`flask_limiter.Limiter` and applies the marked limits to its views (one limiter per
application, like the plugin manager: tests get clean counters per app).

The limits, by name — each can be changed with ``RATE_LIMITS = {"register": "40/minute"}`` in
the instance config (any Flask-Limiter rate string, ``"10/minute;100/hour"`` included):

============== ============ ====================================================================
login          10/minute    failed logins per address *and* account (a password guesser)
login-address  50/hour      failed logins per address, whatever the account (account sprayers)
register       20/minute    registrations per address (an office behind one address still fits)
ticket-link    10/minute    "send me my ticket link" requests per address (each address itself
                            gets at most 3 links an hour, counted in the database: registration/links.py)
scan           300/minute   door scans per organiser (a busy door scans about one a second)
checkin-link   60/minute    anonymous visits to a door code's page ``/c/<code>`` per address
visit          120/minute   poster scans counted per address; beyond it the stand page still
                            opens, the visit is just not counted (a venue's wifi is one address)
============== ============ ====================================================================

A refused request gets 429 with a page saying, in Norwegian, to wait a little (JSON for JSON
clients); the registration form and the door page answer with themselves, keeping what was typed.

Storage (``RATELIMIT_STORAGE_URI``): ``memory://``, the default, counts inside each worker
process. With ``serve --production`` and N workers a client can therefore get up to N times a
limit before every worker has refused it, and counts start again when the server restarts —
enough against a script guessing passwords, not an exact quota. When counts must be shared
between workers or machines, point all of them at one store, e.g. ``redis://127.0.0.1:6379``
(install ``limits[redis]``). If that store is unreachable the limits fall back to per-process
memory instead of failing requests.

``RATELIMIT_ENABLED = False`` switches every limit off (load tests from one address do). The
former name ``RATE_LIMIT_ENABLED`` is still read (see ``config.ALIASES``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse_many
from werkzeug.exceptions import HTTPException

EXTENSION_KEY = "fagkonferanse.ratelimits"

DEFAULT_LIMITS = {
    "login": "10/minute",
    "login-address": "50/hour",
    "register": "20/minute",
    "ticket-link": "10/minute",
    "scan": "300/minute",
    "checkin-link": "60/minute",
    "visit": "120/minute",
}

logger = logging.getLogger(__name__)


def client_address() -> str:
    """The client's address (the proxy's X-Forwarded-For when ``BEHIND_PROXY`` is set)."""
    return request.remote_addr or "unknown"


def limit_for(name: str) -> str:
    """The rate string in force for ``name``: the instance's ``RATE_LIMITS`` over the defaults."""
    return {**DEFAULT_LIMITS, **(current_app.config.get("RATE_LIMITS") or {})}.get(name, "")


@dataclass(frozen=True)
class Rule:
    """One named limit on a view: who is counted, which requests, and what a refusal looks like."""

    name: str
    key: Callable[[], str]
    methods: tuple[str, ...] | None
    only_failures: bool
    exempt_when: Callable[[], bool] | None
    refused: Callable[[], Response | tuple] | None


def limited(name: str, *, key: Callable[[], str] = client_address, methods: tuple[str, ...] | None = ("POST",),
            only_failures: bool = False, exempt_when: Callable[[], bool] | None = None,
            refused: Callable[[], Response | tuple] | None = None):
    """Mark a view as obeying the limit ``name`` (applied by :func:`install`).

    ``key`` says who is counted (default: the client's address); ``methods`` which requests
    count (default: posts only, so opening a form is free); ``only_failures`` counts only answers
    of 400 and above (failed logins), though a refusal then blocks every attempt; ``refused``
    builds the answer to a refused request instead of the 429 page.
    """
    rule = Rule(name, key, methods, only_failures, exempt_when, refused)

    def mark(view):
        view.rate_limit_rules = [*getattr(view, "rate_limit_rules", ()), rule]
        return view

    return mark


def install(app: Flask) -> None:
    """Bind a Limiter to ``app``, apply the marked limits, and answer refusals in Norwegian.

    Call after every blueprint is registered: marked views are wrapped in ``app.view_functions``.
    """
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on a refusal
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # a broken store never makes a 500
    limiter = Limiter(key_func=client_address)
    limiter.init_app(app)
    app.extensions[EXTENSION_KEY] = limiter
    for endpoint, view in list(app.view_functions.items()):
        for rule in getattr(view, "rate_limit_rules", ()):
            view = limiter.limit(
                lambda name=rule.name: limit_for(name),
                key_func=rule.key, scope=rule.name,
                methods=list(rule.methods) if rule.methods else None,
                deduct_when=(lambda response: response.status_code >= 400) if rule.only_failures else None,
                exempt_when=rule.exempt_when,
                on_breach=_answer_with(rule.refused) if rule.refused else None,
                error_message=_message_for(rule.name),
            )(view)
        app.view_functions[endpoint] = view
    app.register_error_handler(429, too_many_requests)


def allow(name: str, who: str) -> bool:
    """Count a hit of ``who`` against the limit ``name``; False when over it.

    For limits that do not refuse the request, only what it does (a poster scan beyond the
    limit still opens the stand page but is not counted as a visit).
    """
    limiter: Limiter | None = current_app.extensions.get(EXTENSION_KEY)
    rule = limit_for(name)
    if limiter is None or not (limiter.enabled and limiter.initialized) or not rule:
        return True
    try:
        return all([limiter.limiter.hit(item, name, who) for item in _parsed(rule)])
    except Exception:  # the shared store is down: count nothing rather than fail the request
        logger.exception("rate limit store unavailable for %s", name)
        return True


@functools.lru_cache(maxsize=64)
def _parsed(rule: str) -> tuple:
    return tuple(parse_many(rule))


# --- Refusals ---------------------------------------------------------------------------------


def _message_for(name: str) -> Callable[[], str]:
    def message() -> str:
        if name.startswith("login"):
            return _("For mange mislykkede innlogginger på kort tid. Vent litt før du prøver igjen.")
        return _("Det har kommet for mange forespørsler fra deg på kort tid. Vent et minutt og prøv igjen.")

    return message


def _answer_with(refused: Callable[[], Response | tuple]) -> Callable[[object], Response]:
    def on_breach(_limit: object) -> Response:
        response = make_response(refused())
        response.status_code = 429
        return response

    return on_breach


def wants_json() -> bool:
    """JSON API addresses, and clients that ask for JSON first."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def json_problem(status: int, title: str, detail: str) -> Response:
    """An error as an RFC 9457 problem document, as the JSON API answers its own errors."""
    response = jsonify(type="about:blank", title=title, status=status, detail=detail)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def too_many_requests(error: HTTPException) -> Response | tuple:
    """429: the view's own answer when it has one, else a page (or JSON) saying to wait."""
    if getattr(error, "response", None) is not None:
        return error.response
    if isinstance(error, RateLimitExceeded):
        message = error.description
    else:
        message = _("Det har kommet for mange forespørsler fra deg på kort tid. Vent et minutt og prøv igjen.")
    if wants_json():
        return json_problem(429, "Too Many Requests", message)
    return render_template("errors/429.html", message=message), 429
