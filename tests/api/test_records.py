"""Assistance, groups, enterprises, capital access and activities through the API."""

import datetime

import pytest
from django.utils import timezone

from beneficiaries.models import Activity, Assistance, CapitalAccess, Enterprise, Group
from programs.models import Partner
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    PartnerFactory,
    PersonFactory,
)

from .conftest import errors_of

TODAY = timezone.localdate()


def aid(case, program, **extra):
    return {
        "case": case.pk,
        "kind": "food",
        "program": program.pk,
        "delivered_on": "2025-02-01",
        "amount": 1_250_000,
        **extra,
    }


def test_it_records_assistance(api, head_a, case_a, program, partner, head_of_a):
    data = aid(case_a, program, partner=partner.pk, recipient=head_of_a.pk, quantity="10.5", unit="kg")
    response = api(head_a).post("/api/v1/assistance/", data, format="json")
    assert response.status_code == 201, response.json()
    row = Assistance.objects.get()
    assert (row.case, row.amount, row.recipient, row.recorded_by) == (case_a, 1_250_000, head_of_a, head_a)
    assert response.json()["amount"] == 1_250_000 and response.json()["quantity"] == "10.50"


def test_it_names_the_fields_of_bad_assistance(api, head_a, case_a, program):
    data = aid(case_a, program, kind="emas", delivered_on="kemarin", amount=1.5) | {"program": 999}
    assert set(errors_of(api(head_a).post("/api/v1/assistance/", data, format="json"))) == {
        "kind",
        "delivered_on",
        "amount",
        "program",
    }
    data = aid(case_a, program, amount=-5, delivered_on="2024-01-01")
    response = api(head_a).post("/api/v1/assistance/", data, format="json")
    assert (response.status_code, set(errors_of(response))) == (400, {"amount", "delivered_on"})
    assert not Assistance.objects.exists()


def test_a_recipient_from_another_village_reads_as_unknown(api, head_b, head_a, case_a, program):
    other = PersonFactory(household=HouseholdFactory(village_id=VILLAGE_B))
    response = api(head_a).post(
        "/api/v1/assistance/", aid(case_a, program, recipient=other.pk), format="json"
    )
    assert list(errors_of(response)) == ["recipient"]
    response = api(head_b).post("/api/v1/assistance/", aid(case_a, program), format="json")
    assert response.status_code == 404
    assert not Assistance.objects.exists()


def test_assistance_is_read_in_region_only(api, head_a, head_b, district_official, case_a, program):
    api(head_a).post("/api/v1/assistance/", aid(case_a, program), format="json")
    row = Assistance.objects.get()
    assert api(district_official).get("/api/v1/assistance/", {"kind": "food"}).json()["count"] == 1
    assert api(head_b).get("/api/v1/assistance/").json()["count"] == 0
    assert api(head_b).get(f"/api/v1/assistance/{row.pk}/").status_code == 404


