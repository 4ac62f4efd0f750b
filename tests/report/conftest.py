"""A small 2016 conference for the report's tests: attendees imported from a CSV file as organisers
do, some checked in at the door, some cancelled or waiting, and poster scans at two stands."""

from __future__ import annotations

import datetime as dt

import pytest

from fagkonferanse.checkin.models import PassportStamp, StandVisit
from fagkonferanse.checkin.services import check_in
from fagkonferanse.events.services import current_event
from fagkonferanse.extensions import db
from fagkonferanse.registration import importing, services
from fagkonferanse.registration.models import Registration
from fagkonferanse.registration.tokens import new_checkin_code, new_manage_secret
from fagkonferanse.stands.services import stand_by_slug

ATTENDEES = """navn;e-post;organisasjon;kommune
Anne Moss;anne@moss.kommune.no;Moss kommune;Moss
Bjørn Moss;bjorn@moss.kommune.no;Moss kommune;Moss
Cecilie Moss;cecilie@moss.kommune.no;Moss kommune;moss
Dag Moss;dag@moss.kommune.no;Moss kommune;Moss
Eva Moss;eva@moss.kommune.no;Moss kommune;Moss
Frode Moss;frode@moss.kommune.no;Moss kommune;Moss
Gro Rygge;gro@nav.no;NAV Rygge;Rygge
Hans Rygge;hans@nav.no;NAV Rygge;Rygge
Ida Oslo;ida@husbanken.no;Husbanken;Oslo
Jon Halden;jon@halden.kommune.no;Halden kommune;Halden
Kari Halden;kari@halden.kommune.no;Halden kommune;Halden
"""
# On the day (9 November 2016, UTC+1) five of the six from Moss come in; the two from Halden
# cancelled before it, and one more from Halden is on the waiting list.
CHECKED_IN = ("anne@moss.kommune.no", "bjorn@moss.kommune.no", "cecilie@moss.kommune.no",
              "dag@moss.kommune.no", "eva@moss.kommune.no")
CANCELLED = ("jon@halden.kommune.no", "kari@halden.kommune.no")
WAITING = "lise@halden.kommune.no"
# Poster scans, in UTC: Fredrikstad kommune 7 between 10 and 11 local time and 3 between 11 and 12;
# Moss kommune 2 between 10 and 11.
SCANS = {"fredrikstad-kommune": [dt.datetime(2016, 11, 9, 9, minute) for minute in (1, 5, 12, 20, 33, 41, 59)]
         + [dt.datetime(2016, 11, 9, 10, minute) for minute in (2, 30, 45)],
         "moss-kommune": [dt.datetime(2016, 11, 9, 9, 15), dt.datetime(2016, 11, 9, 9, 45)]}
REGISTERED_AT = dt.datetime(2016, 10, 3, 12, 0)  # all on one day, "3. okt."


def set_up(app) -> None:
    """Import the attendees, move a few to cancelled and waiting, check some in, add scans."""
    with app.app_context():
        event = current_event()
        parsed = importing.parse_csv(ATTENDEES.encode(), importing.stand_lookup(event))
        assert not parsed.problems, parsed.problems
        importing.import_people(event, parsed)
        people = {person.email: person for person in db.session.scalars(db.select(Registration))}
        for person in people.values():
            person.created_at = REGISTERED_AT
        db.session.commit()
        for email in CANCELLED:
            services.cancel(people[email])
        db.session.add(Registration(event_id=event.id, status="waiting", name="Lise Halden", email=WAITING,
                                    organisation="Halden kommune", municipality="Halden", created_at=REGISTERED_AT,
                                    manage_secret=new_manage_secret(), checkin_code=new_checkin_code()))
        for email in CHECKED_IN:
            check_in(people[email], None, at=dt.datetime(2016, 11, 9, 8, 30))
        for slug, times in SCANS.items():
            stand = stand_by_slug(event, slug)
            db.session.add_all(StandVisit(event_id=event.id, stand_id=stand.id, at=at) for at in times)
        db.session.add(PassportStamp(registration_id=people["anne@moss.kommune.no"].id,
                                     stand_id=stand_by_slug(event, "fredrikstad-kommune").id))
        db.session.commit()


@pytest.fixture
def small_conference(app):
    set_up(app)
    return app
