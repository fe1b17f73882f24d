"""Searches by a whole NIK or KK confirm a guess; for users who may not see numbers whole
they draw on a budget (NUMBER_SEARCHES), at the selector and at every edge that searches."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.models import Household
from beneficiaries.selectors import NUMBER_SEARCHES, search_households
from core.errors import DomainError
from tests.factories import VILLAGE_A, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(db):
    household = HouseholdFactory(village_id=VILLAGE_A)
    PersonFactory(household=household)
    return household


def spend(user) -> None:
    NUMBER_SEARCHES.charge(user, NUMBER_SEARCHES.limit)


def test_each_whole_number_search_is_counted_and_then_refused_unasked(district_official, planted):
    """Within the budget a whole NIK finds its household; past it the search is refused
    with the field named, and the database is not asked about the number."""
    nik = planted.members.get().nik
    rows = Household.objects.visible_to(district_official)
    for _ in range(NUMBER_SEARCHES.limit):
        assert list(search_households(rows, district_official, nik)) == [planted]
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError) as refused:
        search_households(rows, district_official, nik)
    assert refused.value.code == DomainError.RATE_LIMITED and refused.value.field == "q"
    assert not any(nik in q["sql"] for q in queries.captured_queries)


def test_names_and_users_who_see_numbers_whole_have_no_budget(district_official, head_a, planted):
    """Searching by name is not a number search; a village head sees the numbers of the
    village whole anyway, so nothing is confirmed to them."""
    spend(district_official)
    spend(head_a)
    name = planted.members.get().full_name.split()[0]
    assert search_households(
        Household.objects.visible_to(district_official), district_official, name
    ).exists()
    nik = planted.members.get().nik
    assert search_households(Household.objects.visible_to(head_a), head_a, nik).exists()


def test_the_page_says_so_and_finds_nothing(client, district_official, planted):
    spend(district_official)
    client.force_login(district_official)
    response = client.get("/rumah-tangga/", {"q": planted.members.get().nik})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Terlalu banyak pencarian dengan NIK" in body
    assert planted.members.get().full_name not in body


def test_the_admin_says_so_and_finds_nothing(client, regency_official, planted):
    spend(regency_official)
    client.force_login(regency_official)
    response = client.get("/admin/beneficiaries/household/", {"q": planted.kk_number})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Terlalu banyak pencarian dengan NIK" in body
    assert planted.members.get().full_name not in body


def test_the_api_answers_429(client, district_official, planted):
    spend(district_official)
    client.force_login(district_official)
    response = client.get("/api/v1/persons/", {"search": planted.members.get().nik})
    assert response.status_code == 429
    assert "Terlalu banyak pencarian" in response.json()["detail"]
