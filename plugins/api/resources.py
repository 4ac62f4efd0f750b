"""Conference objects as the API's JSON (described by :mod:`.schemas`).

Plain functions from model objects to dicts: the views stay thin, and the shapes are easy to
compare with their schemas. Times carry the venue's offset, URLs are absolute from BASE_URL,
and ids/guids are the ones every export uses.

Content is written in Norwegian; each text with an optional English version is given in both,
``title`` and ``title_en``, the English ``null`` where an organiser gave none. A client shows
whichever its reader wants, without asking twice.
"""

from __future__ import annotations

from typing import Any

from fagkonferanse import absolute_url, item_guid, localized, location_guid, speaker_guid, zoned


def english(obj: Any, field: str) -> str | None:
    """``obj.<field>_en`` when an English version is given (as the pages decide), else None."""
    text = localized(obj, field, "en")
    return text.text if text.language == "en" else None


def organisation(org: Any) -> dict[str, Any]:
    return {"name": org.name, "short_name": org.short_name, "kind": org.kind, "url": org.url}


def event_resource(event: Any) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "title": event.title,
        "title_en": english(event, "title"),
        "date": event.date.isoformat(),
        "timezone": event.timezone,
        "venue": event.venue,
        "building": event.building,
        "organisers": [organisation(org) for org in event.organisers],
        "url": absolute_url("events.home"),
        "api_url": absolute_url("api.event"),
    }


def location(event: Any, place: Any) -> dict[str, Any]:
    return {
        "id": place.id,
        "guid": location_guid(event, place),
        "name": place.name,
        "name_en": english(place, "name"),
        "kind": place.kind,
        "building": place.building,
        "floor": place.floor,
        "description": place.description,
        "api_url": absolute_url("api.location", location_id=place.id),
    }


def location_detail(event: Any, place: Any, stands: list[Any], items: list[Any]) -> dict[str, Any]:
    """A location with the stands and programme items placed there."""
    return {
        **location(event, place),
        "stands": [stand_ref(stand) for stand in stands],
        "programme": [programme_item_ref(event, item) for item in items],
    }


def _times(event: Any, item: Any) -> dict[str, Any]:
    return {
        "start": zoned(event, item.start).isoformat(),
        "end": zoned(event, item.end).isoformat() if item.end is not None else None,
    }


def programme_item_ref(event: Any, item: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "guid": item_guid(event, item),
        "title": item.title,
        "title_en": english(item, "title"),
        **_times(event, item),
        "url": absolute_url("programme.item", item_id=item.id),
        "api_url": absolute_url("api.programme_item", item_id=item.id),
    }


def programme_item(event: Any, item: Any) -> dict[str, Any]:
    duration = item.duration
    return {
        **programme_item_ref(event, item),
        "kind": item.kind,
        "duration_minutes": None if duration is None else int(duration.total_seconds()) // 60,
        "presented_by": item.presented_by,
        "description": item.description,
        "description_en": english(item, "description"),
        "organisations": [organisation(org) for org in item.organisations],
        "speakers": [speaker_ref(event, speaker) for speaker in item.speakers],
        "location": location(event, item.location) if item.location is not None else None,
    }


def speaker_ref(event: Any, speaker: Any) -> dict[str, Any]:
    return {
        "id": speaker.id,
        "guid": speaker_guid(event, speaker),
        "name": speaker.name,
        "affiliation": speaker.affiliation,
        "api_url": absolute_url("api.speaker", speaker_id=speaker.id),
    }


def speaker(event: Any, person: Any) -> dict[str, Any]:
    return {
        "id": person.id,
        "guid": speaker_guid(event, person),
        "name": person.name,
        "affiliation": person.affiliation,
        "role": person.role,
        "role_en": english(person, "role"),
        "bio": person.bio,
        "bio_en": english(person, "bio"),
        "programme": [programme_item_ref(event, item) for item in person.items],
        "api_url": absolute_url("api.speaker", speaker_id=person.id),
    }


def stand_ref(stand: Any) -> dict[str, Any]:
    return {
        "slug": stand.slug,
        "name": stand.organisation.name,
        "url": absolute_url("stands.stand", slug=stand.slug),
        "api_url": absolute_url("api.stand", slug=stand.slug),
    }


def stand(event: Any, entry: Any) -> dict[str, Any]:
    place = entry.location
    return {
        "slug": entry.slug,
        "organisation": organisation(entry.organisation),
        "location": location(event, place) if place is not None else None,
        "floor": place.floor if place is not None else None,
        "short_text": entry.short_text,
        "short_text_en": english(entry, "short_text"),
        "url": absolute_url("stands.stand", slug=entry.slug),
        "api_url": absolute_url("api.stand", slug=entry.slug),
    }
