"""The visibility selector: each role reaches exactly its region's rows."""

import pytest

from beneficiaries.models import Assistance, Case, Group, GroupMembership, Household, Person, StageTransition
from programs.models import Partner, Program
from regions.selectors import (
    districts_visible_to,
    regencies_visible_to,
    users_visible_to,
    villages_visible_to,
)
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_NORTH,
    AssistanceFactory,
    CaseFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
)

SCOPED = [Household, Person, Case, Assistance, Group, GroupMembership]


@pytest.fixture
def rows(db):
    """One household with a case, aid and a group in each of villages A, B and north."""
    made = {}
    for village in (VILLAGE_A, VILLAGE_B, VILLAGE_NORTH):
        person = PersonFactory(household__village_id=village)
        case = CaseFactory(household=person.household)
        AssistanceFactory(case=case)
        MembershipFactory(group__village_id=village, household=person.household)
        made[village] = person.household
    return made


def villages_of(model, user) -> set[str]:
    path = {Person: "household__village_id", GroupMembership: "group__village_id"}.get(model, "village_id")
    return set(model.objects.visible_to(user).values_list(path, flat=True))


@pytest.mark.parametrize("model", SCOPED)
def test_each_role_reaches_only_its_region(
    rows, model, head_a, head_b, district_official, regency_official, north_official, province, superuser
):
    assert villages_of(model, head_a) == {VILLAGE_A}
    assert villages_of(model, head_b) == {VILLAGE_B}
    assert villages_of(model, district_official) == {VILLAGE_A, VILLAGE_B}
    assert villages_of(model, regency_official) == {VILLAGE_A, VILLAGE_B}
    assert villages_of(model, north_official) == {VILLAGE_NORTH}
    assert villages_of(model, province) == {VILLAGE_A, VILLAGE_B, VILLAGE_NORTH}
    assert villages_of(model, superuser) == {VILLAGE_A, VILLAGE_B, VILLAGE_NORTH}


@pytest.mark.parametrize("model", [*SCOPED, StageTransition, Partner, Program])
def test_a_user_without_a_region_sees_nothing(rows, model, stranger):
    ProgramFactory()
    PartnerFactory()
    assert not model.objects.visible_to(stranger).exists()


def test_a_role_at_the_wrong_level_sees_nothing(rows, db):
    from tests.factories import UserFactory

    wrong = UserFactory(role="village", region_code="36.01")  # a village head given a regency
    inactive = UserFactory(role="province", region_code="36", is_active=False)
    for user in (wrong, inactive):
        assert not Household.objects.visible_to(user).exists()
        assert not villages_visible_to(user).exists()


def test_region_lists_follow_the_scope(head_a, district_official, regency_official, province, stranger):
    assert list(villages_visible_to(head_a).values_list("code", flat=True)) == [VILLAGE_A]
    assert villages_visible_to(district_official).count() == 7  # Kec. Sumur has 7 desa
    assert districts_visible_to(head_a).get().code == "36.01.01"
    assert districts_visible_to(regency_official).count() == 35
    assert regencies_visible_to(province).count() == 8
    assert regencies_visible_to(district_official).get().code == "36.01"
    assert not villages_visible_to(stranger).exists() and not regencies_visible_to(stranger).exists()


def test_partners_serving_above_or_below_are_visible(head_a, head_b, north_official):
    mine = PartnerFactory(region_code=VILLAGE_A)
    district = PartnerFactory(region_code="36.01.01")
    provincial = PartnerFactory(region_code="36")
    north = PartnerFactory(region_code="36.71")
    assert set(Partner.objects.visible_to(head_a)) == {mine, district, provincial}
    assert set(Partner.objects.visible_to(head_b)) == {district, provincial}
    assert set(Partner.objects.visible_to(north_official)) == {provincial, north}


def test_users_visible_follow_the_region(head_a, head_b, district_official, province, stranger):
    assert set(users_visible_to(district_official)) >= {head_a, head_b, district_official}
    assert province not in set(users_visible_to(district_official))
    assert set(users_visible_to(head_a)) == {head_a}
    assert not users_visible_to(stranger).exists()
