"""Every list answers in a fixed number of queries, whatever the page size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tokens import issue_token
from beneficiaries.models import Activity, Attendance, CapitalAccess
from beneficiaries.services import open_case, record_assistance, request_move
from tests.factories import (
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
)

ROWS = 4
LISTS = [
    "/api/v1/households/",
    "/api/v1/persons/",
    "/api/v1/cases/",
    "/api/v1/moves/",
    "/api/v1/assistance/",
    "/api/v1/groups/",
    "/api/v1/enterprises/",
    "/api/v1/capital-access/",
    "/api/v1/activities/",
    "/api/v1/programs/",
    "/api/v1/partners/",
    "/api/v1/regencies/",
    "/api/v1/districts/",
    "/api/v1/villages/",
]


@pytest.fixture
def many_rows(head_a, program):
    """ROWS of everything in village A, each with nested rows, some moves pending."""
    partner = PartnerFactory()
    PartnerFactory()
    ProgramFactory()
    for i in range(ROWS):
        household = HouseholdFactory()
        head = PersonFactory(household=household)
        PersonFactory(household=household, relation="child", birth_date=datetime.date(2015, 1, 1))
        case = open_case(actor=head_a, household=household, opened_on=datetime.date(2025, 1, 6))
        record_assistance(
            actor=head_a, case=case, program=program, kind="food", delivered_on=datetime.date(2025, 2, 1)
        )
        request_move(actor=head_a, case=case, to="2")
        enterprise = EnterpriseFactory()
        group = GroupFactory(enterprise=enterprise)
        MembershipFactory(group=group, household=household)
        CapitalAccess.objects.create(
            enterprise=enterprise, source="kur", amount=1_000_000, applied_on=datetime.date(2025, 3, 1)
        )
        activity = Activity.objects.create(
            partner=partner, village_id=household.village_id, topic="nutrition", title=f"Kelas {i}",
            held_on=datetime.date(2025, 4, 1),
        )  # fmt: skip
        Attendance.objects.create(activity=activity, person=head)


@pytest.mark.parametrize("path", LISTS)
def test_a_list_takes_the_same_queries_for_page_sizes_1_50_and_200(api, province, many_rows, path):
    _token, key = issue_token(user=province)
    counts = {}
    for size in (1, 50, 200):
        client = api(HTTP_AUTHORIZATION=f"Token {key}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(size, response.json()["count"])
        counts[size] = len(queries)
    assert response.json()["count"] >= 2
    assert counts[1] == counts[50] == counts[200], counts
    assert counts[200] <= 7, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("search", ["a", "3601011203850001"])
def test_a_person_search_takes_the_same_queries_for_4_or_12_households(api, province, search):
    """The person search by name or by a whole NIK costs the same as the data grows."""
    client = api(province)

    def count() -> int:
        def ask():  # a whole number travels in a POST body, never in the URL
            if search.isdigit():
                return client.post("/api/v1/persons/search/", {"search": search}, format="json")
            return client.get("/api/v1/persons/", {"search": search})

        ask()  # the first also reads permissions
        with CaptureQueriesContext(connection) as queries:
            response = ask()
        assert response.status_code == 200
        return len(queries)

    for _ in range(4):
        PersonFactory(household=HouseholdFactory())
    small = count()
    for _ in range(8):
        PersonFactory(household=HouseholdFactory())
    assert count() == small
