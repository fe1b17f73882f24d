"""Edits of groups, enterprises, activities and capital access go through their services:
each writes the row and a history row with the actor, or refuses naming the field."""

import datetime

import pytest
from django.utils import timezone

from beneficiaries.models import Activity, Attendance, CapitalAccess, Enterprise, Group, GroupMembership
from beneficiaries.services import (
    CAPITAL_TRANSITIONS,
    capital_targets,
    change_capital_access_status,
    move_guards,
    remove_group_member,
    request_move,
    update_activity,
    update_capital_access,
    update_enterprise,
    update_group,
)
from core.errors import DomainError
from tests.factories import (
    VILLAGE_B,
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
)

Status = CapitalAccess.Status
DAY = datetime.date(2025, 3, 4)


def last_history(obj):
    return obj.history.order_by("-history_id").first()


# ------------------------------------------------------------------ groups


def test_it_updates_a_group_and_records_who(head_a):
    """Name, sector, date and is_active are written, with a history row naming the actor."""
    group = GroupFactory(name="KUBE Lama")
    update_group(actor=head_a, group=group, name="  KUBE Baru ", sector="trade", is_active=False)
    group.refresh_from_db()
    assert (group.name, group.sector, group.is_active) == ("KUBE Baru", "trade", False)
    record = last_history(group)
    assert (record.history_type, record.history_user, record.is_active) == ("~", head_a, False)


def test_deactivating_a_group_is_what_the_move_guard_reads(head_a, district_official, case, give):
    """The active-group guard of 2 -> 3 fails once the group is deactivated by the service."""
    give(case)
    request_move(case=case, to="2", actor=district_official)
    give(case, kind="work_tools")
    group = GroupFactory()
    MembershipFactory(group=group, household=case.household)
    case.refresh_from_db()
    met = {g.code: g.met for g in move_guards(case=case, to="3")}
    assert met["active_group"] is True
    update_group(actor=head_a, group=group, is_active=False)
    met = {g.code: g.met for g in move_guards(case=case, to="3")}
    assert met["active_group"] is False
    assert last_history(group).history_user == head_a


def test_it_moves_a_group_to_an_enterprise_of_the_region(head_a):
    group, enterprise = GroupFactory(), EnterpriseFactory()
    update_group(actor=head_a, group=group, enterprise=enterprise.pk)
    assert Group.objects.get(pk=group.pk).enterprise == enterprise
    update_group(actor=head_a, group=group, enterprise=None)
    assert Group.objects.get(pk=group.pk).enterprise is None


def test_it_rejects_fields_a_group_edit_does_not_change(head_a):
    """The village (and anything unknown) is named and nothing is written."""
    group = GroupFactory(name="KUBE Tetap")
    with pytest.raises(DomainError) as error:
        update_group(actor=head_a, group=group, village=VILLAGE_B, name="Lain", colour="red")
    assert set(error.value.errors) == {"village", "colour"}
    assert Group.objects.get(pk=group.pk).name == "KUBE Tetap"
    assert group.history.count() == 1


def test_it_rejects_a_future_date_and_a_taken_name(head_a):
    GroupFactory(name="KUBE Mawar")
    group = GroupFactory()
    with pytest.raises(DomainError) as error:
        update_group(actor=head_a, group=group, formed_on=timezone.localdate() + datetime.timedelta(days=1))
    assert error.value.field == "formed_on"
    with pytest.raises(DomainError):
        update_group(actor=head_a, group=group, name="KUBE Mawar")
    assert group.history.count() == 1


def test_a_group_of_another_village_is_not_found(head_b):
    group = GroupFactory(name="KUBE A")
    with pytest.raises(DomainError) as error:
        update_group(actor=head_b, group=group, name="Diambil B")
    assert error.value.code == DomainError.NOT_FOUND
    assert Group.objects.get(pk=group.pk).name == "KUBE A"


def test_a_cadre_may_not_edit_a_group(cadre):
    group = GroupFactory()
    with pytest.raises(DomainError) as error:
        update_group(actor=cadre, group=group, is_active=False)
    assert error.value.code == DomainError.FORBIDDEN
    assert Group.objects.get(pk=group.pk).is_active


