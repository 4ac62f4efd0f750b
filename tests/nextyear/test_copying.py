"""The copy service: a new conference with chosen parts of an earlier one (events/copying.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from fagkonferanse import plugin_manager
from fagkonferanse.events.copying import CopyError, NewEvent, create_event, event_by_slug
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem, Speaker
from fagkonferanse.registration.models import RegistrationQuestion
from fagkonferanse.registration.settings import settings_for
from fagkonferanse.stands.models import Stand
from fagkonferanse.venue.models import Floor, Location

from .conftest import SLUG_2016, SLUG_2017, copy_2017

NEW = NewEvent("Levekår 2017", dt.date(2017, 11, 8), "Høgskolen i Østfold", "H-bygget")


def rows(model, event):
    return list(db.session.scalars(db.select(model).where(model.event_id == event.id).order_by(model.id)))


def test_a_full_copy_has_the_building_stands_registration_and_the_programme_without_speakers(app):
    with app.app_context():
        source = event_by_slug(SLUG_2016)
        settings = settings_for(source)
        settings.capacity, settings.field_modes = 120, {"municipality": "required"}
        settings.opens_at = dt.datetime(2016, 9, 1, 6, 0)  # 08.00 in Oslo (summer time)
        db.session.add(RegistrationQuestion(event_id=source.id, label="Hvilket verksted?", kind="choice",
                                            choices=["A", "B"], required=True, position=1))
        first_stand = rows(Stand, source)[0]
        first_stand.plan_x, first_stand.plan_y = 123.0, 45.5
        db.session.commit()
        event = copy_2017(current=False)

        assert (event.slug, event.title, event.date, event.is_current) == (
            SLUG_2017, "Levekår og mangfold 2017", dt.date(2017, 11, 8), False)
        assert [org.name for org in event.organisers] == [org.name for org in source.organisers]
        old_places, new_places = rows(Location, source), rows(Location, event)
        assert [(p.name, p.floor, p.outline, p.kind) for p in new_places] == [
            (p.name, p.floor, p.outline, p.kind) for p in old_places]
        assert len(rows(Floor, event)) == len(rows(Floor, source)) == 3
        new_stands = rows(Stand, event)
        assert [(s.slug, s.organisation_id, s.location.name) for s in new_stands] == [
            (s.slug, s.organisation_id, s.location.name) for s in rows(Stand, source)]
        assert all(stand.location.event_id == event.id for stand in new_stands)
        assert (new_stands[0].plan_x, new_stands[0].plan_y) == (123.0, 45.5)
        copied_settings = settings_for(event)
        assert (copied_settings.capacity, copied_settings.field_modes) == (120, {"municipality": "required"})
        # As many days before the conference (364 days later), at 08.00 in Oslo again.
        assert copied_settings.opens_at == dt.datetime(2017, 8, 31, 6, 0)
        assert [(q.label, q.choices, q.required) for q in rows(RegistrationQuestion, event)] == [
            ("Hvilket verksted?", ["A", "B"], True)]
        items = rows(ProgrammeItem, event)
        assert len(items) == len(rows(ProgrammeItem, source)) == 16
        assert all(not item.speakers and not item.organisations for item in items)
        assert rows(Speaker, event) == []
        first = min(items, key=lambda item: item.start)
        assert (first.start, first.end, first.title) == (dt.datetime(2017, 11, 8, 8, 30),
                                                         dt.datetime(2017, 11, 8, 9, 0), "Registrering og kaffe/frukt")
        assert all(item.location is None or item.location.event_id == event.id for item in items)
        assert source.is_current  # the site keeps showing 2016 until told otherwise


def test_only_the_chosen_parts_are_copied_and_stands_bring_their_building(app):
    with app.app_context():
        source = event_by_slug(SLUG_2016)
        event, copied = create_event(NEW, source, ["stands"])
        assert copied.parts == {"stands", "venue"}
        assert len(rows(Stand, event)) == len(rows(Stand, source))
        assert rows(ProgrammeItem, event) == [] and rows(RegistrationQuestion, event) == []
        assert settings_for(event).capacity == 150  # the default, not copied


def test_a_copied_floor_drawing_is_the_new_conferences_own(app):
    from fagkonferanse.uploads.models import UploadedImage

    with app.app_context():
        source = event_by_slug(SLUG_2016)
        floor = rows(Floor, source)[0]
        floor.image = UploadedImage(content_type="image/png", data=b"png", width=10, height=6, digest="ab" * 32)
        db.session.commit()
        event, copied = create_event(NEW, source, ["venue"])
        new_floor = copied.floors[floor.id]
        assert new_floor.image.data == b"png" and new_floor.image.id != floor.image.id


@pytest.mark.parametrize("new, parts, source_slug, message", [
    (NewEvent("Ny", dt.date(2017, 1, 1), "X", "Y", slug=SLUG_2016), (), None,
     f"Det finnes alt en konferanse med adressen «{SLUG_2016}»."),
    (NewEvent("  ", dt.date(2017, 1, 1), "X", "Y"), (), None, "Konferansen trenger en tittel."),
    (NEW, ("venue",), None, "Velg hvilken konferanse det skal kopieres fra."),
    (NEW, ("speakers",), SLUG_2016, "Ukjent del å kopiere: speakers (velg blant venue, stands, registration, programme)."),
])
def test_bad_requests_are_refused_with_a_reason(app, new, parts, source_slug, message):
    with app.app_context():
        with pytest.raises(CopyError) as refused:
            create_event(new, event_by_slug(source_slug) if source_slug else None, parts)
        assert str(refused.value) == message


def test_plugins_copy_their_part_through_the_hook(app):
    """The badges plugin copies its settings with the registration."""
    from fagkonferanse_plugins.badges.models import BadgeSettings

    with app.app_context():
        source = event_by_slug(SLUG_2016)
        db.session.add(BadgeSettings(event_id=source.id, on_arrival="once", size="100x70", printer="door"))
        db.session.commit()
        event, _copied = create_event(NEW, source, ["registration"], hook=plugin_manager().hook)
        copied = db.session.get(BadgeSettings, event.id)
        assert (copied.on_arrival, copied.size, copied.printer) == ("once", "100x70", "door")
        other, _copied = create_event(NewEvent("Uten", dt.date(2018, 1, 1), "X", "Y"), source, ["venue"],
                                      hook=plugin_manager().hook)
        assert db.session.get(BadgeSettings, other.id) is None
