"""Optimistic locking: every update counts the version; a write made from an older version
is refused as a conflict that says who changed what, and the newer data stays."""

import pytest

from beneficiaries import services
from core.errors import DomainError
from tests.factories import EnterpriseFactory, GroupFactory, UserFactory


@pytest.fixture
def second_head(db):
    return UserFactory(username="operator_a", role="village", region_code="36.01.01.2001", first_name="Rudi")


def test_every_update_counts_the_version(household, head_a):
    assert household.version == 1
    services.update_household(actor=head_a, household=household, address="Kp. Baru 1")
    services.update_household(actor=head_a, household=household, address="Kp. Baru 2")
    household.refresh_from_db()
    assert household.version == 3


def test_it_refuses_a_household_write_from_an_older_version(household, head_a, second_head):
    """Two officials open version 1; the second save is refused, naming who changed what."""
    services.update_household(
        actor=second_head, household=household, expected_version=1, address="Jl. Baru 7"
    )
    with pytest.raises(DomainError) as refused:
        services.update_household(actor=head_a, household=household, expected_version=1, rt="9")
    assert refused.value.code == DomainError.CONFLICT and refused.value.field == "version"
    assert "Data ini sudah diubah oleh Rudi" in refused.value.message
    assert "perubahan: alamat" in refused.value.message
    household.refresh_from_db()
    assert (household.address, household.rt, household.version) == ("Jl. Baru 7", "001", 2)


def test_it_refuses_a_stale_person_group_and_enterprise(household, head_a, second_head):
    person = household.members.get()
    services.update_person(actor=second_head, person=person, expected_version=1, full_name="Nama Baru")
    with pytest.raises(DomainError, match="nama lengkap"):
        services.update_person(actor=head_a, person=person, expected_version=1, full_name="Nama Lama")
    person.refresh_from_db()
    assert person.full_name == "Nama Baru"

    group, enterprise = GroupFactory(), EnterpriseFactory()
    services.update_group(actor=second_head, group=group, expected_version=1, name="KUBE Baru")
    with pytest.raises(DomainError, match="sudah diubah"):
        services.update_group(actor=head_a, group=group, expected_version=1, name="KUBE Lama")
    services.update_enterprise(actor=second_head, enterprise=enterprise, expected_version=1, name="Kop Baru")
    with pytest.raises(DomainError, match="sudah diubah"):
        services.update_enterprise(actor=head_a, enterprise=enterprise, expected_version=1, name="Kop Lama")
    group.refresh_from_db(), enterprise.refresh_from_db()
    assert (group.name, enterprise.name) == ("KUBE Baru", "Kop Baru")


def test_a_move_counts_the_case_version_and_refuses_a_stale_one(case, province, give):
    give(case)
    case.refresh_from_db()
    version = case.version
    services.request_move(actor=province, case=case, to="2", reason="Kebutuhan dasar terpenuhi")
    case.refresh_from_db()
    assert case.version == version + 1
    with pytest.raises(DomainError) as refused:
        services.request_move(actor=province, case=case, to="3", expected_version=version)
    assert (refused.value.code, refused.value.field) == (DomainError.CONFLICT, "version")
    case.refresh_from_db()
    assert case.stage == "2"


def test_a_write_without_a_version_is_not_checked(household, head_a):
    """Scripts and the services' own follow-ups say no version: they are not refused."""
    services.update_household(actor=head_a, household=household, address="Satu")
    services.update_household(actor=head_a, household=household, address="Dua")
    household.refresh_from_db()
    assert household.address == "Dua"
