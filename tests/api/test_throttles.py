"""Reads per user are limited (api/throttles.py): a province official cannot sweep the
province's NIKs through detail reads, and the answer past the limit is 429 in Indonesian
with Retry-After. Writes and other users are not held up."""

import datetime

import pytest
import time_machine

from api.tokens import issue_token

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def client_of(api):
    def make(user):
        return api(HTTP_AUTHORIZATION=f"Token {issue_token(user=user)[1]}")

    return make


def test_person_detail_reads_stop_at_their_rate(client_of, province, head_of_a, settings):
    settings.API_IDENTITY_READ_RATE = "3/hour"
    client = client_of(province)
    url = f"/api/v1/persons/{head_of_a.pk}/"
    with time_machine.travel(START, tick=False):
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get(url)
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Terlalu banyak permintaan data. Coba lagi dalam 60 menit."}
    assert int(refused["Retry-After"]) == 3600
    assert head_of_a.nik not in refused.content.decode()


def test_household_details_count_with_person_details(client_of, province, household_a, head_of_a, settings):
    settings.API_IDENTITY_READ_RATE = "2/hour"
    client = client_of(province)
    assert client.get(f"/api/v1/persons/{head_of_a.pk}/").status_code == 200
    assert client.get(f"/api/v1/households/{household_a.pk}/").status_code == 200
    assert client.get(f"/api/v1/households/{household_a.pk}/").status_code == 429


def test_lists_have_their_own_wider_rate(client_of, province, head_of_a, settings):
    settings.API_IDENTITY_READ_RATE = "1/hour"
    settings.API_READ_RATE = "5/hour"
    client = client_of(province)
    assert client.get(f"/api/v1/persons/{head_of_a.pk}/").status_code == 200
    assert [client.get("/api/v1/persons/").status_code for _ in range(4)] == [200] * 4
    assert client.get("/api/v1/cases/").status_code == 429


def test_the_limit_lifts_after_the_period(client_of, province, head_of_a, settings):
    settings.API_IDENTITY_READ_RATE = "1/hour"
    client = client_of(province)
    url = f"/api/v1/persons/{head_of_a.pk}/"
    with time_machine.travel(START, tick=False) as clock:
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 429
        clock.shift(datetime.timedelta(hours=1, seconds=1))
        assert client.get(url).status_code == 200


def test_it_counts_per_user(client_of, province, head_a, head_of_a, settings):
    settings.API_IDENTITY_READ_RATE = "1/hour"
    url = f"/api/v1/persons/{head_of_a.pk}/"
    assert client_of(province).get(url).status_code == 200
    assert client_of(province).get(url).status_code == 429  # a second token: the same user
    assert client_of(head_a).get(url).status_code == 200


def test_writes_are_not_counted_as_reads(client_of, head_a, household_a, settings):
    settings.API_READ_RATE = "1/hour"
    client = client_of(head_a)
    assert client.get("/api/v1/cases/").status_code == 200
    response = client.post("/api/v1/cases/", {"household": household_a.pk}, format="json")
    assert response.status_code == 201, response.content


def test_the_default_rates(settings):
    assert settings.API_READ_RATE == "600/hour" and settings.API_IDENTITY_READ_RATE == "30/hour"
