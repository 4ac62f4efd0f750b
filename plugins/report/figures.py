"""The core's own figures for the report, counted from the face's models.

Every query is aggregate (GROUP BY): the report for a thousand attendees and ten thousand poster
scans reads a few hundred rows, not ten thousand. Times are stored in UTC and the report speaks in
the event's local time, so scans and registrations are counted per UTC hour in the database
(``EXTRACT`` works on SQLite and PostgreSQL alike) and each hour is moved to local time here:
Norway's offset from UTC is a whole number of hours, so an hour bucket never straddles two local
hours or days.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import case, extract, func

from fagkonferanse import (
    CANCELLED,
    CONFIRMED,
    WAITING,
    CheckIn,
    PassportStamp,
    Registration,
    ReportTable,
    Stand,
    StandVisit,
    current_language,
    db,
    registration_counts,
    sort_key,
    stands,
)

from .rules import TYPE_LABELS, organisation_type

# Registrations over more days than this are counted per week, so the chart stays readable.
MOST_DAYS = 14
MOST_WEEKS = 16
# Each stand's scans per hour: tables keyed "stand-<slug>" (the page shows them as a grid).
STAND_HOURS_PREFIX = "stand-"


def _local_hours(event, column, groups=(), filters=()) -> Counter:
    """Rows counted per local hour: keys ``(local hour, *group values)``, the hour a naive local
    datetime on the hour. ``column`` is a UTC timestamp; ``groups`` are further columns to count
    by, ``filters`` the WHERE clauses."""
    parts = [extract(part, column) for part in ("year", "month", "day", "hour")]
    rows = db.session.execute(
        db.select(*groups, *parts, func.count()).where(*filters).group_by(*groups, *parts)
    ).all()
    zone = ZoneInfo(event.timezone)
    counts: Counter = Counter()
    for row in rows:
        keys, (year, month, day, hour, count) = tuple(row[:len(groups)]), row[len(groups):]
        utc = dt.datetime(int(year), int(month), int(day), int(hour), tzinfo=dt.UTC)
        counts[(utc.astimezone(zone).replace(tzinfo=None), *keys)] += count
    return counts


def short_day(day: dt.date) -> str:
    """A day as a chart's label: "3. okt." ("3 Oct" in English)."""
    return format_date(day, "d MMM" if current_language() == "en" else "d. MMM")


def hour_label(hour: dt.time) -> str:
    """An hour row's label in a table: "09–10". (A chart writes only "09", below its column.)"""
    return f"{hour.hour:02d}–{(hour.hour + 1) % 24:02d}"


# --- Registrations ------------------------------------------------------------------------------


def status_counts(event) -> dict[str, int]:
    """Registrations per status, and how many were checked in at the door."""
    counts = registration_counts(event)
    counts["checked_in"] = db.session.scalar(
        db.select(func.count()).select_from(CheckIn).where(CheckIn.event_id == event.id))
    return counts


def status_table(event) -> ReportTable:
    counts = status_counts(event)
    rows = ((_("Bekreftet"), counts[CONFIRMED]), (_("Sjekket inn"), counts["checked_in"]),
            (_("Venteliste"), counts[WAITING]), (_("Avmeldt"), counts[CANCELLED]))
    return ReportTable("status", _("Påmeldinger"), (_("Status"), _("Antall")), rows, chart="bars", order=10,
                       note=_("«Bekreftet» er de som har plass nå; de som meldte seg av, står under «Avmeldt»."))


