"""Next year's conference: a new event, with chosen parts copied from an earlier one.

Organisers rarely start from nothing: the same building with the same rooms and plans, most of
the same stands, the same registration form, and a day shaped like last year's. These functions
make the new :class:`~.models.Event` and copy what was chosen, in the caller's transaction (the
caller commits once, so a failure leaves nothing half made). Each plugin copies its own per-event
data through the ``event_copied`` hook, told what the core copied (old id → new row).

Times keep their wall clock: a 09.15 talk on 9 November 2016 is a 09.15 talk on 8 November 2017
in Europe/Oslo, whatever daylight saving did in between. Speakers never come along: the
programme's skeleton is its times, places and titles, and the speakers of next year are new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..audit.services import record
from ..extensions import db
from ..programme.models import ProgrammeItem
from ..registration.models import RegistrationQuestion
from ..registration.settings import settings_for, to_local, to_utc
from ..stands.models import Stand
from ..text import slugify
from ..uploads.models import UploadedImage
from ..venue.models import Floor, Location
from .models import Event

VENUE, STANDS, REGISTRATION, PROGRAMME = "venue", "stands", "registration", "programme"
PARTS = (VENUE, STANDS, REGISTRATION, PROGRAMME)
# Stands stand somewhere and programme items happen somewhere: both need the building's places.
NEEDS_VENUE = frozenset({STANDS, PROGRAMME})


class CopyError(ValueError):
    """The new conference cannot be made as asked; the message says why, for the organiser."""


@dataclass(frozen=True)
class NewEvent:
    """What an organiser gives for the new conference."""

    title: str
    date: dt.date
    venue: str
    building: str
    slug: str = ""  # empty: made from the title and the year


@dataclass
class EventCopy:
    """What was copied, by the old row's id, for plugins whose data points at core rows
    (a catalogue sheet at a stand, a badge setting of the event)."""

    parts: frozenset[str]
    locations: dict[int, Location] = field(default_factory=dict)
    floors: dict[int, Floor] = field(default_factory=dict)
    stands: dict[int, Stand] = field(default_factory=dict)
    items: dict[int, ProgrammeItem] = field(default_factory=dict)
    questions: dict[int, RegistrationQuestion] = field(default_factory=dict)


def event_by_slug(slug: str) -> Event | None:
    return db.session.scalar(db.select(Event).where(Event.slug == slug))


def default_slug(title: str, date: dt.date) -> str:
    """"Levekår og mangfold", 2017 → "levekar-og-mangfold-2017" (the year once, at the end)."""
    base = slugify(title, max_length=70)
    year = str(date.year)
    return base if base.endswith(year) else f"{base}-{year}"


def chosen_parts(parts: set[str] | frozenset[str] | list[str] | tuple[str, ...]) -> frozenset[str]:
    """The parts to copy, with the building added when stands or the programme need it."""
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise CopyError(_("Ukjent del å kopiere: %(parts)s (velg blant %(known)s).",
                          parts=", ".join(unknown), known=", ".join(PARTS)))
    chosen = frozenset(parts)
    return chosen | {VENUE} if chosen & NEEDS_VENUE else chosen


def create_event(new: NewEvent, source: Event | None = None, parts=(), *, hook=None) -> tuple[Event, EventCopy]:
    """Make the new event and copy ``parts`` of ``source`` into it (not committed, not current).

    ``hook`` is the plugin manager's hook relay (``plugin_manager().hook``): plugins copy their
    part in ``event_copied``. Raises :class:`CopyError` for a slug in use or parts without a source.
    """
    title = new.title.strip()
    if not title:
        raise CopyError(_("Konferansen trenger en tittel."))
    slug = slugify(new.slug, max_length=80) if new.slug.strip() else default_slug(title, new.date)
    if event_by_slug(slug) is not None:
        raise CopyError(_("Det finnes alt en konferanse med adressen «%(slug)s».", slug=slug))
    parts = chosen_parts(parts)
    if parts and source is None:
        raise CopyError(_("Velg hvilken konferanse det skal kopieres fra."))
    event = Event(slug=slug, title=title, date=new.date, venue=new.venue.strip(), building=new.building.strip(),
                  timezone=source.timezone if source is not None else "Europe/Oslo")
    if source is not None:
        event.organisers = list(source.organisers)
        event.foreword_signature = source.foreword_signature
    db.session.add(event)
    db.session.flush()
    copied = EventCopy(parts)
    if source is not None:
        copy_parts(source, event, copied)
    settings_for(event)  # every event has its registration settings and seat pool
    if hook is not None:
        hook.event_copied(source=source, target=event, parts=parts, copied=copied)
    db.session.flush()
    summary = (_("Opprettet konferansen «%(title)s» med kopi fra «%(source)s»", title=event.title, source=source.title)
               if source is not None else _("Opprettet konferansen «%(title)s»", title=event.title))
    record("create", "event", event.id, summary, {_("kopiert"): ", ".join(sorted(parts))} if parts else None,
           event_id=event.id)
    return event, copied


def copy_parts(source: Event, target: Event, copied: EventCopy) -> None:
    """Copy the chosen parts of ``source`` into ``target``, filling ``copied``'s maps."""
    if VENUE in copied.parts:
        copy_venue(source, target, copied)
    if STANDS in copied.parts:
        copy_stands(source, target, copied)
    if REGISTRATION in copied.parts:
        copy_registration(source, target, copied)
    if PROGRAMME in copied.parts:
        copy_programme(source, target, copied)
    db.session.flush()


