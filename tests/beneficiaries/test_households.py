"""Registering households and persons: every rejection names the field and writes nothing."""

import datetime

import pytest

from beneficiaries.models import Case, Household, Person
from beneficiaries.services import add_member, open_case, register_household, update_household
from core.errors import DomainError
from tests.factories import VILLAGE_A, VILLAGE_B, HouseholdFactory, PersonFactory

HEAD = {
    "nik": "3601011203850001",
    "full_name": "Asep Saepudin",
    "sex": "L",
    "birth_date": datetime.date(1985, 3, 12),
    "relation": "head",
}
WIFE = {
    "nik": "3601015506880002",
    "full_name": "Siti Aminah",
    "sex": "P",
    "birth_date": datetime.date(1988, 6, 15),
    "relation": "spouse",
}
BABY = {
    "has_no_nik": True,
    "full_name": "Bayi Asep",
    "sex": "P",
    "birth_date": datetime.date(2026, 10, 1),
    "relation": "child",
}


def register(actor, **overrides):
    values = {
        "village": VILLAGE_A,
        "kk_number": "3601012001200001",
        "address": "Kp. Cibaliung RT 1",
        "rt": "1",
        "rw": "2",
        "desil": 1,
        "members": [HEAD, WIFE, BABY],
        **overrides,
    }
    return register_household(actor=actor, **values)


def test_it_registers_a_household_with_its_members(head_a):
    household = register(head_a)
    assert (household.rt, household.rw, household.district_id, household.regency_id) == (
        "001",
        "002",
        "36.01.01",
        "36.01",
    )
    members = {p.full_name: p for p in household.members.all()}
    assert members["Siti Aminah"].nik == "3601015506880002"
    assert members["Bayi Asep"].nik is None and members["Bayi Asep"].has_no_nik
    assert household.history.count() == 1 and members["Asep Saepudin"].history.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kk_number": "12345"}, "kk_number"),
        ({"kk_number": "3601A12001200001"}, "kk_number"),
        ({"rt": "abcd"}, "rt"),
        ({"desil": 11}, "desil"),
        ({"address": ""}, "address"),
        ({"members": [{**HEAD, "sex": "P"}]}, "members.0.nik"),  # a man's NIK recorded female
        ({"members": [HEAD, {**WIFE, "nik": "3601013206880002"}]}, "members.1.nik"),  # day 32
        ({"members": [HEAD, {**BABY, "has_no_nik": False}]}, "members.1.nik"),  # no NIK, not marked
        ({"members": [HEAD, {**WIFE, "relation": "head"}]}, "members"),  # two heads
        ({"members": [HEAD, {**WIFE, "nik": HEAD["nik"]}]}, "members.1.nik"),  # same NIK twice
        ({"members": [{**HEAD, "birth_date": datetime.date(2099, 1, 1)}]}, "members.0.birth_date"),
    ],
)
def test_it_rejects_bad_input_naming_the_field_and_writes_nothing(head_a, change, field):
    with pytest.raises(DomainError) as error:
        register(head_a, **change)
    assert field in error.value.errors, error.value.errors
    assert error.value.code == "invalid"
    assert not Household.objects.exists() and not Person.objects.exists()


def test_it_says_a_kk_or_nik_exists_without_saying_where(head_a, head_b):
    register(head_a)
    with pytest.raises(DomainError) as error:
        register(head_b, village=VILLAGE_B, members=[{**HEAD}])
    assert error.value.code == "conflict"
    assert error.value.errors["kk_number"] == ["Nomor KK ini sudah terdaftar."]
    assert error.value.errors["members.0.nik"] == ["NIK ini sudah terdaftar."]
    assert Household.objects.count() == 1


def test_it_flags_a_nik_registered_outside_banten(head_a):
    household = register(head_a, members=[{**HEAD, "nik": "3273011203850001"}])
    assert household.members.get().nik_outside_banten is True


def test_it_refuses_a_village_outside_the_users_region(head_a, north_official, village_north):
    with pytest.raises(DomainError) as error:
        register(head_a, village=VILLAGE_B)
    assert error.value.field == "village"
    with pytest.raises(DomainError):
        register(north_official, village=VILLAGE_A)
    assert not Household.objects.exists()


def test_a_cadre_cannot_register_households(cadre):
    with pytest.raises(DomainError) as error:
        register(cadre)
    assert error.value.code == "forbidden"


def test_adding_a_second_head_is_refused(head_a):
    household = register(head_a)
    with pytest.raises(DomainError) as error:
        add_member(actor=head_a, household=household, **{**HEAD, "nik": "3601011203850009"})
    assert "kepala keluarga" in str(error.value.errors)


def test_a_household_has_at_most_one_open_case(head_a):
    household = register(head_a)
    open_case(actor=head_a, household=household)
    with pytest.raises(DomainError) as error:
        open_case(actor=head_a, household=household)
    assert error.value.code == "conflict"
    assert Case.objects.count() == 1


def test_a_case_cannot_open_in_the_future_or_for_an_empty_household(head_a):
    with pytest.raises(DomainError) as error:
        open_case(actor=head_a, household=HouseholdFactory())
    assert error.value.field == "household"
    household = register(head_a)
    with pytest.raises(DomainError) as future:
        open_case(actor=head_a, household=household, opened_on=datetime.date(2099, 1, 1))
    assert future.value.field == "opened_on"


def test_moving_a_household_moves_its_open_case(district_official):
    household = HouseholdFactory()
    PersonFactory(household=household)
    case = open_case(actor=district_official, household=household)
    update_household(actor=district_official, household=household, village=VILLAGE_B)
    case.refresh_from_db()
    assert case.village_id == VILLAGE_B


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"delivered_on": datetime.date(2099, 1, 1)}, "delivered_on"),
        ({"delivered_on": datetime.date(2024, 12, 31)}, "delivered_on"),  # before the case opened
        ({"amount": -1}, "amount"),
        ({"amount": 10.5}, "amount"),
        ({"kind": "jewels"}, "kind"),
    ],
)
def test_assistance_rules(case, give, change, field):
    from beneficiaries.models import Assistance

    with pytest.raises(DomainError) as error:
        give(case, **change)
    assert field in error.value.errors
    assert not Assistance.objects.exists()


def test_assistance_goes_to_a_member_of_the_household(case, give):
    outsider = PersonFactory()
    with pytest.raises(DomainError) as error:
        give(case, recipient=outsider)
    assert error.value.field == "recipient"
    aid = give(case, recipient=case.household.members.first())
    assert (aid.regency_id, aid.village_id) == ("36.01", VILLAGE_A)
