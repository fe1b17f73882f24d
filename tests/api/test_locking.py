"""The API's optimistic locking: an ETag on a detail GET, `If-Match` (or a `version` in
the body) on PUT/PATCH; a stale write gets 409 with a clear message and writes nothing.
Submission keys: the same `Idempotency-Key` twice writes one aid and answers the first."""

import pytest

from beneficiaries.models import Assistance, Household
from tests.factories import UserFactory

HOUSEHOLDS = "/api/v1/households/"


@pytest.fixture
def second_official(db):
    return UserFactory(username="operator_a", role="village", region_code="36.01.01.2001", first_name="Rudi")


def full_put(household, **changes):
    return {
        "kk_number": household.kk_number, "village": household.village_id, "address": household.address,
        "rt": household.rt, "rw": household.rw, "desil": household.desil, **changes,
    }  # fmt: skip


def test_a_detail_get_carries_the_version_as_etag(api, head_a, household_a):
    response = api(head_a).get(f"{HOUSEHOLDS}{household_a.pk}/")
    assert response["ETag"] == '"1"' and response.json()["version"] == 1


def test_the_older_full_put_is_refused_and_the_newer_data_stays(api, head_a, second_official, household_a):
    """Two officials GET version 1; the first PUT lands (ETag 2); the second, with
    If-Match "1", gets 409 naming who changed what."""
    url = f"{HOUSEHOLDS}{household_a.pk}/"
    etag = api(head_a).get(url)["ETag"]
    first = api(second_official).put(
        url, full_put(household_a, address="Jl. Baru 7"), format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200 and first["ETag"] == '"2"'
    stale = api(head_a).put(url, full_put(household_a, rt="9"), format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    message = stale.json()["version"][0]
    assert "sudah diubah oleh Rudi" in message and "alamat" in message
    household_a.refresh_from_db()
    assert (household_a.address, household_a.rt, household_a.version) == ("Jl. Baru 7", "001", 2)


def test_a_version_in_the_body_is_honoured(api, head_a, household_a):
    url = f"{HOUSEHOLDS}{household_a.pk}/"
    assert api(head_a).patch(url, {"address": "Satu", "version": 1}, format="json").status_code == 200
    stale = api(head_a).patch(url, {"address": "Dua", "version": 1}, format="json")
    assert stale.status_code == 409
    assert Household.objects.get(pk=household_a.pk).address == "Satu"


def test_a_malformed_if_match_is_a_400(api, head_a, household_a):
    response = api(head_a).patch(
        f"{HOUSEHOLDS}{household_a.pk}/", {"address": "X"}, format="json", HTTP_IF_MATCH="abc"
    )
    assert response.status_code == 400 and "version" in response.json()


def test_a_person_patch_with_a_stale_if_match_is_refused(api, head_a, head_of_a):
    url = f"/api/v1/persons/{head_of_a.pk}/"
    assert (
        api(head_a).patch(url, {"full_name": "Siti A."}, format="json", HTTP_IF_MATCH='"1"').status_code
        == 200
    )
    response = api(head_a).patch(url, {"full_name": "Siti B."}, format="json", HTTP_IF_MATCH='W/"1"')
    assert response.status_code == 409
    head_of_a.refresh_from_db()
    assert head_of_a.full_name == "Siti A."


def test_the_same_idempotency_key_twice_writes_one_aid(api, head_a, case_a, program):
    body = {
        "case": case_a.pk,
        "kind": "food",
        "program": program.pk,
        "delivered_on": "2025-02-01",
        "amount": 300000,
    }
    client = api(head_a)
    first = client.post("/api/v1/assistance/", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    again = client.post("/api/v1/assistance/", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Assistance.objects.filter(case=case_a).count() == 1
    other = client.post(
        "/api/v1/assistance/", body | {"amount": 5}, format="json", HTTP_IDEMPOTENCY_KEY="retry-1"
    )
    assert other.status_code == 409 and "idempotency_key" in other.json()
