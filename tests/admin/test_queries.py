"""Lists run a fixed number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.services import open_case
from tests.factories import AssistanceFactory, HouseholdFactory, PersonFactory, ProgramFactory, make_kk

LISTS = [
    "beneficiaries_case",
    "beneficiaries_household",
    "beneficiaries_person",
    "beneficiaries_stagetransition",
    "beneficiaries_assistance",
]


@pytest.fixture
def many_cases(head_a):
    program = ProgramFactory(name="Program Uji")
    for i in range(60):
        household = HouseholdFactory(kk_number=make_kk(5000 + i))
        PersonFactory(household=household)
        case = open_case(actor=head_a, household=household, program=program)
        AssistanceFactory(case=case, program=program)


def queries_for(client, url: str, per_page: int, monkeypatch, admin_class) -> int:
    monkeypatch.setattr(admin_class, "list_per_page", per_page)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == per_page
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", LISTS)
def test_it_lists_5_or_60_rows_with_the_same_queries(name, many_cases, district_official, login, monkeypatch):
    """The same number of queries for a page of 5 as for a page of 60."""
    from django.contrib import admin

    url = reverse(f"admin:{name}_changelist")
    model_admin = next(
        a for m, a in admin.site._registry.items() if f"{m._meta.app_label}_{m._meta.model_name}" == name
    )
    client = login(district_official)
    client.get(url)  # warm the session and content-type caches
    small = queries_for(client, url, 5, monkeypatch, type(model_admin))
    large = queries_for(client, url, 60, monkeypatch, type(model_admin))
    assert small == large, (small, large)
    assert large <= 20
