"""The JSON API: every endpoint is in the OpenAPI description, answers what it describes, and
bad addresses get a JSON 404, never an HTML page or a 500."""

from __future__ import annotations

import copy
import re
import textwrap

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from fagkonferanse.extensions import db

from ..conftest import make_app
from .conftest import BASE_URL

OFFSET_TIME = re.compile(r"^2016-11-09T\d{2}:\d{2}:00\+01:00$")


def openapi(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def strict(schema):
    """The schema with every described object closed: an undocumented field fails the test."""
    schema = copy.deepcopy(schema)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node:
                node.setdefault("additionalProperties", False)
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(schema)
    return schema


def check(document: dict, schema: dict, body) -> list[str]:
    """Errors of ``body`` against ``schema`` (which may $ref the document's components)."""
    root = {**strict(schema), "components": strict(document["components"])}
    validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]


def parameter_values(client) -> dict[str, str]:
    """A real value for each path parameter, taken from the API itself."""
    return {
        "item_id": str(client.get("/api/programme").get_json()["items"][3]["id"]),
        "speaker_id": str(client.get("/api/speakers").get_json()["items"][0]["id"]),
        "slug": client.get("/api/stands").get_json()["items"][0]["slug"],
        "location_id": str(client.get("/api/locations").get_json()["items"][0]["id"]),
    }


