"""Groups, enterprises, capital access and activities in the admin go through their services."""

import datetime

from django.urls import reverse

from beneficiaries.models import Activity, CapitalAccess, Enterprise, Group, GroupMembership
from programs.models import Partner
from tests.factories import VILLAGE_A

DAY = datetime.date(2025, 3, 4).strftime("%d-%m-%Y")


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_it_creates_a_group_with_members_through_the_services(world, head_a, login):
    """create_group, then add_group_member for each new row."""
    a, _b = world
    response = login(head_a).post(
        reverse("admin:beneficiaries_group_add"),
        {
            "name": "KUBE Melati",
            "village": VILLAGE_A,
            "sector": "culinary",
            "formed_on": DAY,
            "is_active": "on",
            **management("memberships", 1),
            "memberships-0-household": a.household.pk,
            "memberships-0-joined_on": DAY,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    group = Group.objects.get(name="KUBE Melati")
    assert (group.village_id, group.regency_id) == (VILLAGE_A, "36.01")
    assert list(group.memberships.values_list("household", flat=True)) == [a.household.pk]


def test_it_refuses_a_member_from_another_village_and_writes_nothing(world, head_a, district_official, login):
    """The membership rule (same village) is shown on the form; the group is not created."""
    _a, b = world
    response = login(district_official).post(
        reverse("admin:beneficiaries_group_add"),
        {
            "name": "KUBE Campur",
            "village": VILLAGE_A,
            "sector": "craft",
            "formed_on": DAY,
            "is_active": "on",
            **management("memberships", 1),
            "memberships-0-household": b.household.pk,
            "memberships-0-joined_on": DAY,
        },
    )
    assert response.status_code == 200
    assert "desa yang sama" in response.content.decode()
    assert not Group.objects.filter(name="KUBE Campur").exists()


def test_it_removes_a_member_through_remove_group_member(world, head_a, login):
    """Deleting the inline row removes the membership."""
    a, _b = world
    membership = a.group.memberships.get()
    response = login(head_a).post(
        reverse("admin:beneficiaries_group_change", args=[a.group.pk]),
        {
            "name": a.group.name,
            "sector": a.group.sector,
            "formed_on": a.group.formed_on.strftime("%d-%m-%Y"),
            "is_active": "on",
            **management("memberships", 1, 1),
            "memberships-0-id": membership.pk,
            "memberships-0-group": a.group.pk,
            "memberships-0-DELETE": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not GroupMembership.objects.filter(pk=membership.pk).exists()


def test_it_creates_an_enterprise_and_records_capital_access(world, head_a, login):
    """create_enterprise, then record_capital_access for the new inline row."""
    response = login(head_a).post(
        reverse("admin:beneficiaries_enterprise_add"),
        {
            "name": "Koperasi Mekar Jaya",
            "legal_form": "cooperative",
            "village": VILLAGE_A,
            "nib": "",
            "founded_on": DAY,
            **management("groups", 0),
            **management("capital_access", 1),
            "capital_access-0-source": "kur",
            "capital_access-0-amount": "15000000",
            "capital_access-0-status": "applied",
            "capital_access-0-applied_on": DAY,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    enterprise = Enterprise.objects.get(name="Koperasi Mekar Jaya")
    access = CapitalAccess.objects.get(enterprise=enterprise)
    assert (access.amount, access.village_id, access.status) == (15_000_000, VILLAGE_A, "applied")


def test_it_records_an_activity_with_its_attendance(world, head_a, login):
    """record_activity writes the session; set_attendance its participants."""
    a, _b = world
    response = login(head_a).post(
        reverse("admin:beneficiaries_activity_add"),
        {
            "title": "Kelas Gizi Balita",
            "topic": "nutrition",
            "partner": a.partner.pk,
            "village": VILLAGE_A,
            "held_on": DAY,
            "note": "",
            **management("attendance", 1),
            "attendance-0-person": a.head.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get(title="Kelas Gizi Balita")
    assert (activity.recorded_by, list(activity.attendees.all())) == (head_a, [a.head])


def test_it_refuses_a_partner_outside_the_officials_region(regency_official, login):
    """Pandeglang's official cannot register a partner serving Kota Tangerang."""
    response = login(regency_official).post(
        reverse("admin:programs_partner_add"),
        {"name": "Posyandu Sukarasa", "kind": "posyandu", "region_code": "36.71.01.1001", "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["region_code"]
    assert not Partner.objects.filter(name="Posyandu Sukarasa").exists()
