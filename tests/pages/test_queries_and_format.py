"""Pages run a fixed number of queries whatever the size of the village, stay small, and
show rupiah and dates the Indonesian way."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries import services
from core.templatetags.indonesian import rupiah, tanggal, tanggal_jam
from tests.factories import (
    AssistanceFactory,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
)


def fill_village(n: int, head, program) -> None:
    """n households with a head and a child, an open case, aid and a pending proposal."""
    group = GroupFactory()
    for i in range(n):
        household = HouseholdFactory()
        PersonFactory(household=household)
        PersonFactory(household=household, relation="child", birth_date=datetime.date(2015, 1, 1))
        case = services.open_case(actor=head, household=household)
        AssistanceFactory(case=case, village_id=case.village_id, program=program)
        if i % 2 == 0:
            services.request_move(case=case, to="2", actor=head)
        MembershipFactory(group=group, household=household)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["home", "household_list", "group_list", "activity_list"])
def test_a_page_runs_the_same_queries_for_3_or_30_households(client, head_a, program, page):
    """The village home and lists cost the same number of queries at 3 and 30 households."""
    client.force_login(head_a)
    fill_village(3, head_a, program)
    small = count_queries(client, reverse(page))
    fill_village(27, head_a, program)
    assert count_queries(client, reverse(page)) == small


def test_the_official_queue_runs_the_same_queries_for_3_or_30_proposals(
    client, head_a, district_official, program
):
    """The district queue lists every proposal at a fixed cost."""
    client.force_login(district_official)
    fill_village(6, head_a, program)
    small = count_queries(client, reverse("home"))
    fill_village(54, head_a, program)
    assert count_queries(client, reverse("home")) == small


def test_the_household_and_group_pages_do_not_grow_with_the_village(client, head_a, program, household_a):
    """A household page and a group page cost the same in a village of 3 or 30 households."""
    client.force_login(head_a)
    fill_village(3, head_a, program)
    group = GroupFactory(name="Besar")
    url = reverse("household_detail", args=[household_a.pk])
    small, small_group = (
        count_queries(client, url),
        count_queries(client, reverse("group_detail", args=[group.pk])),
    )
    fill_village(27, head_a, program)
    assert count_queries(client, url) == small
    assert count_queries(client, reverse("group_detail", args=[group.pk])) == small_group


def test_pages_stay_under_150_kb(client, head_a, program):
    """Even with 30 households a page and its stylesheet and script stay far under 150 KB."""
    client.force_login(head_a)
    fill_village(30, head_a, program)
    from django.contrib.staticfiles import finders

    assets = sum(len(open(finders.find(p), "rb").read()) for p in ["css/pages.css", "js/pages.js"])
    for name in ["home", "household_list", "household_create", "activity_create", "group_list"]:
        assert len(client.get(reverse(name)).content) + assets < 150_000, name


def test_it_formats_rupiah_and_dates_in_indonesian():
    """`Rp 1.250.000`, `12 Maret 2025` and WIB time."""
    assert rupiah(1_250_000) == "Rp 1.250.000"
    assert rupiah(0) == "Rp 0"
    assert tanggal(datetime.date(2025, 3, 12)) == "12 Maret 2025"
    moment = datetime.datetime(2025, 8, 17, 3, 5, tzinfo=datetime.UTC)
    assert tanggal_jam(moment) == "17 Agustus 2025, 10.05"
    assert tanggal(timezone.make_aware(datetime.datetime(2024, 12, 31, 23, 0))) == "31 Desember 2024"


@pytest.mark.parametrize("page", ["attention_list", "event_list", "move_list", "activity_create"])
def test_the_lists_behind_the_home_run_the_same_queries_for_3_or_30(client, head_a, cadre, program, page):
    """The attention list, the feed, the proposals and the attendance picker cost the same
    at 3 and 30 households."""
    client.force_login(cadre if page == "activity_create" else head_a)
    fill_village(3, head_a, program)
    small = count_queries(client, reverse(page))
    fill_village(27, head_a, program)
    assert count_queries(client, reverse(page)) == small


def test_the_decision_pages_do_not_grow_with_the_aid_or_the_queue(client, head_a, district_official, program):
    """The proposal (with the household's aid), its confirmation step and the district queue
    cost the same with 3 or 30 aid rows and 3 or 30 proposals."""
    fill_village(6, head_a, program)
    from beneficiaries.models import StageTransition

    move = StageTransition.objects.filter(state="pending").first()
    urls = [
        reverse("move_detail", args=[move.pk]),
        reverse("move_detail", args=[move.pk]) + "?confirm=approve&next=queue",
        reverse("move_list"),
        reverse("move_create", args=[move.case_id]),
        reverse("assistance_create", args=[move.case_id]),
    ]
    client.force_login(district_official)
    small = [count_queries(client, url) for url in urls]
    for _ in range(27):
        AssistanceFactory(case=move.case, village_id=move.village_id, program=program)
    fill_village(54, head_a, program)
    assert [count_queries(client, url) for url in urls] == small


def test_the_group_and_activity_pages_do_not_grow_with_members(client, head_a, cadre, partner, program):
    """A group page with an undo box, a removal question and an activity's attendance cost
    the same with 3 or 30 households."""
    from beneficiaries.models import Group

    fill_village(3, head_a, program)
    group = Group.objects.get()
    household, asked = (m.household for m in group.memberships.all()[:2])
    services.remove_group_member(actor=head_a, group=group, household=household)
    activity = services.record_activity(
        actor=cadre, partner=partner, village="36.01.01.2001", topic="nutrition", title="Posyandu",
        held_on=timezone.localdate(),
    )  # fmt: skip
    urls = [
        reverse("group_detail", args=[group.pk]) + f"?dikeluarkan={household.pk}",
        reverse("group_member_remove", args=[group.pk, asked.pk]),
        reverse("activity_detail", args=[activity.pk]) + "?cari=~0123456789abcdef01234567",
    ]
    client.force_login(head_a)
    small = [count_queries(client, url) for url in urls]
    fill_village(27, head_a, program)
    assert [count_queries(client, url) for url in urls] == small


@pytest.mark.parametrize("q", ["Warga", "3601011203850001"])
def test_a_household_search_runs_the_same_queries_for_3_or_30_households(
    client, province, head_a, program, q
):
    """Searching by name or by a whole NIK costs the same at 3 and 30 households."""
    client.force_login(province)
    fill_village(3, head_a, program)
    url = reverse("household_list") + f"?q={q}"
    small = count_queries(client, url)
    fill_village(27, head_a, program)
    assert count_queries(client, url) == small
