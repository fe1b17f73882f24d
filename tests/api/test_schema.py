"""The OpenAPI schema: valid, warning-free, and complete with request and error shapes."""

import json

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema


@pytest.fixture
def schema(client):
    GENERATOR_STATS.reset()
    GENERATOR_STATS.enable_trace_lineno()
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_is_valid_openapi_without_warnings(schema):
    """The served schema passes the OpenAPI validator, and generating it raised no
    warning or error (the equivalent of `spectacular --validate --fail-on-warn`)."""
    validate_schema(schema)
    assert not GENERATOR_STATS, f"{GENERATOR_STATS._warn_cache} {GENERATOR_STATS._error_cache}"
