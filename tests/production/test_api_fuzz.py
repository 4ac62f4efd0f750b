"""Schemathesis against the JSON API's own OpenAPI description, through the app's WSGI interface.

Whatever it generates from the description — valid requests, and (negative mode) requests that
break it: odd ids, huge numbers, strange slugs and query strings — the server never answers 5xx.

The strategies are used with Hypothesis directly rather than through schemathesis' pytest plugin,
whose lazy fixture loading does not work with the pytest this project runs.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from fagkonferanse.extensions import db

from ..conftest import make_app
from ..databases import drop_database, new_database

EXAMPLES = 150  # over all ten operations: about fifteen requests each


@pytest.fixture(scope="module")
def api_app(tmp_path_factory, loaded_database):
    instance = tmp_path_factory.mktemp("api-fuzz") / "instance"
    new_database(instance, template=loaded_database)
    app = make_app(instance)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(instance)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_no_generated_request_gets_a_server_error(api_app, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert len(operations) >= 8
    called: set[str] = set()

    @given(case=schema.as_strategy(mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def request_never_fails(case):
        called.add(case.operation.label)
        case.call_and_validate(checks=[not_a_server_error])

    request_never_fails()
    # Every operation was tried; negative mode only has something to break where a path takes an id.
    expected = operations if mode == GenerationMode.POSITIVE else {label for label in operations if "_id}" in label}
    assert called >= expected and expected, expected - called
