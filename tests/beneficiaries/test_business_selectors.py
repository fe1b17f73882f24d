"""The women's programme funnel, the follow-ups due, and sectors against the zone's focus."""

import datetime

import pytest
import time_machine

from beneficiaries.business_selectors import (
    followups_due,
    sector_focus_for,
    women_funnel,
    women_funnel_total,
)
from beneficiaries.models import Activity, Attendance, WomenEnrolment
from beneficiaries.services.business import (
    change_capital_help_status,
    create_business,
    enrol_woman,
    record_capital_help,
    record_followup,
)
from tests.factories import (
    VILLAGE_A,
    VILLAGE_B,
    VILLAGE_NORTH,
    GroupFactory,
    HouseholdFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    WomanFactory,
)

TODAY = "2025-12-31 10:00Z"


def woman_of(village: str, *, heads: bool = False):
    household = HouseholdFactory(village_id=village)
    if heads:
        return WomanFactory(household=household, relation="head", is_female_head=True)
    PersonFactory(household=household)
    return WomanFactory(household=household)


def trained(person, *, topic="culinary", on=datetime.date(2025, 2, 1)):
    activity = Activity.objects.create(
        partner=PartnerFactory(region_code=person.household.village_id),
        village_id=person.household.village_id,
        topic=topic,
        title="Pelatihan",
        held_on=on,
    )
    Attendance.objects.create(activity=activity, person=person)


def business_of(actor, *, person=None, group=None, started=datetime.date(2025, 3, 1)):
    return create_business(
        actor=actor,
        owner_person=person,
        owner_group=group,
        name="Usaha",
        sector="culinary",
        started_on=started,
        sells_online=True,
    )


def six_months(actor, business, *, revenue, status="running", on=datetime.date(2025, 9, 1)):
    extra = {"stop_reason": "market"} if status == "stopped" else {}
    return record_followup(
        actor=actor,
        business=business,
        kind="m6",
        visited_on=on,
        status=status,
        monthly_revenue=revenue,
        **extra,
    )


@pytest.fixture
def programme(db, province):
    """Village A: a female head who went all the way (1.000.000 at 6 months), a wife trained
    in kewirausahaan with a group business running (3.000.000) and capital only applied,
    a wife enrolled only. Village B: a wife whose business stopped. North: one enrolled."""
    full = woman_of(VILLAGE_A, heads=True)
    grouped = woman_of(VILLAGE_A)
    only = woman_of(VILLAGE_A)
    stopped = woman_of(VILLAGE_B)
    north = woman_of(VILLAGE_NORTH)
    for person in (full, grouped, only, stopped, north):
        enrol_woman(actor=province, person=person, enrolled_on=datetime.date(2025, 1, 10))
    trained(full)
    trained(grouped, topic="entrepreneurship")
    trained(only, topic="nutrition")  # not a business training
    mine = business_of(province, person=full)
    help_row = record_capital_help(
        actor=province, business=mine, scheme="grant", amount=1_500_000, applied_on=datetime.date(2025, 3, 2)
    )
    change_capital_help_status(
        actor=province, capital_help=help_row, to="approved", on=datetime.date(2025, 3, 5)
    )
    change_capital_help_status(
        actor=province, capital_help=help_row, to="disbursed", on=datetime.date(2025, 3, 9)
    )
    six_months(province, mine, revenue=1_000_000)
    group = GroupFactory(village_id=VILLAGE_A)
    MembershipFactory(group=group, household=grouped.household)
    theirs = business_of(province, group=group)
    record_capital_help(
        actor=province, business=theirs, scheme="kur", amount=5_000_000, applied_on=datetime.date(2025, 3, 3)
    )
    six_months(province, theirs, revenue=3_000_000)
    six_months(province, business_of(province, person=stopped), revenue=0, status="stopped")
    return {"full": full, "grouped": grouped}


@time_machine.travel(TODAY, tick=False)
def test_the_funnel_counts_each_step_per_village(programme, province):
    """Trained means tata boga or kewirausahaan; capital means disbursed; a group's
    business counts for its member's household."""
    rows = {r.code: r for r in women_funnel(WomenEnrolment.objects.visible_to(province), level="village")}
    a = rows[VILLAGE_A]
    assert [a.get(k) for k in ("enrolled", "trained", "started", "capital", "running_6m")] == [3, 2, 2, 1, 2]
    assert a.median_revenue_6m == 2_000_000
    assert [a.get(k) for k in ("fh_enrolled", "fh_trained", "fh_started", "fh_capital", "fh_running_6m")] == [
        1,
        1,
        1,
        1,
        1,
    ]
    assert a.fh_median_revenue_6m == 1_000_000
    b = rows[VILLAGE_B]
    assert (b.get("enrolled"), b.get("started"), b.get("running_6m"), b.median_revenue_6m) == (1, 1, 0, None)


@time_machine.travel(TODAY, tick=False)
def test_the_funnel_as_of_an_earlier_day_leaves_out_what_came_later(programme, province):
    """At the end of August nobody had a 6-month visit yet; the capital was disbursed in March."""
    total = women_funnel_total(WomenEnrolment.objects.visible_to(province), as_of=datetime.date(2025, 8, 31))
    assert (
        total.get("enrolled"),
        total.get("capital"),
        total.get("running_6m"),
        total.median_revenue_6m,
    ) == (5, 1, 0, None)


@time_machine.travel(TODAY, tick=False)
def test_the_funnel_is_scoped_and_its_query_count_is_fixed(
    programme, head_a, province, django_assert_num_queries
):
    """A village head sees her village only; more women do not add queries."""
    rows = women_funnel(WomenEnrolment.objects.visible_to(head_a), level="village")
    assert [r.code for r in rows] == [VILLAGE_A]
    for _ in range(3):
        enrol_woman(actor=province, person=woman_of(VILLAGE_B), enrolled_on=datetime.date(2025, 2, 1))
    with django_assert_num_queries(4):
        women_funnel(WomenEnrolment.objects.visible_to(province), level="district")
    with django_assert_num_queries(3):
        women_funnel_total(WomenEnrolment.objects.visible_to(province))


@time_machine.travel(TODAY, tick=False)
def test_follow_ups_due_and_unrecorded_show_for_the_village(programme, head_a, head_b, province):
    """The 12-month visits not yet recorded are due by 31 December; a stopped business is not."""
    due = list(followups_due(head_a))
    assert {b.next_due_kind for b in due} == {"m3"}  # the 3-month visits were never recorded
    assert len(due) == 2
    assert list(followups_due(head_b)) == []  # its business stopped


@time_machine.travel(TODAY, tick=False)
def test_sector_focus_counts_businesses_and_enterprises_against_the_zone(programme, province):
    """Pandeglang (south) counts culinary as in focus; the north has no business yet."""
    rows = {r.regency: r for r in sector_focus_for(province)}
    south = rows["36.01"]
    assert (south.zone, south.businesses, south.in_focus, south.total) == ("south", {"culinary": 3}, 3, 3)
    assert rows["36.71"].total == 0
