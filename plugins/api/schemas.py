"""JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of everything the API answers with.

They are the contract: :mod:`.resources` builds the JSON, these describe it, and the tests check
every answer against them. Plugins refer to them as ``#/components/schemas/<Name>``.

The schemas do not forbid extra properties, so a client keeps working when a field is added;
the tests check with a stricter copy, so a field the schemas do not mention fails them.
"""

from __future__ import annotations

from typing import Any


def ref(name: str) -> dict[str, str]:
    """A reference to one of the schemas below."""
    return {"$ref": f"#/components/schemas/{name}"}


def _object(description: str, properties: dict[str, Any]) -> dict[str, Any]:
    """An object whose listed properties are all present (some may be null)."""
    return {"type": "object", "description": description, "properties": properties,
            "required": list(properties)}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _english(field: str) -> dict[str, Any]:
    """The English version of ``field``: null when none is given (then show ``field``)."""
    return {**_nullable(TEXT), "description": f"The English version of `{field}`; null when none is "
                                              f"given (show `{field}`, which is Norwegian)."}


def _list_of(name: str, description: str) -> dict[str, Any]:
    return _object(description, {"items": {"type": "array", "items": ref(name)}})


TEXT = {"type": "string"}
ID = {"type": "integer", "minimum": 1}
GUID = {"type": "string", "format": "uuid",
        "description": "Stable identifier, the same in schedule.xml and schedule.json."}
URL = {"type": "string", "format": "uri"}
PAGE_URL = {**URL, "description": "The page on the conference site."}
API_URL = {**URL, "description": "This resource in the API."}
# Local time at the venue with its UTC offset, e.g. 2016-11-09T09:35:00+01:00.
TIME = {"type": "string", "format": "date-time",
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$"}

_LOCATION = {
    "id": ID,
    "guid": {**GUID, "description": "Stable identifier; a room's guid in the schedule files."},
    "name": TEXT,
    "name_en": _english("name"),
    "kind": {"type": "string", "examples": ["room", "corridor", "stairway", "hall", "area"]},
    "building": TEXT,
    "floor": {"type": "integer", "description": "Floor number as signposted (1 = ground floor)."},
    "description": {**TEXT, "description": "Where the booklet says it is, in its own words."},
    "api_url": API_URL,
}

_ITEM_REF = {"id": ID, "guid": GUID, "title": TEXT, "title_en": _english("title"), "start": TIME,
             "end": _nullable(TIME), "url": PAGE_URL, "api_url": API_URL}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Organisation": _object("A municipality, agency or institution.", {
        "name": TEXT,
        "short_name": {**TEXT, "description": "How the programme names it (\"HiØ\", \"Moss\")."},
        "kind": {"type": "string", "examples": ["agency", "municipality", "university"]},
        "url": _nullable(URL),
    }),
    "Event": _object("The conference day.", {
        "slug": TEXT, "title": TEXT, "title_en": _english("title"),
        "date": {"type": "string", "format": "date"},
        "timezone": {**TEXT, "description": "IANA zone of every time in the API.",
                     "examples": ["Europe/Oslo"]},
        "venue": TEXT, "building": TEXT,
        "organisers": {"type": "array", "items": ref("Organisation")},
        "url": PAGE_URL, "api_url": API_URL,
    }),
    "Location": _object("A place in the venue where programme items or stands are.", _LOCATION),
    "LocationDetail": _object("A location with what happens there.", {
        **_LOCATION,
        "stands": {"type": "array", "items": ref("StandRef")},
        "programme": {"type": "array", "items": ref("ProgrammeItemRef")},
    }),
    "SpeakerRef": _object("A speaker, as listed on a programme item.", {
        "id": ID, "guid": GUID, "name": TEXT, "affiliation": TEXT, "api_url": API_URL,
    }),
    "ProgrammeItemRef": _object("A programme item, as listed on a speaker or a location.",
                                _ITEM_REF),
    "ProgrammeItem": _object("One slot of the day: a talk, a break, lunch and stands …", {
        **_ITEM_REF,
        "kind": {"type": "string", "examples": ["registration", "welcome", "talk", "break",
                                               "stands", "information", "summary", "closing"]},
        "end": {**_nullable(TIME), "description": "Null for a moment without an end "
                                                  "(the day's closing words)."},
        "duration_minutes": _nullable({"type": "integer", "minimum": 0}),
        "presented_by": {**TEXT, "description": "The presenting organisations as the booklet "
                                                "writes them (\"Moss og Rygge\"); may be empty."},
        "description": TEXT,
        "description_en": _english("description"),
        "organisations": {"type": "array", "items": ref("Organisation")},
        "speakers": {"type": "array", "items": ref("SpeakerRef")},
        "location": _nullable(ref("Location")),
    }),
    "Speaker": _object("A person on the programme.", {
        "id": ID, "guid": GUID, "name": TEXT, "affiliation": TEXT,
        "role": TEXT, "role_en": _english("role"), "bio": TEXT, "bio_en": _english("bio"),
        "programme": {"type": "array", "items": ref("ProgrammeItemRef")},
        "api_url": API_URL,
    }),
    "StandRef": _object("A stand, as listed on a location.", {
        "slug": TEXT, "name": TEXT, "url": PAGE_URL, "api_url": API_URL,
    }),
    "Stand": _object("An organisation's stand during lunch.", {
        "slug": TEXT,
        "organisation": ref("Organisation"),
        "location": _nullable(ref("Location")),
        "floor": {**_nullable({"type": "integer"}), "description": "The location's floor."},
        "short_text": TEXT,
        "short_text_en": _english("short_text"),
        "url": PAGE_URL, "api_url": API_URL,
    }),
    "ProgrammeItemList": _list_of("ProgrammeItem", "The day's programme in time order."),
    "SpeakerList": _list_of("Speaker", "The speakers by name."),
    "StandList": _list_of("Stand", "The stands, floor by floor."),
    "LocationList": _list_of("Location", "The locations of the venue."),
    "ApiIndex": _object("Where everything in the API is.", {
        "openapi": {**URL, "description": "This API's OpenAPI description."},
        "endpoints": {"type": "array", "items": _object("An endpoint without parameters.", {
            "path": TEXT, "summary": TEXT, "url": URL,
        })},
    }),
    "Problem": {
        "type": "object",
        "description": "An error, as RFC 9457 problem details.",
        "properties": {"type": TEXT, "title": TEXT, "status": {"type": "integer"},
                       "detail": TEXT},
        "required": ["title", "status"],
    },
}
