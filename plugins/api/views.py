"""The read-only JSON API under ``/api/``: load, look up, serialize; nothing else.

Every answer is JSON, errors included: a client asking for a programme item that does not exist
gets an RFC 9457 problem document with status 404, never the site's HTML error page.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app
from werkzeug.exceptions import HTTPException

from fagkonferanse import (
    Location,
    ProgrammeItem,
    Speaker,
    current_event_or_404,
    db,
    find_in_event,
    programme_items,
    speakers,
    stand_by_slug,
    stands,
)

from . import resources
from .openapi import current_document

bp = Blueprint("api", __name__, url_prefix="/api")

# The catch-all's endpoint: it answers unknown /api/ addresses and is not an API endpoint.
NOT_FOUND_ENDPOINT = "api.not_found"


def json_response(data: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    """Readable UTF-8 JSON (Norwegian letters as letters, not \\u escapes)."""
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return Response(body, status=status, mimetype=mimetype)


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """Public, read-only data without cookies: any web page may read it (CORS)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def problem(error: HTTPException) -> Response:
    """Errors as RFC 9457 problem details."""
    return json_response(
        {"type": "about:blank", "title": error.name, "status": error.code,
         "detail": error.description},
        status=error.code or 500, mimetype="application/problem+json",
    )


# Flask prefers any handler registered for the status code, even the application's HTML 404
# and 500 pages, over a blueprint's handler for a class: so the codes are named as well.
for _code in (404, 500):
    bp.register_error_handler(_code, problem)
bp.register_error_handler(HTTPException, problem)


@bp.get("/")
def index() -> Response:
    base = current_app.config["BASE_URL"]
    endpoints = [
        {"path": path, "summary": item["get"].get("summary", ""), "url": base + path}
        for path, item in current_document()["paths"].items()
        if "{" not in path and "get" in item
    ]
    return json_response({"openapi": base + "/api/openapi.json", "endpoints": endpoints})


@bp.get("/openapi.json")
def openapi() -> Response:
    return json_response(current_document())


@bp.get("/event")
def event() -> Response:
    return json_response(resources.event_resource(current_event_or_404()))


@bp.get("/programme")
def programme() -> Response:
    event = current_event_or_404()
    return json_response({"items": [resources.programme_item(event, item)
                                    for item in programme_items(event)]})


@bp.get("/programme/<int:item_id>")
def programme_item(item_id: int) -> Response:
    event = current_event_or_404()
    return json_response(resources.programme_item(event, _found(ProgrammeItem, event, item_id)))


@bp.get("/speakers")
def speaker_list() -> Response:
    event = current_event_or_404()
    return json_response({"items": [resources.speaker(event, person) for person in speakers(event)]})


@bp.get("/speakers/<int:speaker_id>")
def speaker(speaker_id: int) -> Response:
    event = current_event_or_404()
    return json_response(resources.speaker(event, _found(Speaker, event, speaker_id)))


@bp.get("/stands")
def stand_list() -> Response:
    event = current_event_or_404()
    return json_response({"items": [resources.stand(event, entry) for entry in stands(event)]})


@bp.get("/stands/<slug>")
def stand(slug: str) -> Response:
    event = current_event_or_404()
    found = stand_by_slug(event, slug)
    if found is None:
        abort(404, f"No stand {slug!r} in this conference.")
    return json_response(resources.stand(event, found))


@bp.get("/locations")
def location_list() -> Response:
    event = current_event_or_404()
    places = db.session.scalars(
        db.select(Location).where(Location.event_id == event.id).order_by(Location.floor, Location.name)
    )
    return json_response({"items": [resources.location(event, place) for place in places]})


@bp.get("/locations/<int:location_id>")
def location(location_id: int) -> Response:
    event = current_event_or_404()
    place = _found(Location, event, location_id)
    here = [entry for entry in stands(event) if entry.location_id == place.id]
    items = [item for item in programme_items(event) if item.location_id == place.id]
    return json_response(resources.location_detail(event, place, here, items))


@bp.get("/<path:anything>")
def not_found(anything: str) -> Response:
    """Unknown API addresses (and ids that are not numbers) answer like a missing id: JSON 404."""
    abort(404, "No such API endpoint; see /api/openapi.json.")


def _found(model: type, event: Any, object_id: int) -> Any:
    found = find_in_event(model, event, object_id)
    if found is None:
        abort(404, f"No {model.__name__} with id {object_id} in this conference.")
    return found