def test_removing_a_member_records_who_removed_it(head_a):
    membership = MembershipFactory(household=HouseholdFactory())
    remove_group_member(actor=head_a, group=membership.group, household=membership.household_id)
    assert not GroupMembership.objects.filter(pk=membership.pk).exists()
    record = GroupMembership.history.filter(id=membership.pk).order_by("-history_id").first()
    assert (record.history_type, record.history_user) == ("-", head_a)


# ------------------------------------------------------------------ enterprises


def test_it_updates_an_enterprise_and_records_who(district_official):
    enterprise = EnterpriseFactory(name="Koperasi Lama")
    update_enterprise(
        actor=district_official, enterprise=enterprise.pk, name="Koperasi Baru", nib="1234567890123"
    )
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.nib) == ("Koperasi Baru", "1234567890123")
    assert last_history(enterprise).history_user == district_official


def test_it_names_the_bad_fields_of_an_enterprise(head_a, head_b):
    enterprise = EnterpriseFactory(name="Koperasi A")
    with pytest.raises(DomainError) as error:
        update_enterprise(actor=head_a, enterprise=enterprise, nib="12", legal_form="bank")
    assert set(error.value.errors) == {"nib", "legal_form"}
    with pytest.raises(DomainError) as error:
        update_enterprise(actor=head_a, enterprise=enterprise, village=VILLAGE_B)
    assert list(error.value.errors) == ["village"]
    with pytest.raises(DomainError) as error:
        update_enterprise(actor=head_b, enterprise=enterprise, name="B")
    assert error.value.code == DomainError.NOT_FOUND
    assert Enterprise.objects.get(pk=enterprise.pk).name == "Koperasi A"


# ------------------------------------------------------------------ activities


@pytest.fixture
def activity(db):
    return Activity.objects.create(
        village_id="36.01.01.2001",
        partner=PartnerFactory(),
        topic="culinary",
        title="Pelatihan tata boga",
        held_on=DAY,
    )


def test_a_cadre_corrects_an_activity_and_its_attendance(cadre, activity):
    person = PersonFactory()
    update_activity(
        actor=cadre, activity=activity, title=" Kelas gizi ", topic="nutrition", attendees=[person]
    )
    activity.refresh_from_db()
    assert (activity.title, activity.topic) == ("Kelas gizi", "nutrition")
    assert list(Attendance.objects.filter(activity=activity).values_list("person", flat=True)) == [person.pk]
    assert last_history(activity).history_user == cadre


def test_it_refuses_an_activity_edit_naming_the_field(head_a, head_b, activity):
    with pytest.raises(DomainError) as error:
        update_activity(actor=head_a, activity=activity, held_on=datetime.date(2999, 1, 1))
    assert error.value.field == "held_on"
    with pytest.raises(DomainError) as error:
        update_activity(actor=head_a, activity=activity, partner=PartnerFactory())
    assert list(error.value.errors) == ["partner"]
    outsider = PersonFactory(household=HouseholdFactory(village_id=VILLAGE_B))
    with pytest.raises(DomainError) as error:
        update_activity(actor=head_a, activity=activity, attendees=[outsider])
    assert error.value.field == "attendees"
    with pytest.raises(DomainError) as error:
        update_activity(actor=head_b, activity=activity, title="B")
    assert error.value.code == DomainError.NOT_FOUND
    activity.refresh_from_db()
    assert (activity.held_on, activity.title, activity.attendance.count()) == (DAY, "Pelatihan tata boga", 0)


# ------------------------------------------------------------------ capital access


def capital(status=Status.APPLIED, **dates) -> CapitalAccess:
    return CapitalAccess.objects.create(
        enterprise=EnterpriseFactory(),
        source="grant",
        amount=5_000_000,
        applied_on=datetime.date(2025, 1, 2),
        status=status,
        **dates,
    )


APPROVED_ON = {"approved_on": datetime.date(2025, 2, 1)}
DISBURSED = {**APPROVED_ON, "disbursed_on": datetime.date(2025, 3, 1)}
START_DATES = {
    Status.APPLIED: {},
    Status.APPROVED: APPROVED_ON,
    Status.DISBURSED: DISBURSED,
    Status.REJECTED: {},
}


