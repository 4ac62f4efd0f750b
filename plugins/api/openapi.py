"""The API's OpenAPI 3.1 description, assembled from every plugin's ``openapi_paths``.

The API plugin describes its own endpoints through the same hook a third-party plugin uses
(:func:`core_paths`), so the catalogue or any other plugin adds ``/api/...`` endpoints to the
one document without touching this file.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from fagkonferanse import plugin_manager, toolkit_version

from .schemas import SCHEMAS, ref


class OpenAPIConflict(Exception):
    """Two plugins describe the same path; the message names it."""


NOT_FOUND = {"$ref": "#/components/responses/NotFound"}


def _operation(operation_id: str, tag: str, summary: str, schema: str,
               parameters: tuple[dict[str, Any], ...] = (), needs_event: bool = True,
               description: str = "") -> dict[str, Any]:
    """A GET answering 200 with JSON of ``schema`` (and 404 when the thing is not there)."""
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "tags": [tag],
        "summary": summary,
        "responses": {"200": {"description": summary,
                              "content": {"application/json": {"schema": ref(schema)}}}},
    }
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = list(parameters)
    if parameters or needs_event:
        operation["responses"]["404"] = NOT_FOUND
    return {"get": operation}


def _id_parameter(name: str, what: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": f"The {what}'s id.",
            "schema": {"type": "integer", "minimum": 1}}


SLUG_PARAMETER = {"name": "slug", "in": "path", "required": True,
                  "description": "The stand's slug, as in its page address (`husbanken`).",
                  "schema": {"type": "string"}}


def core_paths() -> dict[str, dict[str, Any]]:
    """The API plugin's own endpoints (what its ``openapi_paths`` hook returns)."""
    return {
        "/api/": _operation(
            "index", "meta", "Every endpoint without parameters, with its address.", "ApiIndex",
            needs_event=False),
        "/api/openapi.json": {"get": {
            "operationId": "openapi", "tags": ["meta"], "summary": "This description.",
            "responses": {"200": {"description": "An OpenAPI 3.1 document.",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
        "/api/event": _operation("getEvent", "event", "The conference day.", "Event"),
        "/api/programme": _operation(
            "listProgramme", "programme", "The programme in time order.", "ProgrammeItemList",
            description="Times are local to the venue with their UTC offset. The guid of an "
                        "item is the same as in /schedule.xml and /schedule.json."),
        "/api/programme/{item_id}": _operation(
            "getProgrammeItem", "programme", "One programme item.", "ProgrammeItem",
            (_id_parameter("item_id", "programme item"),)),
        "/api/speakers": _operation("listSpeakers", "speakers", "The speakers.", "SpeakerList"),
        "/api/speakers/{speaker_id}": _operation(
            "getSpeaker", "speakers", "One speaker with their programme items.", "Speaker",
            (_id_parameter("speaker_id", "speaker"),)),
        "/api/stands": _operation("listStands", "stands", "The stands, with where they are.",
                                  "StandList"),
        "/api/stands/{slug}": _operation("getStand", "stands", "One stand.", "Stand",
                                         (SLUG_PARAMETER,)),
        "/api/locations": _operation("listLocations", "venue", "The venue's locations.",
                                     "LocationList"),
        "/api/locations/{location_id}": _operation(
            "getLocation", "venue", "One location with its stands and programme items.",
            "LocationDetail", (_id_parameter("location_id", "location"),)),
    }


def openapi_document(contributions: list[dict[str, Any] | None]) -> dict[str, Any]:
    """The whole document from the ``openapi_paths`` results of every plugin."""
    paths: dict[str, Any] = {}
    for contribution in contributions:
        for path, item in (contribution or {}).items():
            if path in paths:
                raise OpenAPIConflict(f"two plugins describe the API path {path}")
            paths[path] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "fagkonferanse API",
            "version": toolkit_version(),
            "summary": "The conference's programme, speakers, stands and venue, read-only.",
            "description": "Open data about the conference day. Every answer is JSON; times "
                           "are local to the venue with their UTC offset; URLs are absolute. "
                           "Texts are in Norwegian bokmål; where an organiser gave an English "
                           "version it is beside them (`title_en` beside `title`), null where "
                           "not. Errors are RFC 9457 problem details.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": current_app.config["BASE_URL"]}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": SCHEMAS,
            "responses": {"NotFound": {
                "description": "No such thing in the current conference.",
                "content": {"application/problem+json": {"schema": ref("Problem")}},
            }},
        },
    }


def current_document() -> dict[str, Any]:
    """The document for the running application, with every loaded plugin's paths."""
    return openapi_document(plugin_manager().hook.openapi_paths())
