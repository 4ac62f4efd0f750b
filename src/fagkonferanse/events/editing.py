"""Changing the conference's texts (title and foreword, Norwegian and English), with an audit entry.

Date, venue and building stay as the dataset loaded them: they are printed on badges and
posters, and changing them is a larger matter than a wording.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _

from ..audit.services import diff, record
from .models import Event

ENTITY = "event"


class StaleTexts(Exception):
    """Someone saved the texts after this organiser opened the form; nothing was written."""


@dataclass(frozen=True)
class EventTexts:
    """What the form asks for; an empty English text shows the Norwegian on English pages."""

    title: str
    title_en: str = ""
    foreword: str = ""
    foreword_en: str = ""


def texts_fingerprint(event: Event) -> str:
    """A digest of the stored texts, carried by the form: the event has no version column, so
    this is how a second organiser's save is told apart from a stale one."""
    stored = "\x00".join((event.title, event.title_en, event.foreword, event.foreword_en))
    return hashlib.sha256(stored.encode()).hexdigest()[:16]


def save_texts(event: Event, texts: EventTexts, expected_fingerprint: str) -> None:
    """Write the texts and record what changed; raises :class:`StaleTexts` (writing nothing) when
    they changed since the form was opened."""
    if expected_fingerprint != texts_fingerprint(event):
        raise StaleTexts()
    before = snapshot(event)
    event.title, event.title_en = texts.title, texts.title_en
    event.foreword, event.foreword_en = texts.foreword, texts.foreword_en
    changes = diff(before, snapshot(event))
    if changes:
        record("update", ENTITY, event.id, _("Endret konferansens tekster"), changes, event_id=event.id)


def snapshot(event: Event) -> dict[str, str]:
    """The texts as an organiser reads them, for the audit log's before/after."""
    return {
        _("tittel"): event.title,
        _("tittel (engelsk)"): event.title_en,
        _("forord"): event.foreword,
        _("forord (engelsk)"): event.foreword_en,
    }
