"""Groups with member households and their enterprise; cadres' activities and attendance."""

import datetime
import re

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
    body = response.content.decode()
    assert 'id="id_held_on_error"' in body
    # the banner names the field, linked to it, and the field has the focus
    assert 'href="#id_held_on">Tanggal' in body
    assert re.search(r'<input[^>]*name="held_on"[^>]*autofocus|<input[^>]*autofocus[^>]*name="held_on"', body)
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


def test_removing_a_member_asks_first_and_the_get_writes_nothing(client, head_a, household_a):
    """GET asks "Keluarkan Siti Aminah dari kelompok ...?" and changes nothing; the POST
    removes through the service, whose history row records who removed it."""
    from beneficiaries.models import GroupMembership
    from tests.factories import MembershipFactory

    membership = MembershipFactory(household=household_a, joined_on=datetime.date(2024, 2, 1))
    group = membership.group
    client.force_login(head_a)
    page = client.get(reverse("group_detail", args=[group.pk])).content.decode()
    url = reverse("group_member_remove", args=[group.pk, household_a.pk])
    assert f'href="{url}"' in page  # a link to the question, not a form that removes
    html = client.get(url).content.decode()
    assert f"Keluarkan Siti Aminah dari kelompok {group.name}?" in html
    assert "1 Februari 2024" in html and 'class="btn-danger">Ya, keluarkan' in html
    assert group.memberships.filter(household=household_a).exists()
    response = client.post(url)
    assert response.url == f"{reverse('group_detail', args=[group.pk])}?dikeluarkan={household_a.pk}"
    assert not group.memberships.exists()
    removal = GroupMembership.history.filter(group_id=group.pk, history_type="-").get()
    assert removal.history_user == head_a and removal.joined_on == datetime.date(2024, 2, 1)


def test_the_group_page_undoes_a_removal_with_the_original_join_date(client, head_a, household_a):
    """After the removal the group page says so with "Batalkan"; it re-adds the household
    through the service with the date it had joined on, not today."""
    from tests.factories import MembershipFactory

    group = MembershipFactory(household=household_a, joined_on=datetime.date(2024, 2, 1)).group
    client.force_login(head_a)
    response = client.post(reverse("group_member_remove", args=[group.pk, household_a.pk]), follow=True)
    html = response.content.decode()
    undo = reverse("group_member_restore", args=[group.pk, household_a.pk])
    assert "Siti Aminah · KK" in html and "dikeluarkan dari kelompok." in html
    assert f'action="{undo}"' in html and ">Batalkan</button>" in html
    html = client.post(undo, follow=True).content.decode()
    membership = group.memberships.get()
    assert membership.household == household_a and membership.joined_on == datetime.date(2024, 2, 1)
    assert "kembali menjadi anggota sejak 1 Februari 2024" in html
    assert f'action="{undo}"' not in html  # a member again: nothing to undo
    assert membership.history.latest("history_date").history_user == head_a


def test_an_undo_without_a_removal_adds_nobody(client, head_a, household_a):
    """Undo for a household never removed from the group is refused with a message."""
    group = GroupFactory()
    client.force_login(head_a)
    response = client.post(reverse("group_member_restore", args=[group.pk, household_a.pk]), follow=True)
    assert "Tidak ada anggota yang baru dikeluarkan untuk dibatalkan." in response.content.decode()
    assert not group.memberships.exists()


def test_another_village_can_neither_confirm_nor_undo(client, head_b, household_a):
    """Village B's head gets 404 on village A's confirmation and undo."""
    group = GroupFactory()
    client.force_login(head_b)
    assert client.get(reverse("group_member_remove", args=[group.pk, household_a.pk])).status_code == 404
    assert client.post(reverse("group_member_restore", args=[group.pk, household_a.pk])).status_code == 404


def test_the_group_lists_members_by_name(client, head_a, household_a):
    """The members list and the add-member message name the head, not only the KK."""
    group = GroupFactory()
    client.force_login(head_a)
    html = client.post(
        reverse("group_member_add", args=[group.pk]),
        {"household": household_a.pk, "joined_on": "2025-03-13"},
        follow=True,
    ).content.decode()
    assert "Rumah tangga Siti Aminah · KK" in html and "menjadi anggota kelompok" in html
    assert 'class="title">Siti Aminah</span>' in html


