"""The organisers' per-event choices: when registration is open, which fields are asked, the
privacy notice; and converting between the event's wall-clock time and stored UTC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from .. import clock
from ..events.models import Event
from ..extensions import db
from .models import RegistrationQuestion, RegistrationSettings

REQUIRED, OPTIONAL, HIDDEN = "required", "optional", "hidden"
FIELD_MODES = (REQUIRED, OPTIONAL, HIDDEN)


@dataclass(frozen=True)
class FieldSpec:
    """One of the form's standard fields, and how organisers may configure it."""

    name: str
    label: str
    max_length: int
    default_mode: str
    modes: tuple[str, ...] = FIELD_MODES
    multiline: bool = False
    autocomplete: str | None = None


# Name, e-mail and consent are always asked; these are the ones organisers can change.
CONFIGURABLE_FIELDS = (
    FieldSpec("organisation", _l("Organisasjon / arbeidsgiver"), 200, REQUIRED, autocomplete="organization"),
    FieldSpec("municipality", _l("Kommune"), 100, OPTIONAL),
    FieldSpec("job_title", _l("Stilling"), 200, OPTIONAL, autocomplete="organization-title"),
    FieldSpec("dietary", _l("Allergier og spesialkost"), 1000, OPTIONAL, multiline=True),
    FieldSpec("accessibility", _l("Behov for tilrettelegging"), 1000, OPTIONAL, multiline=True),
    FieldSpec("lunch", _l("Jeg spiser lunsj"), 0, OPTIONAL, modes=(OPTIONAL, HIDDEN)),
)
FIELDS_BY_NAME = {spec.name: spec for spec in CONFIGURABLE_FIELDS}

# Suggestions for the municipality field (Østfold in 2016); any other text is accepted too.
MUNICIPALITY_SUGGESTIONS = (
    "Aremark", "Askim", "Eidsberg", "Fredrikstad", "Halden", "Hobøl", "Hvaler", "Marker", "Moss",
    "Rakkestad", "Rygge", "Rømskog", "Råde", "Sarpsborg", "Skiptvet", "Spydeberg", "Trøgstad", "Våler",
)


def settings_for(event: Event) -> RegistrationSettings:
    """The event's settings row, created with the defaults if the event has none yet.

    Events get theirs when loaded (``conference_loaded``) or by migration 0003; this covers an
    event made some other way. A new row is only flushed: the caller's commit keeps it.
    """
    settings = db.session.scalar(db.select(RegistrationSettings).where(RegistrationSettings.event_id == event.id))
    if settings is None:
        settings = RegistrationSettings(event_id=event.id, field_modes={})
        db.session.add(settings)
        db.session.flush()
    return settings


def field_mode(settings: RegistrationSettings, name: str) -> str:
    """``required``, ``optional`` or ``hidden`` for one of the configurable fields."""
    spec = FIELDS_BY_NAME[name]
    mode = (settings.field_modes or {}).get(name, spec.default_mode)
    return mode if mode in spec.modes else spec.default_mode


def questions_for(event: Event) -> list[RegistrationQuestion]:
    """The organisers' extra questions in form order."""
    return list(db.session.scalars(
        db.select(RegistrationQuestion).where(RegistrationQuestion.event_id == event.id)
        .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
    ))


# --- Opening and closing ----------------------------------------------------------------------

NOT_YET_OPEN, OPEN, CLOSED = "not_open", "open", "closed"


def window_state(opens_at: dt.datetime | None, closes_at: dt.datetime | None, now: dt.datetime) -> str:
    """Whether registration is open at ``now`` (all naive UTC); no time set means no limit."""
    if opens_at is not None and now < opens_at:
        return NOT_YET_OPEN
    if closes_at is not None and now >= closes_at:
        return CLOSED
    return OPEN


def closing_time(settings: RegistrationSettings) -> dt.datetime | None:
    """When registration closes (naive UTC): the organisers' own time, else as the programme
    starts (see :func:`fagkonferanse.events.phase.automatic_closing`)."""
    from ..events.phase import automatic_closing

    return settings.closes_at if settings.closes_at is not None else automatic_closing(settings.event)


def registration_state(settings: RegistrationSettings, now: dt.datetime | None = None) -> str:
    """``not_open``, ``open`` or ``closed`` at ``now`` (default: the site clock's now)."""
    return window_state(settings.opens_at, closing_time(settings), now or clock.utc_now())


@dataclass(frozen=True)
class Window:
    """Registration seen at one moment: its state, its times on the venue's wall clock, and for
    how many seconds the state holds (None: it never changes again by itself)."""

    state: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    holds_for: int | None


def registration_window(event: Event, now: dt.datetime | None = None) -> Window:
    """Whether registration for ``event`` is open at ``now`` (the site clock's by default), and
    until when: what the home page shows, cached only as long as it holds."""
    settings = settings_for(event)
    now = now or clock.utc_now()
    closes_at = closing_time(settings)
    state = window_state(settings.opens_at, closes_at, now)
    later = [moment for moment in (settings.opens_at, closes_at) if moment is not None and moment > now]
    holds_for = max(1, int((min(later) - now).total_seconds()) + 1) if later else None
    return Window(state, to_local(settings.opens_at, event), to_local(closes_at, event), holds_for)


# --- Time zones -------------------------------------------------------------------------------


def to_local(value: dt.datetime | None, event: Event) -> dt.datetime | None:
    """Stored UTC → the event's wall-clock time (naive), for pages, mails and forms."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)


def to_utc(value: dt.datetime | None, event: Event) -> dt.datetime | None:
    """The event's wall-clock time, as organisers type it → naive UTC for storage."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(event.timezone)).astimezone(dt.UTC).replace(tzinfo=None)