def registrations_table(event) -> ReportTable:
    """New registrations per local day (per week, or month, over a longer period), with the running total."""
    per_hour = _local_hours(event, Registration.created_at, filters=[Registration.event_id == event.id])
    per_day = Counter()
    for (hour,), count in per_hour.items():
        per_day[hour.date()] += count
    columns = (_("Dag"), _("Nye påmeldinger"), _("Totalt"))
    if not per_day:
        return ReportTable("registrations", _("Påmeldinger over tid"), columns, (), chart="timeline", order=20)
    first, last = min(per_day), max(per_day)
    if (last - first).days < MOST_DAYS:
        starts = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        label = lambda start: start  # noqa: E731  (a date: "3. okt." on the page, ISO in the CSV)
    elif (last - first).days < MOST_WEEKS * 7:
        monday = first - dt.timedelta(days=first.weekday())
        starts = [monday + dt.timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]
        columns = (_("Uke"), *columns[1:])
        label = lambda start: _("uke %(number)s", number=start.isocalendar().week)  # noqa: E731
    else:
        starts = [dt.date(year, month, 1) for year in range(first.year, last.year + 1) for month in range(1, 13)
                  if dt.date(first.year, first.month, 1) <= dt.date(year, month, 1) <= last]
        columns = (_("Måned"), *columns[1:])
        label = lambda start: format_date(start, "MMM yyyy")  # noqa: E731
    buckets = Counter()
    for day, count in per_day.items():
        buckets[max(start for start in starts if start <= day)] += count
    rows, total = [], 0
    for start in starts:
        total += buckets[start]
        rows.append((label(start), buckets[start], total))
    return ReportTable("registrations", _("Påmeldinger over tid"), columns, tuple(rows), chart="timeline",
                       order=20, note=_("Alle påmeldinger etter dagen de kom inn, også de som senere meldte seg av."))


def _attendee_rows(event, key):
    """(group value, registered, checked in) for confirmed registrations, grouped by ``key``."""
    checked_in = func.count(CheckIn.id)
    return db.session.execute(
        db.select(key, func.count(Registration.id), checked_in)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.status == CONFIRMED)
        .group_by(key)
    ).all()


def municipality_table(event) -> ReportTable:
    """Confirmed attendees per municipality as typed (case and spaces evened out), largest first."""
    merged: dict[str, list] = {}
    for name, registered, checked_in in _attendee_rows(event, Registration.municipality):
        text = " ".join((name or "").split())
        entry = merged.setdefault(text.casefold(), [text, 0, 0])
        entry[1] += registered
        entry[2] += checked_in
    unknown = merged.pop("", None)
    rows = sorted(merged.values(), key=lambda row: (-row[1], sort_key(row[0])))
    if unknown:
        rows.append([_("Ikke oppgitt"), unknown[1], unknown[2]])
    return ReportTable("municipalities", _("Deltakere etter kommune"),
                       (_("Kommune"), _("Påmeldt"), _("Sjekket inn")), tuple(tuple(row) for row in rows),
                       order=30, note=_("Bekreftede påmeldinger, etter kommunen deltakeren oppga."))


def organisation_type_table(event) -> ReportTable:
    """Confirmed attendees per type of organisation, read from the organisation's name."""
    registered, checked_in = Counter(), Counter()
    for name, count, arrived in _attendee_rows(event, Registration.organisation):
        kind = organisation_type(name)
        registered[kind] += count
        checked_in[kind] += arrived
    rows = [(str(label), registered[kind], checked_in[kind]) for kind, label in TYPE_LABELS.items()]
    return ReportTable("organisation-types", _("Deltakere etter type virksomhet"),
                       (_("Type"), _("Påmeldt"), _("Sjekket inn")), tuple(rows), order=40,
                       note=_("Typen er lest ut fra organisasjonsnavnet deltakeren skrev, med enkle ordregler "
                              "(«kommune» → Kommune, «NAV» → NAV, «Husbanken» → Statlig …)."))


# --- Stands ---------------------------------------------------------------------------------------


def _stamps_per_stand(event) -> Counter:
    return Counter(dict(db.session.execute(
        db.select(PassportStamp.stand_id, func.count()).join(Stand, Stand.id == PassportStamp.stand_id)
        .where(Stand.event_id == event.id).group_by(PassportStamp.stand_id)
    ).all()))