def test_the_table_has_exactly_these_steps():
    assert set(CAPITAL_TRANSITIONS) == {
        (Status.APPLIED, Status.APPROVED),
        (Status.APPLIED, Status.REJECTED),
        (Status.APPROVED, Status.DISBURSED),
        (Status.APPROVED, Status.REJECTED),
    }


@pytest.mark.parametrize(("origin", "to"), list(CAPITAL_TRANSITIONS))
def test_every_allowed_step_is_written_dated_and_recorded(head_a, origin, to):
    access = capital(origin, **START_DATES[origin])
    day = datetime.date(2025, 3, 10)
    change_capital_access_status(actor=head_a, capital_access=access, to=to, on=day, note="Surat 12/2025")
    access.refresh_from_db()
    assert access.status == to
    date_field = CAPITAL_TRANSITIONS[(origin, to)]
    if date_field:
        assert getattr(access, date_field) == day
    assert access.note.endswith("Surat 12/2025")
    record = last_history(access)
    assert (record.history_user, record.status) == (head_a, to)


REFUSED = [
    (Status.APPLIED, Status.DISBURSED),
    (Status.APPROVED, Status.APPLIED),
    (Status.DISBURSED, Status.REJECTED),
    (Status.DISBURSED, Status.APPROVED),
    (Status.REJECTED, Status.APPROVED),
    (Status.APPLIED, Status.APPLIED),
]


@pytest.mark.parametrize(("origin", "to"), REFUSED)
def test_a_step_outside_the_table_is_a_conflict_on_status(head_a, origin, to):
    access = capital(origin, **START_DATES[origin])
    with pytest.raises(DomainError) as error:
        change_capital_access_status(actor=head_a, capital_access=access, to=to)
    assert (error.value.code, error.value.field) == (DomainError.CONFLICT, "status")
    access.refresh_from_db()
    assert access.status == origin
    assert access.history.count() == 1


def test_a_step_dated_before_the_application_names_the_date(head_a):
    access = capital()
    with pytest.raises(DomainError) as error:
        change_capital_access_status(
            actor=head_a, capital_access=access, to=Status.APPROVED, on=datetime.date(2024, 12, 1)
        )
    assert error.value.field == "approved_on"
    assert CapitalAccess.objects.get(pk=access.pk).status == Status.APPLIED


def test_capital_targets_follow_the_table(db):
    assert capital_targets(capital()) == [Status.APPROVED, Status.REJECTED]
    assert capital_targets(capital(Status.DISBURSED, **DISBURSED)) == []


def test_an_edit_takes_one_step_with_its_own_date(head_a):
    access = capital()
    update_capital_access(
        actor=head_a, capital_access=access.pk, status=Status.APPROVED, approved_on=datetime.date(2025, 2, 3),
        amount=6_000_000,
    )  # fmt: skip
    access.refresh_from_db()
    assert (access.status, access.approved_on, access.amount) == (
        Status.APPROVED,
        datetime.date(2025, 2, 3),
        6_000_000,
    )
    assert last_history(access).history_user == head_a


def test_an_edit_may_not_date_a_step_ahead_or_skip_one(head_a, head_b):
    access = capital()
    with pytest.raises(DomainError) as error:
        update_capital_access(actor=head_a, capital_access=access, disbursed_on=datetime.date(2025, 3, 1))
    assert list(error.value.errors) == ["disbursed_on"]
    with pytest.raises(DomainError) as error:
        update_capital_access(actor=head_a, capital_access=access, status=Status.DISBURSED)
    assert (error.value.code, error.value.field) == (DomainError.CONFLICT, "status")
    with pytest.raises(DomainError) as error:
        update_capital_access(actor=head_a, capital_access=access, enterprise=EnterpriseFactory())
    assert list(error.value.errors) == ["enterprise"]
    with pytest.raises(DomainError) as error:
        update_capital_access(actor=head_b, capital_access=access, amount=1)
    assert error.value.code == DomainError.NOT_FOUND
    access.refresh_from_db()
    assert (access.status, access.disbursed_on, access.amount) == (Status.APPLIED, None, 5_000_000)