def copy_venue(source: Event, target: Event, copied: EventCopy) -> None:
    """The building's places with their shapes, and its floors with their plans.

    A floor's uploaded drawing is copied as a new image: removing it next year must not take it
    from the archive.
    """
    for place in _rows(Location, source, Location.id):
        copied.locations[place.id] = _clone(place, target, exclude=("id", "event_id"))
    for floor in _rows(Floor, source, Floor.id):
        new = _clone(floor, target, exclude=("id", "event_id", "image_id"))
        if floor.image is not None:
            new.image = _clone_image(floor.image)
        copied.floors[floor.id] = new


def copy_stands(source: Event, target: Event, copied: EventCopy) -> None:
    """Each stand with its organisation, place and marker on the plan."""
    for stand in _rows(Stand, source, Stand.id):
        new = _clone(stand, target, exclude=("id", "event_id", "location_id"))
        new.location = copied.locations.get(stand.location_id) if stand.location_id else None
        copied.stands[stand.id] = new


def copy_registration(source: Event, target: Event, copied: EventCopy) -> None:
    """Capacity, waiting list, which fields are asked, the privacy notice, the extra questions.

    Opening and closing times move with the date, on the venue's wall clock.
    """
    old, new = settings_for(source), settings_for(target)
    new.capacity, new.waiting_list = old.capacity, old.waiting_list
    new.field_modes = dict(old.field_modes or {})
    new.privacy_notice = old.privacy_notice
    new.opens_at = to_utc(_moved(to_local(old.opens_at, source), source, target), target)
    new.closes_at = to_utc(_moved(to_local(old.closes_at, source), source, target), target)
    for question in _rows(RegistrationQuestion, source, RegistrationQuestion.position, RegistrationQuestion.id):
        new_question = _clone(question, target, exclude=("id", "event_id"))
        new_question.choices = list(question.choices or [])
        copied.questions[question.id] = new_question


def copy_programme(source: Event, target: Event, copied: EventCopy) -> None:
    """The day's items with their times, places, kinds and titles; no speakers, no presenting
    organisations, no descriptions (they belong to this year's talks), nothing cancelled."""
    for item in _rows(ProgrammeItem, source, ProgrammeItem.start, ProgrammeItem.id):
        new = ProgrammeItem(event_id=target.id, start=_moved(item.start, source, target),
                            end=_moved(item.end, source, target), title=item.title, title_en=item.title_en,
                            kind=item.kind)
        new.location = copied.locations.get(item.location_id) if item.location_id else None
        db.session.add(new)
        copied.items[item.id] = new


def _moved(moment: dt.datetime | None, source: Event, target: Event) -> dt.datetime | None:
    """A wall-clock time of ``source``'s day at the same time of ``target``'s (the same number of
    days after the first day, for items past midnight or a second day)."""
    if moment is None:
        return None
    return dt.datetime.combine(target.date + (moment.date() - source.date), moment.time())


def _rows(model, source: Event, *order):
    return list(db.session.scalars(db.select(model).where(model.event_id == source.id).order_by(*order)))


def _clone(row, target: Event, exclude: tuple[str, ...]):
    """A new row of the same model with ``row``'s column values, in ``target``."""
    values = {column.key: getattr(row, column.key) for column in row.__mapper__.column_attrs
              if column.key not in exclude}
    new = type(row)(**values, event_id=target.id)
    db.session.add(new)
    return new


def _clone_image(image: UploadedImage) -> UploadedImage:
    new = UploadedImage(content_type=image.content_type, data=image.data, width=image.width, height=image.height,
                        digest=image.digest)
    db.session.add(new)
    return new
