"""The empty registration form, rendered once: the whole page per content version, else its fields.

At the lunch-hour rush every registration starts with a GET of ``/register``, and all those
pages are the same but for the visitor's CSRF token. :func:`blank_page` keeps the finished page
per process with the token cut out, under the content version (:func:`fagkonferanse.pagecache.derived`:
every change of the event, the programme, the registration settings or questions raises it), the
language, the state of registration at this moment (open, closed, not yet open: from the clock,
so a deadline shows at once) and whether the seats are gone (read for every request, as the seat
counter does not raise the version). Each visitor's own token is put in as the page is sent.
The view reads the content version before anything else, so what is kept under a version was
built from data at least that new.

Below it, for the pages that cannot be kept whole (a visitor with a message waiting, an
organiser, an address with a query string):

At the lunch-hour rush most of the work of showing ``/register`` was WTForms rendering the same
empty fields for every visitor — a third of the page, and the page is half of every
registration. An empty form's fields depend only on the form's definition (the organisers' field
modes and questions), the privacy notice and the language, so their HTML is kept per process
under exactly those; the CSRF token, the seats left and the rest of the page are rendered for
every request. Any edit of the definition is a new key, so it shows at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import current_app, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..i18n import current_language
from ..pagecache import derived
from ..pagecache.keys import visitor_language
from ..visitor_session import messages_waiting
from .capacity import free_seats, seat_count
from .forms import RegistrationForm, build_form_class
from .models import RegistrationQuestion, RegistrationSettings
from .settings import questions_for

TOKEN_SLOT = "\x00csrf-token\x00"  # where the visitor's CSRF token goes in a kept page


def blank_page(event_id: int, state: str, render: Callable[[], str]) -> str:
    """The empty registration page for this visitor: kept (see above) when it is the same for
    everyone but the token, else ``render()``."""
    confirmed, capacity = seat_count(event_id)
    if not _shared_page_fits():
        return render()
    rendered: list[str] = []

    def build() -> str | None:
        rendered.append(render())
        token = generate_csrf()
        return rendered[0].replace(token, TOKEN_SLOT) if token in rendered[0] else None

    key = ("registration_page", current_language(), state, free_seats(confirmed, capacity) == 0, request.scheme)
    kept = derived(key, build)
    if rendered:
        return rendered[0]
    if kept is None:
        return render()
    return kept.replace(TOKEN_SLOT, generate_csrf())


def _shared_page_fits() -> bool:
    """Whether this visitor's page is the shared one: no query string (the language link echoes
    the address), no organiser logged in, no message waiting (as the page cache decides)."""
    config = current_app.config
    return (not request.query_string and not messages_waiting()
            and visitor_language(request.environ, config["LANGUAGES"], config["BABEL_DEFAULT_LOCALE"]) is not None)

KEY = "fagkonferanse.registration_form_fields"
MAX_ENTRIES = 64  # a few languages × a few form definitions; beyond that, start again


def blank_fields_html(form, settings: RegistrationSettings, questions: list[RegistrationQuestion], notice: str,
                      municipalities) -> Markup | None:
    """The fields of ``form`` as HTML when it is empty (a GET), else None: a posted form shows
    what was typed and its errors, so it is rendered anew."""
    if form.is_submitted() or form.errors:
        return None
    key = (current_language(), json.dumps(settings.field_modes or {}, sort_keys=True), notice,
           tuple((q.id, q.position, q.label, q.kind, tuple(q.choices or ()), q.required) for q in questions))
    cache: dict = current_app.extensions.setdefault(KEY, {})
    html = cache.get(key)
    if html is None:
        html = Markup(render_template("registration/_register_fields.html", form=form, notice=notice,
                                      municipalities=municipalities))
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[key] = html
    return html


def public_form_class(event, settings: RegistrationSettings) -> type[RegistrationForm]:
    """The public form's class (labels in the visitor's language), built once per content version:
    its definition — field modes, questions — raises the version when it changes."""
    return derived(("registration_form_class", event.id, current_language()),
                   lambda: build_form_class(settings, questions_for(event)))
