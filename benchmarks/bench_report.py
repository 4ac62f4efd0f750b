"""The conference report at 1000 attendees and 10,000 poster scans: its figures, the page and the PDF.

Target (issue 18): the report renders in under 3 s. Measured: building every table (all plugins'
``report_tables``, the small-groups rule, the SVG charts), the organisers' page ``/admin/report``
over HTTP, the CSV, and the A4 PDF.

The attendees are synthetic and named as such ("Benchmark-deltaker 0001 …"), in the benchmark's
temporary database only: varied municipalities and organisations, 85 % confirmed, 8 % waiting,
7 % cancelled, registered over ten weeks, four in five of the confirmed checked in; the scans are
spread over the day's stands and hours, some holding passports.
"""

from __future__ import annotations

import datetime as dt
import random

from .common import conference_app, report, timed

MUNICIPALITIES = ["Moss", "Sarpsborg", "Fredrikstad", "Halden", "Rygge", "Råde", "Våler", "Hvaler", "Oslo",
                  "Askim", "Spydeberg", "Marker", "Aremark", ""]
ORGANISATIONS = ["{m} kommune", "NAV {m}", "Husbanken", "Fylkesmannen i Østfold", "IMDi", "Høgskolen i Østfold",
                 "Kirkens Bymisjon", "Røde Kors {m}", "Boligbyggelaget Usbl", "", "Bydel Frogner"]


def populate(app, attendees: int = 1000, visits: int = 10_000, seed: int = 2016) -> None:
    """Synthetic registrations, check-ins, poster scans and passport stamps for the current event."""
    from sqlalchemy import insert

    from fagkonferanse.checkin.models import CheckIn, PassportStamp, StandVisit
    from fagkonferanse.events.services import current_event
    from fagkonferanse.extensions import db
    from fagkonferanse.registration.models import Registration
    from fagkonferanse.registration.tokens import new_checkin_code, new_manage_secret
    from fagkonferanse.stands.services import stands

    rng = random.Random(seed)
    with app.app_context():
        event = current_event()
        opened = dt.datetime(2016, 8, 29, 8, 0)
        rows = []
        for number in range(attendees):
            municipality = rng.choice(MUNICIPALITIES)
            draw = rng.random()
            status = "confirmed" if draw < 0.85 else "waiting" if draw < 0.93 else "cancelled"
            rows.append({
                "event_id": event.id, "status": status, "name": f"Benchmark-deltaker {number:04d} Syntetisk",
                "email": f"benchmark-{number}@example.invalid",
                "organisation": rng.choice(ORGANISATIONS).format(m=municipality or "Moss"),
                "municipality": municipality, "manage_secret": new_manage_secret(),
                "checkin_code": new_checkin_code(),
                "created_at": opened + dt.timedelta(minutes=rng.randrange(70 * 24 * 60)),
            })
        db.session.execute(insert(Registration), rows)
        confirmed = db.session.scalars(db.select(Registration.id).where(
            Registration.event_id == event.id, Registration.status == "confirmed")).all()
        doors_open = dt.datetime(2016, 11, 9, 7, 30)  # UTC: 08.30 in Moss
        arrived = [person for person in confirmed if rng.random() < 0.8]
        db.session.execute(insert(CheckIn), [
            {"event_id": event.id, "registration_id": person, "at": doors_open + dt.timedelta(seconds=rng.randrange(5400)),
             "recorded_at": doors_open, "method": "scan"} for person in arrived])
        every = stands(event)
        weights = [rng.randint(1, 10) for _stand in every]
        day = dt.datetime(2016, 11, 9, 8, 0)  # 09.00 to 16.00 local time
        db.session.execute(insert(StandVisit), [
            {"event_id": event.id, "stand_id": rng.choices(every, weights)[0].id,
             "at": day + dt.timedelta(seconds=rng.randrange(7 * 3600))} for _ in range(visits)])
        passports = arrived[: len(arrived) // 5]
        db.session.execute(insert(PassportStamp), [
            {"registration_id": person, "stand_id": stand.id, "at": day}
            for person in passports for stand in every if rng.random() < 0.5])
        db.session.commit()


def run() -> None:
    from fagkonferanse import plugin_manager
    from fagkonferanse.accounts.services import create_organiser
    from fagkonferanse.events.services import current_event
    from fagkonferanse.extensions import db

    with conference_app(TESTING=True, WTF_CSRF_ENABLED=False) as app:
        populate(app)
        with app.app_context():
            create_organiser("bench@example.invalid", "benchmark-passord-1", "Benchmark")
            db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": "bench@example.invalid", "password": "benchmark-passord-1"})
        assert client.get("/admin/report").status_code == 200

        documents = {}
        with app.app_context(), app.test_request_context():
            event = current_event()
            collect = __import__("fagkonferanse_plugins.report.collect", fromlist=["shown_tables"])
            tables = collect.shown_tables(event)
            print(f"{len(tables)} tables, {sum(len(shown.rows) for shown in tables)} rows")
            median, best = timed(lambda: collect.shown_tables(event), repeat=5)
            report("report figures and charts (all plugins)", median, "s", f"best {best:.3f} s")
            for document in plugin_manager().hook.printable_documents():
                documents.update({item.name: item for item in document or ()})
        median, best = timed(lambda: client.get("/admin/report"), repeat=5)
        report("GET /admin/report", median, "s", f"best {best:.3f} s · target < 3 s")
        median, best = timed(lambda: client.get("/admin/report.csv"), repeat=5)
        report("GET /admin/report.csv", median, "s", f"best {best:.3f} s")
        with app.app_context():
            event = current_event()
            pdf = documents["report"].render(event, {})
            median, best = timed(lambda: documents["report"].render(event, {}), repeat=3)
        report("report PDF (A4)", median, "s", f"best {best:.3f} s · {len(pdf) // 1024} KiB · target < 3 s")