def test_it_forms_a_group_adds_a_member_and_joins_an_enterprise(api, head_a, household_a):
    client = api(head_a)
    response = client.post(
        "/api/v1/groups/",
        {"village": VILLAGE_A, "name": "KUBE Melati", "sector": "culinary", "formed_on": "2025-03-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    group = Group.objects.get(name="KUBE Melati")
    response = client.post(
        f"/api/v1/groups/{group.pk}/members/", {"household": household_a.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["members"] == [{"household": household_a.pk, "joined_on": TODAY.isoformat()}]
    enterprise = EnterpriseFactory()
    response = client.patch(f"/api/v1/groups/{group.pk}/", {"enterprise": enterprise.pk}, format="json")
    assert response.json()["enterprise"] == enterprise.pk
    assert client.delete(f"/api/v1/groups/{group.pk}/members/{household_a.pk}/").status_code == 204
    assert not group.memberships.exists()


def test_group_errors_name_their_field(api, head_a, head_b, household_a):
    client = api(head_a)
    GroupFactory(name="KUBE Mawar")
    data = {"village": VILLAGE_B, "name": "", "sector": "x", "formed_on": "2025-03-01"}
    assert set(errors_of(client.post("/api/v1/groups/", data, format="json"))) == {"name", "sector"}
    data = {"village": VILLAGE_B, "name": "Baru", "sector": "trade", "formed_on": "2025-03-01"}
    assert list(errors_of(client.post("/api/v1/groups/", data, format="json"))) == ["village"]
    data = {"village": VILLAGE_A, "name": "KUBE Mawar", "sector": "trade", "formed_on": "2025-03-01"}
    # The service reports a taken group name as invalid input (code `unique_together`), so 400.
    assert errors_of(client.post("/api/v1/groups/", data, format="json")) == {
        "non_field_errors": ["Nama kelompok ini sudah dipakai di desa yang sama."]
    }
    own = GroupFactory(village_id=VILLAGE_B)
    response = api(head_b).post(
        f"/api/v1/groups/{own.pk}/members/", {"household": household_a.pk}, format="json"
    )
    assert response.status_code == 404
    assert not own.memberships.exists()


def test_a_group_of_another_village_is_not_found(api, head_b):
    group = GroupFactory()
    client = api(head_b)
    assert client.get(f"/api/v1/groups/{group.pk}/").status_code == 404
    assert client.patch(f"/api/v1/groups/{group.pk}/", {"enterprise": None}, format="json").status_code == 404


def test_it_founds_an_enterprise_with_its_groups(api, district_official):
    group = GroupFactory()
    data = {
        "village": VILLAGE_A,
        "name": "Koperasi Sumur Makmur",
        "legal_form": "cooperative",
        "founded_on": "2025-04-01",
        "nib": "1234567890123",
        "groups": [group.pk],
    }
    response = api(district_official).post("/api/v1/enterprises/", data, format="json")
    assert response.status_code == 201, response.json()
    enterprise = Enterprise.objects.get(name="Koperasi Sumur Makmur")
    assert response.json()["groups"] == [group.pk]
    group.refresh_from_db()
    assert group.enterprise == enterprise


def test_an_enterprise_lists_only_the_groups_in_the_users_region(api, head_a, head_b, district_official):
    enterprise = EnterpriseFactory()
    own, other = (
        GroupFactory(enterprise=enterprise),
        GroupFactory(village_id=VILLAGE_B, enterprise=enterprise),
    )
    assert api(head_a).get(f"/api/v1/enterprises/{enterprise.pk}/").json()["groups"] == [own.pk]
    assert api(district_official).get(f"/api/v1/enterprises/{enterprise.pk}/").json()["groups"] == [
        own.pk,
        other.pk,
    ]
    assert api(head_b).get(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 404


def test_enterprise_errors_name_their_field(api, head_a):
    data = {
        "village": VILLAGE_A,
        "name": "X",
        "legal_form": "cooperative",
        "founded_on": "2999-01-01",
        "nib": "12",
    }
    response = api(head_a).post("/api/v1/enterprises/", data, format="json")
    assert set(errors_of(response)) == {"founded_on", "nib"}


def test_it_records_capital_access(api, head_a, head_b):
    enterprise = EnterpriseFactory()
    data = {"enterprise": enterprise.pk, "source": "kur", "amount": 25_000_000, "applied_on": "2025-05-01"}
    response = api(head_a).post("/api/v1/capital-access/", data, format="json")
    assert response.status_code == 201, response.json()
    assert CapitalAccess.objects.get().amount == 25_000_000
    assert api(head_b).get("/api/v1/capital-access/").json()["count"] == 0
    assert api(head_b).post("/api/v1/capital-access/", data, format="json").status_code == 404


def test_capital_access_errors_name_their_field(api, head_a):
    enterprise = EnterpriseFactory()
    data = {
        "enterprise": enterprise.pk,
        "source": "kur",
        "amount": 1,
        "applied_on": "2025-05-01",
        "status": "approved",
    }
    assert list(errors_of(api(head_a).post("/api/v1/capital-access/", data, format="json"))) == [
        "approved_on"
    ]


@pytest.fixture
def activity_data(partner, head_of_a):
    return {
        "partner": partner.pk,
        "village": VILLAGE_A,
        "topic": "nutrition",
        "title": "Kelas gizi balita",
        "held_on": "2025-06-10",
        "attendees": [head_of_a.pk],
    }


def test_a_cadre_records_an_activity_with_attendance(api, cadre, activity_data, head_of_a):
    response = api(cadre).post("/api/v1/activities/", activity_data, format="json")
    assert response.status_code == 201, response.json()
    activity = Activity.objects.get()
    assert (activity.recorded_by, list(activity.attendees.all())) == (cadre, [head_of_a])
    assert response.json()["attendees"] == [head_of_a.pk]
    other = PersonFactory(household=head_of_a.household, relation="child")
    response = api(cadre).put(
        f"/api/v1/activities/{activity.pk}/attendance/", {"persons": [other.pk]}, format="json"
    )
    assert response.json()["attendees"] == [other.pk]


def test_attendees_must_live_in_the_village(api, head_a, activity_data):
    outsider = PersonFactory(household=HouseholdFactory(village_id=VILLAGE_B))
    activity_data["attendees"].append(outsider.pk)
    response = api(head_a).post("/api/v1/activities/", activity_data, format="json")
    assert list(errors_of(response)) == ["attendees"]
    assert not Activity.objects.exists()


def test_an_activity_of_another_village_is_not_found(api, head_a, head_b, activity_data):
    api(head_a).post("/api/v1/activities/", activity_data, format="json")
    activity = Activity.objects.get()
    assert api(head_b).get(f"/api/v1/activities/{activity.pk}/").status_code == 404
    response = api(head_b).put(
        f"/api/v1/activities/{activity.pk}/attendance/", {"persons": []}, format="json"
    )
    assert response.status_code == 404
    assert activity.attendance.count() == 1


def test_partners_are_those_serving_the_users_region(api, head_a, head_b, partner):
    PartnerFactory(name="Posyandu Kota", region_code="36.71")
    PartnerFactory(name="PKK Provinsi", region_code="36")
    names = {p["name"] for p in api(head_a).get("/api/v1/partners/").json()["results"]}
    assert names == {"PKK Sumberjaya", "PKK Provinsi"}
    assert {p["name"] for p in api(head_b).get("/api/v1/partners/").json()["results"]} == {"PKK Provinsi"}
    assert api(head_b).get(f"/api/v1/partners/{partner.pk}/").status_code == 404
    assert Partner.objects.count() == 3


def test_programs_are_read_by_every_user_with_a_region(api, cadre, stranger, program):
    assert [p["name"] for p in api(cadre).get("/api/v1/programs/").json()["results"]] == [program.name]
    assert api(stranger).get("/api/v1/programs/").json()["count"] == 0


# ------------------------------------------------------------------ PATCH


def test_it_patches_a_group_through_update_group(api, head_a):
    """Only the fields sent change; the history row names the API user."""
    group = GroupFactory(name="KUBE Lama", sector="craft")
    response = api(head_a).patch(
        f"/api/v1/groups/{group.pk}/", {"name": "KUBE Baru", "is_active": False}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["is_active"], response.json()["sector"]) == (
        "KUBE Baru", False, "craft",
    )  # fmt: skip
    group.refresh_from_db()
    assert (group.name, group.is_active) == ("KUBE Baru", False)
    assert group.history.order_by("-history_id").first().history_user == head_a


def test_group_patch_errors_name_their_field(api, head_a, head_b, cadre):
    group = GroupFactory(name="KUBE Tetap")
    other_enterprise = EnterpriseFactory(village_id=VILLAGE_B)
    client = api(head_a)
    response = client.patch(
        f"/api/v1/groups/{group.pk}/", {"sector": "x", "formed_on": "2999-01-01"}, format="json"
    )
    assert (response.status_code, set(errors_of(response))) == (400, {"sector"})
    response = client.patch(f"/api/v1/groups/{group.pk}/", {"formed_on": "2999-01-01"}, format="json")
    assert (response.status_code, set(errors_of(response))) == (400, {"formed_on"})
    response = client.patch(f"/api/v1/groups/{group.pk}/", {"enterprise": other_enterprise.pk}, format="json")
    assert (response.status_code, set(errors_of(response))) == (400, {"enterprise"})
    assert api(head_b).patch(f"/api/v1/groups/{group.pk}/", {"name": "B"}, format="json").status_code == 404
    assert api(cadre).patch(f"/api/v1/groups/{group.pk}/", {"name": "C"}, format="json").status_code == 403
    group.refresh_from_db()
    assert (group.name, group.enterprise, group.history.count()) == ("KUBE Tetap", None, 1)


def test_it_patches_an_enterprise(api, head_a, head_b):
    enterprise = EnterpriseFactory(name="Koperasi Lama")
    client = api(head_a)
    response = client.patch(f"/api/v1/enterprises/{enterprise.pk}/", {"name": "Koperasi Baru"}, format="json")
    assert (response.status_code, response.json()["name"]) == (200, "Koperasi Baru")
    assert enterprise.history.order_by("-history_id").first().history_user == head_a
    response = client.patch(f"/api/v1/enterprises/{enterprise.pk}/", {"nib": "12"}, format="json")
    assert list(errors_of(response)) == ["nib"]
    assert (
        api(head_b).patch(f"/api/v1/enterprises/{enterprise.pk}/", {"name": "B"}, format="json").status_code
        == 404
    )
    assert Enterprise.objects.get(pk=enterprise.pk).name == "Koperasi Baru"


@pytest.fixture
def application(db):
    return CapitalAccess.objects.create(
        enterprise=EnterpriseFactory(), source="kur", amount=25_000_000, applied_on=datetime.date(2025, 5, 1)
    )


def test_it_moves_capital_access_along_the_table(api, head_a, application):
    client = api(head_a)
    url = f"/api/v1/capital-access/{application.pk}/"
    response = client.patch(url, {"status": "approved", "approved_on": "2025-05-20"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["approved_on"]) == ("approved", "2025-05-20")
    response = client.patch(url, {"status": "disbursed"}, format="json")
    assert (response.json()["status"], response.json()["disbursed_on"]) == ("disbursed", TODAY.isoformat())
    application.refresh_from_db()
    assert [h.status for h in application.history.order_by("history_id")] == [
        "applied",
        "approved",
        "disbursed",
    ]
    assert application.history.order_by("-history_id").first().history_user == head_a


def test_a_refused_capital_step_is_409_on_status(api, head_a, head_b, cadre, application):
    url = f"/api/v1/capital-access/{application.pk}/"
    response = api(head_a).patch(url, {"status": "disbursed", "disbursed_on": "2025-06-01"}, format="json")
    assert (response.status_code, list(errors_of(response))) == (409, ["status"])
    response = api(head_a).patch(url, {"status": "paid"}, format="json")
    assert (response.status_code, list(errors_of(response))) == (400, ["status"])
    response = api(head_a).patch(url, {"disbursed_on": "2025-06-01"}, format="json")
    assert (response.status_code, list(errors_of(response))) == (400, ["disbursed_on"])
    assert api(head_b).patch(url, {"amount": 1}, format="json").status_code == 404
    assert api(cadre).patch(url, {"amount": 1}, format="json").status_code == 403
    application.refresh_from_db()
    assert (application.status, application.amount, application.history.count()) == ("applied", 25_000_000, 1)


def test_it_patches_an_activity_and_its_attendance(api, cadre, head_b, activity_data, head_of_a):
    api(cadre).post("/api/v1/activities/", activity_data, format="json")
    activity = Activity.objects.get()
    url = f"/api/v1/activities/{activity.pk}/"
    response = api(cadre).patch(url, {"title": "Kelas gizi lanjutan", "attendees": []}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["title"], response.json()["attendees"]) == ("Kelas gizi lanjutan", [])
    assert activity.history.order_by("-history_id").first().history_user == cadre
    response = api(cadre).patch(url, {"held_on": "2999-01-01", "partner": 5}, format="json")
    assert list(errors_of(response)) == ["held_on"]  # the partner is not an input: ignored
    assert api(head_b).patch(url, {"title": "B"}, format="json").status_code == 404
    activity.refresh_from_db()
    assert (activity.title, activity.held_on.isoformat()) == ("Kelas gizi lanjutan", "2025-06-10")
