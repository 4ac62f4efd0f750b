"""Seats and the waiting list: the rules as plain functions, then the services that apply them."""

from __future__ import annotations

import datetime as dt

import pytest

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import capacity, services
from fagkonferanse.registration.models import CANCELLED, CONFIRMED, WAITING, RegistrationSettings
from fagkonferanse.registration.settings import CLOSED, NOT_YET_OPEN, OPEN, window_state

from .conftest import configure, outbox, people


# --- The rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(("confirmed", "seats", "free"), [(0, 50, True), (49, 50, True), (50, 50, False),
                                                          (51, 50, False), (0, 0, False)])
def test_a_seat_is_free_while_fewer_than_capacity_are_confirmed(confirmed, seats, free):
    assert capacity.has_free_seat(confirmed, seats) is free


def test_a_newcomer_gets_a_seat_then_the_queue_then_nothing():
    assert capacity.status_for_newcomer(49, 50, waiting_list=True) == CONFIRMED
    assert capacity.status_for_newcomer(50, 50, waiting_list=True) == WAITING
    assert capacity.status_for_newcomer(50, 50, waiting_list=False) is None


@pytest.mark.parametrize(("confirmed", "seats", "waiting", "promote"), [
    (49, 50, 10, 1),   # one cancellation: the first in the queue
    (40, 50, 3, 3),    # capacity raised beyond the queue: everyone waiting
    (50, 50, 10, 0),   # full
    (55, 50, 10, 0),   # capacity lowered below the confirmed: nobody is demoted, nobody promoted
    (0, 50, 0, 0),     # nobody waiting
])
def test_how_many_to_promote(confirmed, seats, waiting, promote):
    assert capacity.seats_to_fill(confirmed, seats, waiting) == promote


def test_registration_window():
    opens, closes = dt.datetime(2016, 9, 1, 8), dt.datetime(2016, 11, 2, 12)
    assert window_state(opens, closes, dt.datetime(2016, 8, 31, 23)) == NOT_YET_OPEN
    assert window_state(opens, closes, opens) == OPEN
    assert window_state(opens, closes, dt.datetime(2016, 11, 2, 11, 59)) == OPEN
    assert window_state(opens, closes, closes) == CLOSED
    assert window_state(None, None, dt.datetime(2030, 1, 1)) == OPEN


# --- Applied in the database ------------------------------------------------------------------


def details(number: int) -> dict:
    return {"name": f"Deltaker {number}", "email": f"deltaker{number}@example.no", "organisation": "Halden kommune"}


def register_many(app, count: int, start: int = 1) -> list[str]:
    with app.app_context():
        event = current_event()
        return [services.register(event, details(number)).result for number in range(start, start + count)]


def counter(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(RegistrationSettings.confirmed_count))


def test_capacity_then_waiting_list_in_order(app):
    configure(app, capacity=3)
    assert register_many(app, 5) == [CONFIRMED, CONFIRMED, CONFIRMED, WAITING, WAITING]
    assert counter(app) == 3
    with app.app_context():
        waiting = [p for p in people(app) if p.status == WAITING]
        assert [services.waiting_position(p) for p in waiting] == [1, 2]


def test_full_without_waiting_list_refuses_and_creates_nothing(app):
    configure(app, capacity=1, waiting_list=False)
    assert register_many(app, 2) == [CONFIRMED, services.FULL]
    assert len(people(app)) == 1


def test_cancellation_promotes_the_first_waiting_and_tells_them(app):
    configure(app, capacity=2)
    register_many(app, 4)
    with app.app_context():
        first = db.session.get(services.Registration, 1)
        promoted = services.cancel(first)
        assert [p.name for p in promoted] == ["Deltaker 3"]
    statuses = {p.name: p.status for p in people(app)}
    assert statuses == {"Deltaker 1": CANCELLED, "Deltaker 2": CONFIRMED, "Deltaker 3": CONFIRMED,
                        "Deltaker 4": WAITING}
    assert counter(app) == 2
    subjects = [(m["To"].addresses[0].addr_spec, m["Subject"]) for m in outbox(app)]
    assert ("deltaker3@example.no", "Du har fått plass: Kunnskap om praksisutvikling innen levekår og mangfold") \
        in subjects
    assert ("deltaker1@example.no", "Avmelding registrert: Kunnskap om praksisutvikling innen levekår og mangfold") \
        in subjects


