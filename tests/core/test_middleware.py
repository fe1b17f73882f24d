"""A NUL byte in a query string or a form is refused at the door with a 400 in Indonesian."""

import pytest

NUL_MESSAGE = "byte NUL"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/beneficiaries/household/?regency=%00",
        "/admin/beneficiaries/person/?q=%00",
        "/admin/autocomplete/?app_label=beneficiaries&model_name=household&field_name=household&term=%00",
        "/rumah-tangga/?q=%00",
        "/rumah-tangga/?tahap=1%00",
    ],
)
def test_it_refuses_a_nul_byte_on_pages_and_admin(client, province, url):
    """Admin filters, autocomplete and the page search answer 400, never 500."""
    client.force_login(province)
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert "Permintaan tidak sah" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/households/?regency=%00", "regency"),
        ("/api/v1/persons/?search=Siti%00", "search"),
        ("/api/v1/cases/?stage=1&status=%00", "status"),
    ],
)
def test_it_refuses_a_nul_byte_on_the_api_naming_the_parameter(client, province, url, field):
    """The API's 400 shape, `{field: [messages]}`, with the parameter named."""
    client.force_login(province)
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.json()[field][0]


def test_it_refuses_a_nul_byte_in_a_form_key_or_value(client, province):
    client.force_login(province)
    assert client.post("/rumah-tangga/baru/", {"address": "Kp. A\x00"}).status_code == 400
    assert client.post("/rumah-tangga/baru/", {"addr\x00ess": "Kp. A"}).status_code == 400


def test_it_lets_ordinary_requests_through(client, province):
    client.force_login(province)
    assert client.get("/admin/beneficiaries/household/?regency=36.01").status_code == 200
