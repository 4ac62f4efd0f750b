"""``fagkonferanse events new`` and ``events anonymise``, and the retention rule they share."""

from __future__ import annotations

import datetime as dt

import pytest

from fagkonferanse import jobs
from fagkonferanse.checkin.models import CheckIn, PassportStamp
from fagkonferanse.events.copying import event_by_slug
from fagkonferanse.events.retention import anonymise_attendees, due_events
from fagkonferanse.extensions import db
from fagkonferanse.programme.models import ProgrammeItem
from fagkonferanse.registration.models import CONFIRMED, WAITING, Registration
from fagkonferanse.stands.models import Stand

from .conftest import SLUG_2016, copy_2017


def test_events_new_copies_from_an_earlier_conference_and_can_make_it_current(app, runner):
    result = runner.invoke(args=["events", "new", "--title", "Levekår 2017", "--date", "2017-11-08",
                                 "--copy-from", SLUG_2016, "--copy", "venue,programme", "--make-current"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == ("Created «Levekår 2017» (08.11.2017), slug levekar-2017, "
                                             "now the current conference")
    with app.app_context():
        event = event_by_slug("levekar-2017")
        assert (event.is_current, event.venue, event.building) == (True, "Høgskolen i Østfold", "H-bygget")
        items = db.session.scalars(db.select(ProgrammeItem).where(ProgrammeItem.event_id == event.id)).all()
        assert len(items) == 16
        assert db.session.scalars(db.select(Stand).where(Stand.event_id == event.id)).all() == []
    listing = runner.invoke(args=["events", "list"]).output.splitlines()
    assert listing == [f"  {SLUG_2016}  09.11.2016  Kunnskap om praksisutvikling innen levekår og mangfold",
                       "* levekar-2017  08.11.2017  Levekår 2017"]


@pytest.mark.parametrize("args, message", [
    (["--date", "2017-13-40", "--copy-from", SLUG_2016], "'2017-13-40' is not a date like 2017-11-08"),
    (["--date", "2017-11-08", "--copy-from", "finnes-ikke"], f"no conference 'finnes-ikke' to copy from; known: {SLUG_2016}"),
    (["--date", "2017-11-08", "--copy-from", SLUG_2016, "--slug", SLUG_2016],
     f"There is already a conference at the address «{SLUG_2016}»."),
    (["--date", "2017-11-08", "--copy-from", SLUG_2016, "--copy", "venue,speakers"], "unknown part speakers"),
    (["--date", "2017-11-08", "--copy", "venue"], "--copy needs --copy-from"),
    (["--date", "2017-11-08"], "give --venue and --building"),
])
def test_events_new_refuses_bad_input_with_a_clear_message(app, runner, args, message):
    result = runner.invoke(args=["events", "new", "--title", "Ny", *args])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(db.table("events"))) == 1


def _secret(kind, email):
    return f"{kind}-{email.replace('@', '-').replace('.', '-')}".ljust(32, "x")


def _register(event, name, email, status=CONFIRMED, **details):
    person = Registration(event_id=event.id, status=status, name=name, email=email,
                          manage_secret=_secret("m", email), browser_secret=_secret("b", email),
                          checkin_code=_secret("c", email), agenda_token=_secret("a", email),
                          answers={"1": "ja"}, **details)
    db.session.add(person)
    db.session.flush()
    return person


def _people_2016(app):
    """Three 2016 attendees (one checked in, with a passport stamp), and 2017 current."""
    with app.app_context():
        old = event_by_slug(SLUG_2016)
        kari = _register(old, "Kari Nordmann", "kari@moss.kommune.no", municipality="Moss",
                         organisation="Moss kommune", dietary="Glutenfri")
        _register(old, "Ola Nordmann", "ola@halden.kommune.no", municipality="Halden")
        _register(old, "Per Venter", "per@example.no", status=WAITING, municipality="Moss")
        db.session.add(CheckIn(event_id=old.id, registration_id=kari.id))
        stand = db.session.scalars(db.select(Stand).where(Stand.event_id == old.id)).first()
        db.session.add(PassportStamp(registration_id=kari.id, stand_id=stand.id))
        db.session.commit()
        copy_2017()


def test_nothing_is_due_before_the_retention_time_is_over(app):
    _people_2016(app)
    with app.app_context():
        assert due_events(dt.date(2017, 11, 8)) == []  # 364 days after
        due = due_events(dt.date(2017, 11, 9))  # 365 days after
        assert [(item.event.slug, item.registrations, item.due_on) for item in due] == [
            (SLUG_2016, 3, dt.date(2017, 11, 9))]
        event_by_slug(SLUG_2016).attendee_retention_days = 400
        assert due_events(dt.date(2017, 11, 9)) == []


def test_anonymise_removes_the_people_and_keeps_the_counts(app, runner):
    _people_2016(app)
    dry = runner.invoke(args=["events", "anonymise", "--dry-run"])  # the real clock: long past 2017
    assert dry.exit_code == 0
    assert dry.output == (f"{SLUG_2016}: 3 registrations, due since 09.11.2017\nDry run: nothing was changed.\n")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id)).where(Registration.name == "Kari Nordmann")) == 1
    result = runner.invoke(args=["events", "anonymise"])
    assert result.output.endswith(f"Anonymised 3 registrations of {SLUG_2016}\n")
    with app.app_context():
        people = db.session.scalars(db.select(Registration).order_by(Registration.id)).all()
        assert [(p.name, p.email, p.organisation, p.dietary, p.answers, p.agenda_token, p.browser_secret)
                for p in people] == [("Anonymisert", None, "", "", {}, None, None)] * 3
        assert [(p.status, p.municipality) for p in people] == [(CONFIRMED, "Moss"), (CONFIRMED, "Halden"),
                                                                (WAITING, "Moss")]
        assert not any(p.checkin_code.startswith("c-") or p.manage_secret.startswith("m-") for p in people)
        assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 1  # still counted as checked in
        assert db.session.scalar(db.select(db.func.count(PassportStamp.id))) == 0
        assert event_by_slug(SLUG_2016).attendees_anonymised_at is not None
    assert app.test_client().get("/ticket/" + _secret("m", "kari@moss.kommune.no")).status_code == 410
    assert runner.invoke(args=["events", "anonymise"]).output == "Nothing to anonymise.\n"


def test_the_current_conference_is_never_anonymised(app):
    with app.app_context():
        current = event_by_slug(SLUG_2016)
        current.attendee_retention_days = 0
        db.session.commit()
        assert due_events(dt.date(2030, 1, 1)) == []
        with pytest.raises(ValueError, match="is the current conference"):
            anonymise_attendees(current)


def test_the_worker_sweep_anonymises_what_is_due(app):
    _people_2016(app)
    jobs.run_periodic_now(app)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Registration.id)).where(Registration.name == "Anonymisert")) == 3