def test_attendance_candidates_are_the_villages_residents_only(cadre, household_a):
    """A household of village B is no candidate for an activity of village A."""
    from beneficiaries.selectors import attendance_candidates
    from tests.factories import PersonFactory

    other = PersonFactory(household=HouseholdFactory(village_id=VILLAGE_B), full_name="Warga Kertajaya")
    names = set(attendance_candidates(cadre, "36.01.01.2001").values_list("full_name", flat=True))
    assert names == {"Siti Aminah", "Budi"}
    assert other.full_name not in names


def _activity(cadre, partner, attendees=()):
    from beneficiaries.services import record_activity

    return record_activity(
        actor=cadre,
        partner=partner,
        village="36.01.01.2001",
        topic="nutrition",
        title="Posyandu Mawar",
        held_on=timezone.localdate(),
        attendees=list(attendees),
    )


def test_the_attendance_count_is_of_those_ticked(client, cadre, partner, household_a):
    """Two residents, one ticked: "1 dipilih", not the number of residents."""
    siti = household_a.members.get(full_name="Siti Aminah")
    activity = _activity(cadre, partner, [siti])
    client.force_login(cadre)
    html = client.get(reverse("activity_detail", args=[activity.pk])).content.decode()
    assert "<b data-ticked-count>1</b> dipilih" in html
    assert "2 warga desa ini." in html
    html = client.get(reverse("activity_create")).content.decode()
    assert "<b data-ticked-count>0</b> dipilih" in html


def test_the_name_search_filters_and_keeps_the_ticked(client, cadre, partner, household_a):
    """The "Cari" button with "budi" shows Budi only; Siti, ticked, stays in the form
    (hidden) so saving the filtered list does not drop her."""
    siti = household_a.members.get(full_name="Siti Aminah")
    budi = household_a.members.get(full_name="Budi")
    activity = _activity(cadre, partner, [siti])
    client.force_login(cadre)
    url = reverse("activity_detail", args=[activity.pk])
    data = {"cari": "budi", "cari_tombol": "1", "attendees": [siti.pk]}
    html = client.post(url, data).content.decode()
    assert f'value="{budi.pk}" id="id_attendees_{budi.pk}"' in html
    assert f'<input type="hidden" name="attendees" value="{siti.pk}"' in html
    assert "Siti Aminah · RT" not in html and "1 dari 2 warga cocok dengan “budi”." in html
    client.post(url, {"attendees": [siti.pk, budi.pk]})
    assert set(activity.attendees.all()) == {siti, budi}


def test_it_ignores_a_name_typed_into_the_attendance_url(client, cadre, partner, household_a):
    """`?cari=budi` in the address (which the access log keeps) filters nothing; the same
    search as a keyed reference (core.search) filters as the button does."""
    from core.search import remember

    activity = _activity(cadre, partner, [])
    client.force_login(cadre)
    url = reverse("activity_detail", args=[activity.pk])
    html = client.get(url, {"cari": "budi"}).content.decode()
    assert "Siti Aminah · RT" in html and "cocok dengan" not in html
    request = type("R", (), {"session": client.session})()
    ref = remember(request, "budi")
    request.session.save()
    html = client.get(url, {"cari": ref}).content.decode()
    assert "Siti Aminah · RT" not in html and "1 dari 2 warga cocok dengan “budi”." in html


def test_the_search_button_filters_without_saving(client, cadre, partner, household_a):
    """Without JavaScript "Cari" posts the form: it filters, keeps what was typed and the
    ticks, shows no errors and saves nothing."""
    budi = household_a.members.get(full_name="Budi")
    client.force_login(cadre)
    data = {"title": "Kelas gizi", "cari": "siti", "cari_tombol": "1", "attendees": [budi.pk]}
    html = client.post(reverse("activity_create"), data).content.decode()
    assert not Activity.objects.exists()
    assert 'value="Kelas gizi"' in html and "errorlist" not in html
    assert "Siti Aminah · RT" in html and "Budi · RT" not in html
    assert "<b data-ticked-count>1</b> dipilih" in html