def _visits(event, stand=None) -> Counter:
    """Poster scans per (local hour, stand id)."""
    filters = [StandVisit.event_id == event.id]
    if stand is not None:
        filters.append(StandVisit.stand_id == stand.id)
    return _local_hours(event, StandVisit.at, groups=[StandVisit.stand_id], filters=filters)


def _hour_rows(per_hour: Counter, hours: list[dt.datetime]) -> tuple:
    # The label is the hour's start as a time: tables write it "09–10", charts "09".
    return tuple((dt.time(hour.hour), per_hour.get(hour, 0)) for hour in hours)


def _hour_span(counts: Counter) -> list[dt.datetime]:
    """Every hour from the first scan's to the last's (gaps as zero hours), in local time."""
    if not counts:
        return []
    first, last = min(key[0] for key in counts), max(key[0] for key in counts)
    return [first + dt.timedelta(hours=n) for n in range(int((last - first).total_seconds() // 3600) + 1)]


def _scans_note() -> str:
    return _("Hver skanning av QR-koden på en standplakat telles anonymt, med stand og klokkeslett.")


def stand_tables(event) -> list[ReportTable]:
    """Scans and passport stamps per stand, scans per hour in all, and each stand's hours."""
    visits = _visits(event)
    stamps = _stamps_per_stand(event)
    per_stand, per_hour = Counter(), Counter()
    for (hour, stand_id), count in visits.items():
        per_stand[stand_id] += count
        per_hour[hour] += count
    every = stands(event)
    totals = sorted(((stand.organisation.name, per_stand[stand.id], stamps[stand.id]) for stand in every),
                    key=lambda row: (-row[1], -row[2], sort_key(row[0])))
    hours = _hour_span(visits)
    tables = [
        ReportTable("stands", _("Besøk på standene"), (_("Stand"), _("Skanninger"), _("Stempler i standpasset")),
                    tuple(totals), order=50, note=_scans_note()),
        ReportTable("scans-by-hour", _("Skanninger per time, alle stands"), (_("Time"), _("Skanninger")),
                    _hour_rows(per_hour, hours), chart="timeline", order=51),
    ]
    if hours:
        for position, stand in enumerate(sorted(every, key=lambda stand: sort_key(stand.organisation.name))):
            mine = Counter({hour: count for (hour, stand_id), count in visits.items() if stand_id == stand.id})
            tables.append(ReportTable(f"{STAND_HOURS_PREFIX}{stand.slug}", _("Skanninger per time: %(stand)s",
                                                                  stand=stand.organisation.name),
                                      (_("Time"), _("Skanninger")), _hour_rows(mine, hours), chart="timeline",
                                      order=52 + position / 1000))
    return tables


def own_stand_tables(event, stand) -> list[ReportTable]:
    """One stand's figures for its exhibitor: its scans and stamps, and its scans per hour."""
    visits = _visits(event, stand)
    per_hour = Counter()
    for (hour, _stand_id), count in visits.items():
        per_hour[hour] += count
    stamps = _stamps_per_stand(event)[stand.id]
    return [
        ReportTable("stand", _("Standen i tall"), (_("Hva"), _("Antall")),
                    ((_("Skanninger av plakaten"), sum(per_hour.values())), (_("Stempler i standpasset"), stamps)),
                    chart="", order=50, note=_scans_note()),
        ReportTable(f"{STAND_HOURS_PREFIX}{stand.slug}", _("Skanninger per time"), (_("Time"), _("Skanninger")),
                    _hour_rows(per_hour, _hour_span(visits)), chart="timeline", order=51),
    ]


def core_tables(event, stand=None) -> list[ReportTable]:
    """Every table the core's data gives: the whole conference's, or one stand's."""
    if stand is not None:
        return own_stand_tables(event, stand)
    return [status_table(event), registrations_table(event), municipality_table(event),
            organisation_type_table(event), *stand_tables(event)]
