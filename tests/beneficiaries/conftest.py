import datetime

import pytest

from beneficiaries.models import Assistance
from beneficiaries.services import open_case, record_assistance
from tests.factories import (
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    ProgramFactory,
)


@pytest.fixture
def program(db):
    return ProgramFactory(name="Bantuan Pangan Banten")


@pytest.fixture
def household(db):
    household = HouseholdFactory()
    PersonFactory(household=household)
    return household


@pytest.fixture
def case(household, head_a):
    return open_case(actor=head_a, household=household, opened_on=datetime.date(2025, 1, 6))


@pytest.fixture
def give(head_a, program):
    """Record assistance of a kind on a case, as the head of village A."""

    def give(case, kind=Assistance.Kind.FOOD, **extra):
        values = {"kind": kind, "delivered_on": datetime.date(2025, 2, 1), "amount": 300_000, **extra}
        return record_assistance(actor=head_a, case=case, program=program, **values)

    return give


@pytest.fixture
def in_enterprise_group(db):
    """Put a case's household in an active group that belongs to an enterprise."""

    def join(case, *, enterprise=True, active=True):
        group = GroupFactory(
            village_id=case.village_id,
            is_active=active,
            enterprise=EnterpriseFactory(village_id=case.village_id) if enterprise else None,
        )
        MembershipFactory(group=group, household=case.household)
        return group

    return join