def test_cancelling_twice_changes_nothing(app):
    configure(app, capacity=1)
    register_many(app, 2)
    with app.app_context():
        first = db.session.get(services.Registration, 1)
        services.cancel(first)
        assert services.cancel(first) == []
    assert counter(app) == 1
    assert [p.status for p in people(app)] == [CANCELLED, CONFIRMED]


def test_a_waiting_person_who_cancels_gives_no_seat_away(app):
    configure(app, capacity=1)
    register_many(app, 3)
    with app.app_context():
        services.cancel(db.session.get(services.Registration, 2))
    assert [p.status for p in people(app)] == [CONFIRMED, CANCELLED, WAITING]
    assert counter(app) == 1


def test_raising_the_capacity_promotes_in_order_and_lowering_demotes_nobody(app):
    configure(app, capacity=1)
    register_many(app, 4)
    with app.app_context():
        promoted = services.save_settings(current_event(), {"capacity": 3})
        assert [p.name for p in promoted] == ["Deltaker 2", "Deltaker 3"]
        assert services.save_settings(current_event(), {"capacity": 1}) == []
    assert [p.status for p in people(app)] == [CONFIRMED, CONFIRMED, CONFIRMED, WAITING]
    assert counter(app) == 3
    assert register_many(app, 1, start=5) == [WAITING]


def test_deleting_a_confirmed_person_promotes_the_next(app):
    configure(app, capacity=1)
    register_many(app, 2)
    with app.app_context():
        services.delete_person(db.session.get(services.Registration, 1))
    assert [(p.name, p.status) for p in people(app)] == [("Deltaker 2", CONFIRMED)]
    assert counter(app) == 1


def test_a_cancelled_person_who_registers_again_joins_the_end_of_the_queue(app):
    configure(app, capacity=1)
    register_many(app, 2)
    with app.app_context():
        services.cancel(db.session.get(services.Registration, 1))  # Deltaker 2 gets the seat
        again = services.register(current_event(), details(1))
        assert again.result == WAITING
        assert again.registration.id == 1  # the same registration, reopened: no duplicate
    assert len(people(app)) == 2


def test_organiser_can_confirm_beyond_capacity_and_restore(app):
    configure(app, capacity=1)
    register_many(app, 2)
    with app.app_context():
        services.confirm_anyway(db.session.get(services.Registration, 2))
        assert counter(app) == 2
        services.cancel(db.session.get(services.Registration, 2))
        assert services.restore(db.session.get(services.Registration, 2)) == WAITING
    assert counter(app) == 1


def test_registration_outside_the_window_creates_nothing(app):
    configure(app, opens_at=dt.datetime(2099, 1, 1))
    assert register_many(app, 1) == [NOT_YET_OPEN]
    configure(app, opens_at=None, closes_at=dt.datetime(2000, 1, 1))
    assert register_many(app, 1) == [CLOSED]
    assert people(app) == []


def test_the_lock_is_held_until_the_transaction_ends(app):
    """A second connection cannot take the registration lock while the first holds it."""
    import sqlalchemy.exc

    with app.app_context():
        event_id = current_event().id
        capacity.lock_registrations(event_id)
        with db.engine.connect() as other:
            if other.dialect.name == "sqlite":
                other.exec_driver_sql("PRAGMA busy_timeout = 50")
                with pytest.raises(sqlalchemy.exc.OperationalError, match="locked"):
                    other.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                other.exec_driver_sql("SET lock_timeout = '50ms'")
                with pytest.raises(sqlalchemy.exc.OperationalError, match="lock timeout"):
                    other.execute(db.select(RegistrationSettings).where(RegistrationSettings.event_id == event_id)
                                  .with_for_update())
            other.rollback()
        db.session.rollback()
