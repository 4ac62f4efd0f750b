"""The seat pool under concurrency, through the service layer: each thread its own session, all
pressing at once (on SQLite, or on PostgreSQL where newcomers share the event's lock and take
seats with SKIP LOCKED). No overbooking, one row per address, the queue served first come first
served, the seat counter equal to the rows."""

from __future__ import annotations

import threading
import time

from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import capacity, services
from fagkonferanse.registration.models import CANCELLED, CONFIRMED, WAITING, Registration, RegistrationSettings, Seat

from .conftest import configure


def details(number: int) -> dict:
    return {"name": f"Deltaker {number}", "email": f"deltaker{number}@example.no", "organisation": "Halden kommune"}


def at_once(app, jobs) -> list:
    """Run every job (a function of the current event) in its own thread and app context, together."""
    barrier = threading.Barrier(len(jobs))
    answers: list = [None] * len(jobs)

    def run(index: int) -> None:
        with app.app_context():
            event = current_event()
            db.session.commit()  # no transaction held while waiting for the others
            barrier.wait(timeout=60)
            try:
                answers[index] = jobs[index](event)
            except BaseException as error:  # shown in the assertion, never swallowed
                answers[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not [answer for answer in answers if isinstance(answer, BaseException)], answers
    return answers


def newcomer(number: int):
    return lambda event: services.register(event, details(number), notify=False).result


def state(app) -> tuple[list[tuple[str, str]], int, int, int]:
    """(email, status) in queue order, the seat counter, the held seat rows, the free seat rows."""
    with app.app_context():
        rows = db.session.execute(db.select(Registration.email, Registration.status)
                                  .order_by(Registration.queued_at, Registration.id)).all()
        counter = db.session.scalar(db.select(RegistrationSettings.confirmed_count))
        held = db.session.scalar(db.select(db.func.count(Seat.id)).where(Seat.registration_id.is_not(None)))
        free = db.session.scalar(db.select(db.func.count(Seat.id)).where(Seat.registration_id.is_(None)))
        held_by_confirmed = db.session.scalar(
            db.select(db.func.count(Seat.id)).join(Registration, Registration.id == Seat.registration_id)
            .where(Registration.status == CONFIRMED))
        assert held_by_confirmed == held  # only confirmed people hold seats
        return [tuple(row) for row in rows], counter, held, free


def cancel(email: str):
    def job(event):
        return services.cancel(services.find_by_email(event, email))
    return job


def test_twenty_four_at_once_for_six_seats(app):
    configure(app, capacity=6, waiting_list=True)
    answers = at_once(app, [newcomer(number) for number in range(24)])
    assert sorted(answers) == sorted([CONFIRMED] * 6 + [WAITING] * 18)
    rows, counter, held, free = state(app)
    statuses = [status for _email, status in rows]
    assert statuses == [CONFIRMED] * 6 + [WAITING] * 18  # every seat of the rush sorts before its queue
    assert (counter, held, free) == (6, 6, 0)


def test_one_address_pressed_twelve_times_at_once_is_one_row(app):
    configure(app, capacity=3, waiting_list=True)
    twice = [newcomer(number % 3) for number in range(12)]  # three addresses, four submits each
    answers = at_once(app, twice)
    # On PostgreSQL a second submit can hold a seat until its insert fails: a newcomer who found
    # none then is told "waiting", and the failed submit's retry promotes them at once.
    assert answers.count(services.DUPLICATE) == 9
    assert set(answers) - {services.DUPLICATE} <= {CONFIRMED, WAITING}
    rows, counter, held, free = state(app)
    assert sorted(rows) == [(f"deltaker{number}@example.no", CONFIRMED) for number in range(3)]
    assert (counter, held, free) == (3, 3, 0)


def test_cancellations_and_newcomers_at_once_never_overbook_and_promote_first_come(app):
    configure(app, capacity=5, waiting_list=True)
    with app.app_context():
        event = current_event()
        for number in range(10):  # 0–4 seated, 5–9 waiting in that order
            services.register(event, details(number), notify=False)
    jobs = [cancel(f"deltaker{number}@example.no") for number in range(3)]
    jobs += [newcomer(number) for number in range(10, 18)]
    at_once(app, jobs)
    rows, counter, held, free = state(app)
    status = dict(rows)
    confirmed = sorted(email for email, value in rows if value == CONFIRMED)
    assert len(confirmed) == 5 and (counter, held, free) == (5, 5, 0)
    assert [status[f"deltaker{number}@example.no"] for number in range(10)] == (
        [CANCELLED] * 3 + [CONFIRMED] * 2 + [CONFIRMED] * 3 + [WAITING] * 2)  # the first three waiting moved up
    assert {status[f"deltaker{number}@example.no"] for number in range(10, 18)} == {WAITING}
    queue = [email for email, value in rows if value == WAITING]
    assert queue[:2] == ["deltaker8@example.no", "deltaker9@example.no"]  # the old queue stays in front


def test_a_capacity_raise_during_a_rush_promotes_the_queue_first(app):
    configure(app, capacity=4, waiting_list=True)
    with app.app_context():
        event = current_event()
        for number in range(9):  # 0–3 seated, 4–8 waiting
            services.register(event, details(number), notify=False)

    def raise_capacity(event):
        return services.save_settings(event, {"capacity": 7})

    answers = at_once(app, [raise_capacity] + [newcomer(number) for number in range(20, 28)])
    assert [person.email for person in answers[0]] == [f"deltaker{number}@example.no" for number in (4, 5, 6)]
    assert set(answers[1:]) == {WAITING}  # someone was waiting all along: no newcomer got a seat
    rows, counter, held, free = state(app)
    assert (counter, held, free) == (7, 7, 0)
    assert [email for email, value in rows if value == WAITING][:2] == ["deltaker7@example.no", "deltaker8@example.no"]


def test_lowering_demotes_nobody_and_seats_beyond_the_capacity_are_not_handed_on(app):
    configure(app, capacity=3, waiting_list=True)
    with app.app_context():
        event = current_event()
        for number in range(5):  # 0–2 seated, 3–4 waiting
            services.register(event, details(number), notify=False)
        services.confirm_anyway(services.find_by_email(event, "deltaker3@example.no"))  # 4 seated, capacity 3
        assert services.save_settings(event, {"capacity": 2}) == []  # nobody demoted
        services.cancel(services.find_by_email(event, "deltaker0@example.no"))  # 3 seated, still above 2
        assert services.register(event, details(9), notify=False).result == WAITING
        promoted = services.cancel(services.find_by_email(event, "deltaker1@example.no"))  # 2 seated: full
        assert promoted == []
        promoted = services.cancel(services.find_by_email(event, "deltaker2@example.no"))  # 1 seated: one free
        assert [person.email for person in promoted] == ["deltaker4@example.no"]
    _rows, counter, held, free = state(app)
    assert (counter, held, free) == (2, 2, 0)


def test_deleting_everyone_gives_the_whole_pool_back(app):
    configure(app, capacity=3, waiting_list=True)
    with app.app_context():
        event = current_event()
        for number in range(4):
            services.register(event, details(number), notify=False)
        assert services.delete_everyone(event) == 4
        assert services.register(event, details(9), notify=False).result == CONFIRMED
    assert state(app)[1:] == (1, 1, 2)


def test_a_seat_held_in_flight_sends_a_newcomer_to_the_queue_without_waiting(app):
    """Another transaction holds the last free seat uncommitted (on PostgreSQL a newcomer in
    flight; on SQLite the write lock itself, so there the newcomer waits its turn). It rolls
    back: the seat is free while the newcomer waits, and the next registration promotes first."""
    configure(app, capacity=1, waiting_list=True)
    holding, release = threading.Event(), threading.Event()

    def hold_the_seat() -> None:
        with app.app_context():
            event_id = current_event().id
            capacity.lock_registrations(event_id, shared=True)
            assert capacity.free_seat(event_id) is not None
            holding.set()
            release.wait(timeout=60)
            db.session.rollback()  # a newcomer that failed after locking its seat

    holder = threading.Thread(target=hold_the_seat)
    holder.start()
    assert holding.wait(timeout=60)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            release.set()  # one writer at a time: the newcomer would wait for the holder
            holder.join()
        started = time.monotonic()
        assert services.register(current_event(), details(1), notify=False).result == (
            WAITING if db.engine.dialect.name == "postgresql" else CONFIRMED)
        assert time.monotonic() - started < 10  # on PostgreSQL: not stuck behind the holder
    release.set()
    holder.join()
    if state(app)[0] == [("deltaker1@example.no", CONFIRMED)]:
        return  # SQLite: the holder had rolled back before the newcomer looked
    assert state(app)[1:] == (0, 0, 1)  # a free seat and a waiting person, until ...
    with app.app_context():
        outcome = services.register(current_event(), details(2), notify=False)
    assert outcome.result == WAITING and [person.email for person in outcome.promoted] == ["deltaker1@example.no"]
    rows, counter, held, free = state(app)
    assert rows == [("deltaker1@example.no", CONFIRMED), ("deltaker2@example.no", WAITING)]
    assert (counter, held, free) == (1, 1, 0)


def test_a_duplicate_submit_heals_a_free_seat_with_someone_waiting(app):
    """The retry of a newcomer whose seat came free (its address was taken meanwhile) answers
    "duplicate" and promotes the first waiting person into that seat in the same transaction."""
    configure(app, capacity=1, waiting_list=True)
    with app.app_context():
        event = current_event()
        services.register(event, details(1), notify=False)
        services.register(event, details(2), notify=False)
        # As after a seat-holder's rollback: the seat free, number 2 still waiting.
        db.session.execute(db.update(Seat).values(registration_id=None))
        db.session.execute(db.delete(Registration).where(Registration.email == "deltaker1@example.no"))
        db.session.commit()
    with app.app_context():
        outcome = services.register(current_event(), details(2), notify=False)
    assert outcome.result == services.DUPLICATE
    assert [person.email for person in outcome.promoted] == ["deltaker2@example.no"]
    assert state(app) == ([("deltaker2@example.no", CONFIRMED)], 1, 1, 0)
