"""Groups with member households and their enterprise; cadres' activities and attendance."""

import datetime

from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Activity, Group
from tests.factories import VILLAGE_B, EnterpriseFactory, GroupFactory, HouseholdFactory


def test_it_creates_a_group_and_adds_and_removes_a_household(client, head_a, household_a):
    """Create, add a member, remove it: each saved through the services with a message."""
    client.force_login(head_a)
    data = {
        "village": "36.01.01.2001",
        "name": "KUBE Melati",
        "sector": "culinary",
        "formed_on": "2025-03-12",
    }
    response = client.post(reverse("group_create"), data, follow=True)
    group = Group.objects.get(name="KUBE Melati")
    assert "Kelompok KUBE Melati dibuat" in response.content.decode()
    assert "12 Maret 2025" in response.content.decode()
    response = client.post(
        reverse("group_member_add", args=[group.pk]),
        {"household": household_a.pk, "joined_on": "2025-03-13"},
        follow=True,
    )
    assert group.memberships.get().household == household_a
    assert "menjadi anggota kelompok" in response.content.decode()
    response = client.post(reverse("group_member_remove", args=[group.pk, household_a.pk]), follow=True)
    assert not group.memberships.exists()
    assert "dikeluarkan dari kelompok" in response.content.decode()


def test_it_refuses_a_duplicate_group_name(client, head_a):
    """The uniqueness rule of the model shows on the form."""
    GroupFactory(name="KUBE Mawar")
    client.force_login(head_a)
    data = {"village": "36.01.01.2001", "name": "KUBE Mawar", "sector": "culinary", "formed_on": "2025-03-12"}
    response = client.post(reverse("group_create"), data)
    assert "sudah dipakai di desa yang sama" in response.content.decode()
    assert Group.objects.count() == 1


def test_the_group_page_shows_its_enterprise(client, head_a):
    """A group integrated into an enterprise shows the enterprise's name and form."""
    group = GroupFactory(enterprise=EnterpriseFactory(name="Koperasi Maju Bersama"))
    client.force_login(head_a)
    html = client.get(reverse("group_detail", args=[group.pk])).content.decode()
    assert "Koperasi Maju Bersama" in html and "Koperasi" in html


def test_groups_of_another_village_are_not_found(client, head_b, household_a):
    """A head of village B gets 404 on village A's group and its member actions."""
    group = GroupFactory()
    client.force_login(head_b)
    assert client.get(reverse("group_detail", args=[group.pk])).status_code == 404
    assert client.post(reverse("group_member_add", args=[group.pk]), {}).status_code == 404
    assert client.post(reverse("group_member_remove", args=[group.pk, household_a.pk])).status_code == 404


def test_a_household_of_another_village_cannot_join(client, head_a):
    """Only households of the group's village are offered; another is refused at the field."""
    group = GroupFactory()
    other = HouseholdFactory(village_id=VILLAGE_B)
    client.force_login(head_a)
    response = client.post(
        reverse("group_member_add", args=[group.pk]), {"household": other.pk, "joined_on": "2025-01-01"}
    )
    assert 'id="id_household_error"' in response.content.decode()
    assert not group.memberships.exists()


def test_a_cadre_records_an_activity_with_attendance(client, cadre, partner, household_a):
    """The cadre picks the partner, topic, title and date and ticks who attended."""
    people = list(household_a.members.all())
    client.force_login(cadre)
    page = client.get(reverse("activity_create")).content.decode()
    assert all(p.full_name in page for p in people)
    data = {
        "village": "36.01.01.2001",
        "partner": partner.pk,
        "topic": "nutrition",
        "title": "Kelas gizi balita",
        "held_on": timezone.localdate().isoformat(),
        "attendees": [people[0].pk],
    }
    response = client.post(reverse("activity_create"), data, follow=True)
    activity = Activity.objects.get(title="Kelas gizi balita")
    assert activity.recorded_by == cadre and activity.partner == partner
    assert list(activity.attendees.all()) == [people[0]]
    assert "dicatat dengan 1 peserta hadir" in response.content.decode()
    assert "Kelas gizi balita" in client.get(reverse("home")).content.decode()
    client.post(reverse("activity_detail", args=[activity.pk]), {"attendees": [p.pk for p in people]})
    assert activity.attendees.count() == 2
    html = client.get(reverse("household_detail", args=[household_a.pk])).content.decode()
    assert "Kelas gizi balita" in html


def test_an_activity_in_the_future_is_refused(client, cadre, partner):
    """The model's date rule shows next to the date field; nothing is saved."""
    client.force_login(cadre)
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    data = {
        "village": "36.01.01.2001",
        "partner": partner.pk,
        "topic": "nutrition",
        "title": "X",
        "held_on": future,
    }
    response = client.post(reverse("activity_create"), data)
    assert 'id="id_held_on_error"' in response.content.decode()
    assert not Activity.objects.exists()


def test_activities_of_another_village_are_not_found(client, head_b, cadre, partner):
    """A head of village B gets 404 on village A's activity."""
    from beneficiaries.services import record_activity

    activity = record_activity(
        actor=cadre,
        partner=partner,
        village="36.01.01.2001",
        topic="nutrition",
        title="Posyandu",
        held_on=timezone.localdate(),
    )
    client.force_login(head_b)
    assert client.get(reverse("activity_detail", args=[activity.pk])).status_code == 404
    assert "PKK Desa Sumberjaya" not in client.get(reverse("activity_create")).content.decode()
