"""The empty registration form's fields, rendered once per language and form definition.

At the lunch-hour rush most of the work of showing ``/register`` was WTForms rendering the same
empty fields for every visitor — a third of the page, and the page is half of every
registration. An empty form's fields depend only on the form's definition (the organisers' field
modes and questions), the privacy notice and the language, so their HTML is kept per process
under exactly those; the CSRF token, the seats left and the rest of the page are rendered for
every request. Any edit of the definition is a new key, so it shows at once.
"""

from __future__ import annotations

import json

from flask import current_app, render_template
from markupsafe import Markup

from ..i18n import current_language
from .models import RegistrationQuestion, RegistrationSettings

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
