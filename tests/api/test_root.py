"""`/api/v1/` itself: a page (or JSON) in Indonesian that links the docs and the schema."""

import pytest

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DOCS, SCHEMA = "http://testserver/api/v1/docs/", "http://testserver/api/v1/schema/"

pytestmark = pytest.mark.django_db


def test_it_answers_a_browser_with_a_page_that_links_the_docs_and_the_schema(client):
    """Anonymous, from a browser: an Indonesian HTML page, not a 404, with both links."""
    response = client.get("/api/v1/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert f'<a href="{DOCS}">Dokumentasi interaktif (Swagger UI)</a>' in html
    assert f'<a href="{SCHEMA}">Skema OpenAPI</a>' in html
    assert "http://testserver/api/v1/households/" in html
    assert "<h1>API Banten PM, versi 1</h1>" in html


@pytest.mark.parametrize("accept", ["application/json", "*/*"])
def test_it_answers_a_program_with_json_links(client, accept):
    """A program (or curl, Accept */*) gets JSON whose links lead to the docs and the schema."""
    response = client.get("/api/v1/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["docs"], body["schema"]) == (DOCS, SCHEMA)
    assert body["token"] == "http://testserver/api/v1/auth/token/"
    assert body["resources"]["cases"] == "http://testserver/api/v1/cases/"
    assert body["title"] == "API Banten PM, versi 1"
    assert client.get(body["docs"]).status_code == 302  # to the sign-in page, then the docs
    assert client.get(body["schema"]).status_code == 401


def test_it_is_not_an_operation_of_the_schema(client, head_a):
    """The root is a signpost: the OpenAPI schema lists the API's operations only."""
    client.force_login(head_a)
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/" not in schema["paths"]
    assert "/api/v1/cases/" in schema["paths"]
