import datetime

import pytest

from beneficiaries import services
from tests.factories import (
    VILLAGE_A,
    HouseholdFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
    make_nik,
)


@pytest.fixture
def program(db):
    return ProgramFactory(name="Bansos Pangan Banten")


@pytest.fixture
def partner(db):
    return PartnerFactory(name="PKK Desa Sumberjaya", region_code=VILLAGE_A)


@pytest.fixture
def household_a(db):
    """A household of village A with a head and a child."""
    household = HouseholdFactory(village_id=VILLAGE_A)
    PersonFactory(household=household, full_name="Siti Aminah", sex="P", relation="head")
    PersonFactory(
        household=household, full_name="Budi", relation="child", birth_date=datetime.date(2012, 5, 1)
    )
    return household


@pytest.fixture
def case_a(household_a, head_a):
    return services.open_case(actor=head_a, household=household_a)


def member_rows(*rows, total=None):
    """POST data of the member formset for the given rows (dicts of field: value)."""
    data = {
        "members-TOTAL_FORMS": str(total or len(rows)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        data.update({f"members-{i}-{k}": v for k, v in row.items()})
    return data


def nik_for(birth: datetime.date, sex: str, serial: int) -> str:
    return make_nik(village=VILLAGE_A, birth=birth, sex=sex, serial=serial)
