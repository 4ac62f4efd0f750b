"""Flask's cookie session, made to say truthfully whether a page depends on it.

The page cache shares a page between visitors only when its answer did not read the session:
Flask then leaves out ``Vary: Cookie`` (see :func:`fagkonferanse.pagecache.storable`). Since
Flask 3.1 every touch of the ``session`` proxy counts as reading it, and two touches that do not
make a page personal came with every page:

* the base template looks for flashed messages on every page. Here it looks in the session
  object itself (not through the proxy), and only reads them when there are some;
* after-request functions tidy cookies (Flask-Login's remember cookie). Reads after the answer
  is complete no longer count; a cookie they set still keeps the answer out of the cache;
* Flask-Login's context processor loaded the organiser for every template, reading the session
  (and, with "strong" session protection, rewriting a visitor's CSRF session on every page).
  Templates get its lazy ``current_user`` instead, which reads the session only where a template
  uses it (the organisers' pages).

And a flashed message must reach its visitor even when the next page is one the cache serves
to everyone: while one waits in the session, the response sets the ``fk_notice`` cookie, which
the cache sees by name (:mod:`fagkonferanse.cookies`), so that page is rendered for the visitor
and shows it; once the messages are shown, the cookie is removed.
"""

from __future__ import annotations

import flask
import flask_login
from flask import Flask, Request, Response, g, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login.utils import _user_context_processor

from .cookies import NOTICE_COOKIE

FLASHES = "_flashes"  # where Flask keeps flashed messages in the session
SESSION_ENV = "fagkonferanse.session"  # the request's session object, reachable without the proxy


class VisitorSession(SecureCookieSession):
    """A cookie session whose ``accessed`` (→ ``Vary: Cookie``) stops counting once the answer is built."""

    answered = False
    _accessed = False

    @property
    def accessed(self) -> bool:
        return self._accessed

    @accessed.setter
    def accessed(self, value: bool) -> None:
        if not self.answered:
            self._accessed = value


class VisitorSessionInterface(SecureCookieSessionInterface):
    session_class = VisitorSession

    def open_session(self, app: Flask, request: Request) -> VisitorSession | None:
        opened = super().open_session(app, request)
        request.environ[SESSION_ENV] = opened
        return opened


def install(app: Flask) -> None:
    """Use the session above, show flashed messages through it, and keep ``fk_notice`` current.

    Call it after every other extension: its after-request function must run first (Flask runs
    them last-registered first), so that what the others read is not counted.
    """
    app.session_interface = VisitorSessionInterface()
    app.jinja_env.globals["get_flashed_messages"] = get_flashed_messages
    _load_organiser_lazily(app)
    app.after_request(_mark_answered)
    app.after_request(mark_waiting_notice)


def _load_organiser_lazily(app: Flask) -> None:
    """Swap Flask-Login's eager ``current_user`` context processor for its lazy proxy."""
    processors = app.template_context_processors[None]
    if _user_context_processor in processors:
        processors[processors.index(_user_context_processor)] = _lazy_current_user


def _lazy_current_user() -> dict:
    return {"current_user": flask_login.current_user}


def _own_session() -> VisitorSession | None:
    return request.environ.get(SESSION_ENV)


def messages_waiting() -> bool:
    """Whether flashed messages wait in the session, found without counting as reading it."""
    own = _own_session()
    return own is not None and FLASHES in own


def get_flashed_messages(with_categories: bool = False, category_filter=()):
    """Flask's ``get_flashed_messages`` for templates, reading the session only when messages wait."""
    if not (g.get("fagkonferanse_flashes_read") or messages_waiting()):
        return []
    g.fagkonferanse_flashes_read = True  # later calls in this request get the same messages, as in Flask
    return flask.get_flashed_messages(with_categories, category_filter)


def _mark_answered(response: Response) -> Response:
    own = _own_session()
    if own is not None:
        own.answered = True
    return response


def mark_waiting_notice(response: Response) -> Response:
    """Set ``fk_notice`` while messages wait; remove it once they have been shown."""
    waiting = messages_waiting()
    carried = NOTICE_COOKIE in request.cookies
    if waiting and not carried:
        # No Max-Age: a message not shown before the browser closes is not worth keeping.
        response.set_cookie(NOTICE_COOKIE, "1", httponly=True, samesite="Lax", secure=request.is_secure)
    elif carried and not waiting:
        response.delete_cookie(NOTICE_COOKIE, httponly=True, samesite="Lax", secure=request.is_secure)
    return response