def openapi_path(rule: str) -> str:
    """Flask's ``/api/programme/<int:item_id>`` in OpenAPI's spelling, ``/api/programme/{item_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_description_is_valid_openapi_3_1(client):
    document = openapi(client)
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
    assert document["servers"] == [{"url": BASE_URL}]


def assert_every_path_answers_as_described(client):
    """Request every path in the description; each answer must match its 200 schema."""
    document = openapi(client)
    values = parameter_values(client)
    for path, item in document["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "application/json", url
        schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert check(document, schema, response.get_json()) == [], url


def test_every_described_path_answers_json_matching_its_schema(client):
    assert_every_path_answers_as_described(client)


def test_every_api_route_is_described_and_every_description_is_a_route(app, client):
    from fagkonferanse_plugins.api.views import NOT_FOUND_ENDPOINT  # loaded with the app

    described = set(openapi(client)["paths"])
    routed = {openapi_path(rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and rule.endpoint != NOT_FOUND_ENDPOINT}
    assert routed == described


def test_the_index_lists_every_endpoint_without_parameters(client):
    index = client.get("/api/").get_json()
    assert index["openapi"] == f"{BASE_URL}/api/openapi.json"
    paths = {entry["path"]: entry["url"] for entry in index["endpoints"]}
    assert paths["/api/programme"] == f"{BASE_URL}/api/programme"
    assert "/api/programme/{item_id}" not in paths


def test_programme_has_the_booklets_day_with_offsets_and_absolute_urls(client):
    items = client.get("/api/programme").get_json()["items"]
    assert len(items) == 16
    assert all(OFFSET_TIME.match(item["start"]) for item in items)
    talk = next(item for item in items if item["title"] == "SE metodikken – teori og praksis")
    assert (talk["start"], talk["end"], talk["duration_minutes"]) == (
        "2016-11-09T09:35:00+01:00", "2016-11-09T09:55:00+01:00", 20)
    assert talk["presented_by"] == "Moss og Rygge"
    assert [s["name"] for s in talk["speakers"]] == ["Erna Haug", "Christian Ebeltoft"]
    assert talk["url"] == f"{BASE_URL}/programme/{talk['id']}"
    assert talk["api_url"] == f"{BASE_URL}/api/programme/{talk['id']}"
    closing = items[-1]
    assert (closing["title"], closing["end"], closing["duration_minutes"]) == ("Vel hjem!", None, None)


def test_speakers_and_their_items_link_both_ways(client):
    speakers = client.get("/api/speakers").get_json()["items"]
    assert len(speakers) == 10
    hege = next(s for s in speakers if s["name"] == "Hege Jacobsen")
    assert hege["affiliation"] == "Moss kommune"
    [item] = hege["programme"]
    assert item["title"] == "Kommunale utviklingsmidler"
    detail = client.get(item["api_url"].removeprefix(BASE_URL)).get_json()
    assert [s["id"] for s in detail["speakers"]] == [hege["id"]]


def test_stands_have_their_location_and_floor(client):
    stands = {s["slug"]: s for s in client.get("/api/stands").get_json()["items"]}
    assert len(stands) == 5
    moss = stands["moss-kommune"]
    assert (moss["organisation"]["name"], moss["floor"]) == ("Moss kommune", 2)
    assert moss["location"]["name"] == "Trappegangen i 2. etasje"
    assert moss["url"] == f"{BASE_URL}/stands/moss-kommune"
    place = client.get(moss["location"]["api_url"].removeprefix(BASE_URL)).get_json()
    assert [s["slug"] for s in place["stands"]] == ["moss-kommune"]


def test_event_is_the_2016_conference(client):
    event = client.get("/api/event").get_json()
    assert (event["slug"], event["date"], event["timezone"]) == (
        "levekar-og-mangfold-2016", "2016-11-09", "Europe/Oslo")
    assert [org["short_name"] for org in event["organisers"]] == ["Fylkesmannen", "Husbanken", "HiØ", "IMDi"]


def test_the_api_may_be_read_from_any_web_page(client):
    assert client.get("/api/programme").headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", [
    "/api/programme/9999", "/api/programme/0", "/api/programme/abc", "/api/programme/-1",
    "/api/programme/99999999999999999999999", "/api/speakers/9999", "/api/speakers/x",
    "/api/stands/no-such-stand", "/api/locations/9999", "/api/nowhere", "/api/programme/4/extra",
])
def test_bad_addresses_are_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    document = openapi(client)
    assert check(document, {"$ref": "#/components/schemas/Problem"}, response.get_json()) == []
    assert response.get_json()["status"] == 404


def test_without_a_conference_the_data_endpoints_are_a_json_404(tmp_path):
    from fagkonferanse.database import upgrade

    app = make_app(tmp_path, BASE_URL=BASE_URL)
    with app.app_context():
        upgrade()
    client = app.test_client()
    assert client.get("/api/openapi.json").status_code == 200
    for path in ("/api/event", "/api/programme", "/api/stands"):
        response = client.get(path)
        assert (response.status_code, response.mimetype) == (404, "application/problem+json")
    with app.app_context():
        db.engine.dispose()


# --- The openapi_paths hook ---------------------------------------------------------------------

PLUGIN = '''
from flask import Blueprint, jsonify
from fagkonferanse import hookimpl

bp = Blueprint("hello_api", __name__)

@bp.get("/api/hello")
def hello():
    return jsonify({"hello": "verden"})

@hookimpl
def register_blueprints(app):
    return [bp]

@hookimpl
def openapi_paths():
    return {"/api/hello": {"get": {
        "operationId": "hello", "summary": "Hei.",
        "responses": {"200": {"description": "Hei.", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"hello": {"type": "string"}}, "required": ["hello"]}}}}},
    }}}
'''


def test_a_plugin_adds_its_own_endpoint_to_the_description(tmp_path, instance):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "hello_api.py").write_text(textwrap.dedent(PLUGIN))
    app = make_app(instance, BASE_URL=BASE_URL, PLUGIN_FOLDERS=[str(folder)])
    client = app.test_client()
    document = openapi(client)
    assert "/api/hello" in document["paths"]
    validate_openapi(document)
    assert "/api/hello" in {entry["path"] for entry in client.get("/api/").get_json()["endpoints"]}
    assert_every_path_answers_as_described(client)
    with app.app_context():
        db.engine.dispose()


def test_two_plugins_describing_one_path_is_an_error(tmp_path, instance):
    from fagkonferanse_plugins.api.openapi import OpenAPIConflict, current_document

    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "clash.py").write_text(textwrap.dedent('''
        from fagkonferanse import hookimpl

        @hookimpl
        def openapi_paths():
            return {"/api/programme": {}}
    '''))
    app = make_app(instance, PLUGIN_FOLDERS=[str(folder)])
    with app.test_request_context(), pytest.raises(OpenAPIConflict, match="/api/programme"):
        current_document()
    with app.app_context():
        db.engine.dispose()
