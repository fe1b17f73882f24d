"""The OpenAPI schema: valid, warning-free, and complete with request and error shapes."""

import json

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.plumbing import _load_enum_name_overrides
from drf_spectacular.validation import validate_schema


@pytest.fixture(autouse=True)
def fresh_enum_names():
    """drf-spectacular caches the enum name overrides per language: each test starts clean."""
    _load_enum_name_overrides.cache_clear()
    yield
    _load_enum_name_overrides.cache_clear()


@pytest.fixture
def schema(client, head_a):
    client.force_login(head_a)
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


def test_the_management_command_validates_with_fail_on_warn(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` over the whole site, with the
    enum names of SPECTACULAR_SETTINGS (the one list of them)."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/cases/{id}/moves/" in (tmp_path / "schema.yml").read_text()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def test_every_operation_documents_its_request_success_and_errors(schema):
    """Writes have a JSON request body; every operation has its success response with a
    body (204 excepted), 400/401/403/404, and writes also 409."""
    seen = set()
    for path, method, operation in operations(schema):
        seen.add((method, path))
        responses = operation["responses"]
        success = [code for code in responses if code.startswith("2")]
        assert len(success) == 1, (method, path)
        if success != ["204"]:
            assert "application/json" in responses[success[0]]["content"], (method, path)
        assert {"400", "401", "403", "404"} <= set(responses), (method, path)
        if method in {"POST", "PUT", "PATCH"}:
            assert "application/json" in operation["requestBody"]["content"], (method, path)
            assert "409" in responses, (method, path)
    assert {
        ("POST", "/api/v1/auth/token/"),
        ("GET", "/api/v1/cases/{id}/moves/"),
        ("POST", "/api/v1/cases/{id}/moves/"),
        ("POST", "/api/v1/moves/{id}/approve/"),
        ("POST", "/api/v1/moves/{id}/reject/"),
        ("PUT", "/api/v1/activities/{id}/attendance/"),
        ("POST", "/api/v1/groups/{id}/members/"),
        ("DELETE", "/api/v1/groups/{id}/members/{household}/"),
    } <= seen
    for resource in [
        "regencies", "districts", "villages", "households", "persons", "programs", "partners", "cases",
        "moves", "assistance", "groups", "enterprises", "capital-access", "activities",
    ]:  # fmt: skip
        assert ("GET", f"/api/v1/{resource}/") in seen
        assert (
            "GET",
            f"/api/v1/{resource}/{{{'code' if resource in {'regencies', 'districts', 'villages'} else 'id'}}}/",
        ) in seen


def test_lists_document_the_pagination_shape(schema):
    page = schema["components"]["schemas"]["PaginatedCaseList"]
    assert set(page["properties"]) == {"count", "count_is_estimate", "next", "previous", "results"}
    params = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"page", "page_size", "stage", "status", "village", "district", "regency"} <= params
    case = schema["components"]["schemas"]["Case"]["properties"]
    assert {"id", "household", "stage", "status", "opened_on", "closed_on", "pending_move"} <= set(case)


def test_the_token_endpoint_documents_the_login_limit(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert "429" in operation["responses"]
    assert "15 menit" in operation["description"]
    assert operation["security"] == [{}]  # no credentials needed to ask for a token
    assert schema["paths"]["/api/v1/cases/"]["get"]["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]


def test_the_schema_and_docs_need_a_signed_in_user(client, api, db):
    """A map of the data is not for strangers: the schema answers 401, the docs page sends
    to the sign-in page."""
    response = api().get("/api/v1/schema/?format=json")
    assert response.status_code == 401 and "paths" not in response.content.decode()
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 302 and docs["Location"] == "/masuk/?next=/api/v1/docs/"


def test_the_schema_answers_a_token(api, head_a):
    from api.tokens import issue_token

    key = issue_token(user=head_a)[1]
    response = api(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/schema/?format=json")
    assert response.status_code == 200 and "/api/v1/cases/" in response.json()["paths"]


def test_the_docs_page_serves_its_assets_locally(client, head_a):
    """Swagger UI loads from /static/ (drf-spectacular-sidecar), never from a CDN, and its
    start-up script is a file, not inline (the CSP allows no inline script)."""
    client.force_login(head_a)
    html = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "/api/v1/schema/" in client.get("/api/v1/docs/?script=").content.decode()
    asset = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200
