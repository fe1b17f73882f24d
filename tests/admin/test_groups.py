"""Groups, enterprises, capital access and activities in the admin go through their services."""

import datetime

from django.urls import reverse

from beneficiaries.models import Activity, CapitalAccess, Enterprise, Group, GroupMembership
from beneficiaries.services.moves import ACTIVE_GROUP
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


def group_post(group, **overrides) -> dict:
    return {
        "name": group.name,
        "sector": group.sector,
        "formed_on": group.formed_on.strftime("%d-%m-%Y"),
        "is_active": "on",
        "enterprise": "",
        **management("memberships", 0),
        **overrides,
    }


def test_deactivating_a_group_goes_through_update_group(world, head_a, district_official, login):
    """The history row names the official, and the stage-3 guard then reads the group inactive."""
    a, _b = world
    assert ACTIVE_GROUP.check(a.case) is True
    data = group_post(a.group)
    del data["is_active"]
    response = login(district_official).post(
        reverse("admin:beneficiaries_group_change", args=[a.group.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    group = Group.objects.get(pk=a.group.pk)
    record = group.history.order_by("-history_id").first()
    assert (group.is_active, record.history_user, record.is_active) == (False, district_official, False)
    assert ACTIVE_GROUP.check(a.case) is False


def test_a_group_edit_refused_by_the_service_writes_nothing(world, head_a, login):
    """A future formation date is shown on the form; the group keeps its date."""
    a, _b = world
    data = group_post(a.group, formed_on="01-01-2999")
    response = login(head_a).post(reverse("admin:beneficiaries_group_change", args=[a.group.pk]), data)
    assert response.status_code == 200
    assert "masa depan" in response.content.decode()
    assert Group.objects.get(pk=a.group.pk).formed_on == a.group.formed_on
    assert a.group.history.count() == 1


def test_an_enterprise_edit_goes_through_update_enterprise(world, head_a, login):
    a, _b = world
    enterprise = a.enterprise
    response = login(head_a).post(
        reverse("admin:beneficiaries_enterprise_change", args=[enterprise.pk]),
        {
            "name": "Koperasi Baru",
            "legal_form": "kube",
            "nib": "",
            "founded_on": enterprise.founded_on.strftime("%d-%m-%Y"),
            **management("groups", 0),
            **management("capital_access", 0),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    enterprise.refresh_from_db()
    record = enterprise.history.order_by("-history_id").first()
    assert (enterprise.name, enterprise.legal_form, record.history_user) == ("Koperasi Baru", "kube", head_a)


def capital_post(access, **overrides) -> dict:
    return {
        "source": access.source,
        "amount": str(access.amount),
        "status": access.status,
        "applied_on": access.applied_on.strftime("%d-%m-%Y"),
        "approved_on": "",
        "disbursed_on": "",
        "note": access.note,
        **overrides,
    }


def test_the_capital_status_offers_only_the_next_steps(world, head_a, login):
    a, _b = world
    response = login(head_a).get(reverse("admin:beneficiaries_capitalaccess_change", args=[a.capital.pk]))
    choices = [v for v, _label in response.context["adminform"].form.fields["status"].choices]
    assert choices == ["applied", "approved", "rejected"]


def test_approving_capital_in_the_admin_goes_through_the_service(world, head_a, login):
    """The step is dated and recorded with the user; skipping to disbursed is refused."""
    a, _b = world
    url = reverse("admin:beneficiaries_capitalaccess_change", args=[a.capital.pk])
    response = login(head_a).post(url, capital_post(a.capital, status="disbursed", disbursed_on=DAY))
    assert response.status_code == 200
    assert CapitalAccess.objects.get(pk=a.capital.pk).status == "applied"
    response = login(head_a).post(url, capital_post(a.capital, status="approved", approved_on=DAY))
    assert response.status_code == 302, response.content.decode()[:3000]
    access = CapitalAccess.objects.get(pk=a.capital.pk)
    record = access.history.order_by("-history_id").first()
    assert (access.status, access.approved_on, record.history_user) == (
        "approved", datetime.date(2025, 3, 4), head_a,
    )  # fmt: skip


def test_a_capital_step_outside_the_table_in_the_inline_is_refused(world, head_a, login):
    """The enterprise page's inline saves through update_capital_access too: applied ->
    disbursed is refused, named, and nothing is written."""
    a, _b = world
    enterprise, access = a.enterprise, a.capital
    response = login(head_a).post(
        reverse("admin:beneficiaries_enterprise_change", args=[enterprise.pk]),
        {
            "name": enterprise.name,
            "legal_form": enterprise.legal_form,
            "nib": "",
            "founded_on": enterprise.founded_on.strftime("%d-%m-%Y"),
            **management("groups", 0),
            **management("capital_access", 1, 1),
            "capital_access-0-id": access.pk,
            "capital_access-0-enterprise": enterprise.pk,
            **{
                f"capital_access-0-{k}": v
                for k, v in capital_post(
                    access, status="disbursed", approved_on=DAY, disbursed_on=DAY
                ).items()
            },
        },
    )
    assert response.status_code == 200
    assert "tidak dapat diubah dari Diajukan ke Dicairkan" in response.content.decode()
    access.refresh_from_db()
    assert (access.status, access.approved_on, access.history.count()) == ("applied", None, 1)


def test_an_activity_edit_goes_through_update_activity(world, cadre, login):
    a, _b = world
    activity = a.activity
    response = login(cadre).post(
        reverse("admin:beneficiaries_activity_change", args=[activity.pk]),
        {
            "title": "Kelas tata boga lanjutan",
            "topic": "culinary",
            "program": "",
            "held_on": DAY,
            "note": "",
            **management("attendance", 1, 1),
            "attendance-0-id": activity.attendance.get().pk,
            "attendance-0-activity": activity.pk,
            "attendance-0-person": a.head.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity.refresh_from_db()
    record = activity.history.order_by("-history_id").first()
    assert (activity.title, record.history_user) == ("Kelas tata boga lanjutan", cadre)
    assert list(activity.attendees.all()) == [a.head]
