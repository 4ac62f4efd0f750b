"""Earlier conferences, browsable at ``/arkiv/<slug>/``.

One conference is current and the site shows it. An earlier one keeps its public pages — the
programme, speakers, stands with their plan, the catalogue, the exports and the API — under an
address of its own. Rather than give every view an event argument, a small WSGI dispatcher moves
``/arkiv/<slug>`` from ``PATH_INFO`` into ``SCRIPT_NAME`` and notes the event in the environ:

* every view then runs unchanged, and :func:`~.services.current_event` answers the archived
  event for that request;
* every ``url_for`` link on an archive page stays inside the archive by itself (Flask builds
  links under the script root), and the page cache keys archive pages apart (it counts
  ``SCRIPT_NAME``).

Only conferences whose day is over are archives (next year's, not yet current, is not public),
and only public read pages are served there: the endpoints named by the ``archive_endpoints`` hook
(the core names its own below). Anything else under ``/arkiv/<slug>/`` — the organisers' pages,
registration, tickets, the door, any POST — answers 404, before the login guard or CSRF look.
An address of the current conference's archive goes to the live page instead.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from flask import Flask, abort, current_app, g, has_request_context, request, url_for
from sqlalchemy import Engine, text
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.utils import redirect

from ..extensions import db

PREFIX = "/arkiv/"
EVENT_ENV = "fagkonferanse.archive.event_id"
SITE_ROOT_ENV = "fagkonferanse.archive.site_root"  # the script root the site itself is served under
ENDPOINTS_KEY = "fagkonferanse.archive.endpoints"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")

# The core's public read pages (the plugins name theirs through ``archive_endpoints``).
CORE_ENDPOINTS = (
    "events.home", "events.favicon", "events.live_state", "events.switch_language",
    "programme.programme", "programme.item", "programme.speaker_list",
    "stands.stand_list", "stands.stand", "uploads.image", "static", "export_*",
)


class ArchiveDispatcher:
    """WSGI: ``/arkiv/<slug>/rest`` → script root ``…/arkiv/<slug>``, path ``/rest``.

    One indexed read of ``events`` per archive request (archives are visited rarely, and a
    conference made current must leave the archive at once). Unknown slugs pass through
    unchanged, so Flask answers its ordinary 404 with ordinary links.
    """

    def __init__(self, wsgi_app, engine: Engine):
        self.wsgi_app = wsgi_app
        self.engine = engine

    def __call__(self, environ: dict, start_response):
        path = environ.get("PATH_INFO") or ""
        if not path.startswith(PREFIX):
            return self.wsgi_app(environ, start_response)
        slug, slash, rest = path[len(PREFIX):].partition("/")
        found = self._look_up(slug) if _SLUG.match(slug) else None
        if found is None:
            return self.wsgi_app(environ, start_response)
        event_id, is_current = found
        root = environ.get("SCRIPT_NAME", "")
        query = environ.get("QUERY_STRING", "")
        if is_current or not slash:
            # The current conference is the live site; "/arkiv/<slug>" gets its slash.
            target = root + ("/" + rest if is_current else f"{PREFIX}{slug}/")
            return redirect(target + (f"?{query}" if query else ""), 302 if is_current else 308)(environ, start_response)
        environ[SITE_ROOT_ENV] = root
        environ["SCRIPT_NAME"] = f"{root}{PREFIX}{slug}"
        environ["PATH_INFO"] = "/" + rest
        environ[EVENT_ENV] = event_id
        return self.wsgi_app(environ, start_response)

    def _look_up(self, slug: str) -> tuple[int, bool] | None:
        with self.engine.connect() as connection:
            row = connection.execute(text("SELECT id, is_current FROM events WHERE slug = :slug"),
                                     {"slug": slug}).first()
        return None if row is None else (row[0], bool(row[1]))


def install(app: Flask, endpoints: list[str]) -> None:
    """Serve archives: only ``endpoints`` (names or ``fnmatch`` patterns such as ``"catalogue.*"``).

    Call before the login guard and CSRF are installed: their checks must not answer first for
    an address that does not exist in an archive. The dispatcher itself is put in front of the
    WSGI stack by :func:`wrap`, after the page cache.
    """
    app.extensions[ENDPOINTS_KEY] = (*CORE_ENDPOINTS, *endpoints)
    app.before_request(_only_archive_pages)
    app.add_template_global(archive_event, "archive_event")
    app.add_template_global(live_url, "live_url")
    from .services import current_live_event  # services reads this module's archive_event

    app.add_template_global(current_live_event, "live_event")


def wrap(app: Flask) -> None:
    """Put the dispatcher in front of everything else (the page cache too)."""
    with app.app_context():
        engine = db.engine
    app.wsgi_app = ArchiveDispatcher(app.wsgi_app, engine)


def archive_event_id() -> int | None:
    """The archived event's id when this request is an archive page, else None."""
    return request.environ.get(EVENT_ENV) if has_request_context() else None


def archive_event():
    """The archived :class:`~.models.Event` this request shows, or None on the live site."""
    event_id = archive_event_id()
    if event_id is None:
        return None
    if "archive_event" not in g:
        from .models import Event

        g.archive_event = db.session.get(Event, event_id)
    return g.archive_event


def is_archive_endpoint(endpoint: str | None) -> bool:
    """Whether ``endpoint`` is a public read page shown in archives."""
    return endpoint is not None and any(fnmatchcase(endpoint, pattern)
                                        for pattern in current_app.extensions.get(ENDPOINTS_KEY, ()))


def _only_archive_pages():
    if archive_event_id() is None:
        return None
    if request.method not in ("GET", "HEAD") or not is_archive_endpoint(request.endpoint):
        abort(404)
    if not is_past(archive_event()):
        abort(404)  # next year's conference, not yet current: the organisers' until they publish it
    return None


def is_past(event) -> bool:
    """Whether ``event``'s day is over on the venue's calendar (only those are archives)."""
    from .. import clock

    return event is not None and event.date < clock.local_now(event.timezone).date()


def site_root() -> str:
    """The script root of the live site (without any ``/arkiv/<slug>``)."""
    return request.environ.get(SITE_ROOT_ENV, request.script_root) if has_request_context() else ""


def live_url(endpoint: str, **values) -> str:
    """A link to the live site's page, also from an archive page (the login, the current
    conference's front page, the list of archives)."""
    path = url_for(endpoint, **values)
    root = request.script_root
    if root and path.startswith(root):
        path = path[len(root):]
    return site_root() + path


def archive_url(slug: str) -> str:
    """The front page of ``slug``'s archive."""
    return f"{site_root()}{PREFIX}{slug}/"


def shown_in_archive(url: str) -> bool:
    """Whether a link of this request's page (e.g. a menu entry) leads to a page the archive has."""
    root = request.script_root
    path = url.split("?", 1)[0].split("#", 1)[0]
    if root and path.startswith(root):
        path = path[len(root):]
    try:
        endpoint, _values = current_app.url_map.bind("localhost").match(path or "/", method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return is_archive_endpoint(endpoint)
