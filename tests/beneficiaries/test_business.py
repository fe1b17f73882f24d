"""Businesses, follow-ups, capital help, women's enrolment and the stage-2 guard."""

import datetime

import pytest
import time_machine

from beneficiaries.models import Business, BusinessFollowUp, CapitalHelp, Case, WomenEnrolment
from beneficiaries.models.business import add_months
from beneficiaries.services import record_assistance, request_move
from beneficiaries.services.business import (
    CAPITAL_HELP_TRANSITIONS,
    change_capital_help_status,
    create_business,
    enrol_woman,
    record_capital_help,
    record_followup,
    update_business,
)
from core.errors import DomainError
from tests.factories import (
    VILLAGE_NORTH,
    BusinessFactory,
    GroupFactory,
    HouseholdFactory,
    PersonFactory,
    ProgramFactory,
    WomanFactory,
)

JAKARTA_NOON = "2025-09-01 05:00Z"


@pytest.fixture
def woman(db):
    household = HouseholdFactory()
    PersonFactory(household=household)
    return WomanFactory(household=household)


def refused(service, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as error:
        service(**kwargs)
    return error.value


def start(actor, owner, **extra):
    values = {
        "name": "Keripik Pisang Bu Siti",
        "sector": "culinary",
        "started_on": datetime.date(2025, 1, 31),
        "sells_at_market": True,
        **extra,
    }
    return create_business(actor=actor, owner_person=owner, **values)


@pytest.mark.parametrize(
    ("start_on", "months", "due"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2023, 11, 30), 3, datetime.date(2024, 2, 29)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 8, 31), 6, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 3, 15), 12, datetime.date(2026, 3, 15)),
    ],
)
def test_follow_ups_fall_due_on_the_same_day_or_the_months_last_day(start_on, months, due):
    """31 January + 1 month is 28 February; 30 November + 3 months in a leap year is 29 February."""
    assert add_months(start_on, months) == due


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_a_new_business_is_due_for_its_3_month_follow_up(head_a, woman):
    """The first visit falls 3 months after the start, at the month's end when shorter."""
    business = start(head_a, woman, started_on=datetime.date(2023, 11, 30))
    stored = Business.objects.get(pk=business.pk)
    assert (stored.household_id, stored.village_id, stored.regency_id) == (
        woman.household_id,
        woman.household.village_id,
        woman.household.village_id[:5],
    )
    assert (stored.next_due_kind, stored.next_due_on) == ("m3", datetime.date(2024, 2, 29))


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_it_rejects_a_business_with_no_channel_a_bad_nib_or_two_owners(head_a, woman):
    """Every field error is named and nothing is written."""
    error = refused(start, actor=head_a, owner=woman, sells_at_market=False, nib="12")
    assert {"sells_at_market", "nib"} <= set(error.errors)
    error = refused(
        create_business,
        actor=head_a,
        owner_person=woman,
        owner_group=GroupFactory(),
        name="x",
        sector="culinary",
        started_on=datetime.date(2025, 1, 1),
    )
    assert error.field == "owner_person"
    assert not Business.objects.exists()


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_it_refuses_a_business_outside_the_region_as_not_found(head_b, woman, cadre):
    """Out of region is 'not found'; a cadre may not record businesses at all."""
    assert refused(start, actor=head_b, owner=woman).code == DomainError.NOT_FOUND
    assert refused(start, actor=cadre, owner=woman).code in (DomainError.FORBIDDEN, DomainError.NOT_FOUND)
    assert not Business.objects.exists()


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_a_follow_up_moves_the_schedule_and_a_stop_ends_it(head_a, woman):
    """After the 3-month visit the 6-month one is due; a stop leaves nothing due."""
    business = start(head_a, woman)
    record_followup(
        actor=head_a,
        business=business,
        kind="m3",
        visited_on=datetime.date(2025, 4, 30),
        status="running",
        monthly_revenue=1_250_000,
        monthly_profit=400_000,
        workers=2,
    )
    business.refresh_from_db()
    assert (business.last_status, business.last_monthly_revenue) == ("running", 1_250_000)
    assert (business.next_due_kind, business.next_due_on) == ("m6", datetime.date(2025, 7, 31))
    record_followup(
        actor=head_a,
        business=business,
        kind="adhoc",
        visited_on=datetime.date(2025, 6, 2),
        status="stopped",
        stop_reason="capital",
    )
    business.refresh_from_db()
    assert (business.last_status, business.next_due_kind, business.next_due_on) == ("stopped", "", None)


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_it_rejects_a_second_scheduled_visit_and_a_stop_without_reason(head_a, woman):
    """The 3-month visit is recorded once; a stop names its reason."""
    business = start(head_a, woman)
    visit = {"actor": head_a, "business": business, "kind": "m3", "visited_on": datetime.date(2025, 5, 1)}
    record_followup(status="running", monthly_revenue=900_000, **visit)
    again = refused(record_followup, status="running", **visit)
    assert (again.code, again.field) == (DomainError.CONFLICT, "kind")
    no_reason = refused(record_followup, **{**visit, "kind": "m6"}, status="stopped")
    assert no_reason.field == "stop_reason"
    early = refused(
        record_followup,
        **{**visit, "kind": "adhoc", "visited_on": datetime.date(2025, 1, 1)},
        status="running",
    )
    assert early.field == "visited_on"
    assert BusinessFollowUp.objects.count() == 1


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_capital_help_moves_only_along_its_table(head_a, woman):
    """Applied, approved, disbursed (each dated); disbursed is final; skipping is refused."""
    business = start(head_a, woman)
    help_row = record_capital_help(
        actor=head_a,
        business=business,
        scheme="revolving",
        amount=2_000_000,
        applied_on=datetime.date(2025, 2, 3),
    )
    skip = refused(change_capital_help_status, actor=head_a, capital_help=help_row, to="disbursed")
    assert (skip.code, skip.field) == (DomainError.CONFLICT, "status")
    change_capital_help_status(
        actor=head_a, capital_help=help_row, to="approved", on=datetime.date(2025, 2, 10)
    )
    change_capital_help_status(
        actor=head_a, capital_help=help_row, to="disbursed", on=datetime.date(2025, 2, 20)
    )
    stored = CapitalHelp.objects.get(pk=help_row.pk)
    assert (stored.status, stored.approved_on, stored.disbursed_on, stored.version) == (
        "disbursed",
        datetime.date(2025, 2, 10),
        datetime.date(2025, 2, 20),
        3,
    )
    assert (
        refused(change_capital_help_status, actor=head_a, capital_help=help_row, to="refused").code
        == "conflict"
    )
    assert ("applied", "refused") in CAPITAL_HELP_TRANSITIONS


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_it_rejects_capital_help_with_no_amount_or_two_recipients(head_a, woman):
    """An amount of at least Rp 1 and exactly one recipient."""
    business = start(head_a, woman)
    error = refused(
        record_capital_help,
        actor=head_a,
        person=woman,
        scheme="grant",
        amount=0,
        applied_on=datetime.date(2025, 2, 3),
    )
    assert error.field == "amount"
    both = refused(
        record_capital_help,
        actor=head_a,
        person=woman,
        business=business,
        scheme="grant",
        amount=10,
        applied_on=datetime.date(2025, 2, 3),
    )
    assert both.field == "business"
    assert not CapitalHelp.objects.exists()


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_enrolment_derives_the_female_headed_flag(head_a, db):
    """A woman heading her household is flagged; a wife beside a male head is not; a man is refused."""
    alone = HouseholdFactory()
    head = WomanFactory(household=alone, relation="head", is_female_head=True)
    with_husband = HouseholdFactory()
    husband = PersonFactory(household=with_husband)
    wife = WomanFactory(household=with_husband)
    assert enrol_woman(actor=head_a, person=head).female_headed is True
    assert enrol_woman(actor=head_a, person=wife).female_headed is False
    assert refused(enrol_woman, actor=head_a, person=husband).field == "person"
    assert refused(enrol_woman, actor=head_a, person=wife).code == DomainError.CONFLICT
    assert WomenEnrolment.objects.count() == 2


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_it_refuses_an_enrolment_outside_the_region_as_not_found(head_a, db):
    """A woman of another regency is not found for a village head."""
    north = HouseholdFactory(village_id=VILLAGE_NORTH)
    woman = WomanFactory(household=north, relation="head")
    assert refused(enrol_woman, actor=head_a, person=woman).code == DomainError.NOT_FOUND


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_update_business_refuses_a_stale_version(head_a, woman):
    """A write made from an older version is refused; the newer data stays."""
    business = start(head_a, woman)
    update_business(actor=head_a, business=business, name="Keripik Singkong", expected_version=1)
    error = refused(update_business, actor=head_a, business=business, name="Lain", expected_version=1)
    assert error.field == "version"
    assert Business.objects.get(pk=business.pk).name == "Keripik Singkong"


# ---------------------------------------------------------------- stage 2 -> 3 and graduation


@pytest.fixture
def case_in_stage_2(case, district_official, give, in_enterprise_group):
    give(case)
    request_move(case=case, to="2", actor=district_official)
    give(case, kind="work_tools")
    in_enterprise_group(case)
    return case


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_the_running_business_guard_is_off_by_default(case_in_stage_2, district_official):
    """Without the programme's switch, today's rules hold: no business is needed for 2 -> 3."""
    assert request_move(case=case_in_stage_2, to="3", actor=district_official).state == "applied"


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_a_switched_on_programme_needs_a_business_running_at_its_last_follow_up(
    case_in_stage_2, district_official, head_a
):
    """With the switch on, 2 -> 3 is refused until the household's business ran at its last visit."""
    program = ProgramFactory(name="Usaha Mandiri", requires_running_business=True)
    Case.objects.filter(pk=case_in_stage_2.pk).update(program=program)
    error = refused(request_move, case=case_in_stage_2, to="3", actor=district_official)
    assert (error.field, error.code) == ("running_business", DomainError.CONFLICT)
    owner = case_in_stage_2.household.members.first()
    business = BusinessFactory(owner_person=owner, started_on=datetime.date(2025, 2, 1))
    record_followup(
        actor=head_a,
        business=business,
        kind="m3",
        visited_on=datetime.date(2025, 5, 2),
        status="running",
        monthly_revenue=800_000,
    )
    assert request_move(case=case_in_stage_2, to="3", actor=district_official).state == "applied"


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_graduation_requires_and_records_the_monthly_income(case_in_stage_2, district_official):
    """Mandiri without the household's monthly income is refused; with it, the move keeps it."""
    request_move(case=case_in_stage_2, to="3", actor=district_official)
    assert (
        refused(request_move, case=case_in_stage_2, to="graduated", actor=district_official).field
        == "monthly_income"
    )
    move = request_move(
        case=case_in_stage_2, to="graduated", actor=district_official, monthly_income=3_100_000
    )
    assert (move.kind, move.monthly_income) == ("graduate", 3_100_000)


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_it_rejects_an_income_on_a_move_that_is_not_graduation(case, district_official, give):
    """Income belongs to graduation only."""
    give(case)
    error = refused(request_move, case=case, to="2", actor=district_official, monthly_income=1)
    assert error.field == "monthly_income"


@time_machine.travel(JAKARTA_NOON, tick=False)
def test_assistance_still_records_with_the_new_tables(case, head_a, program):
    """Existing flows are untouched by the business tables."""
    record_assistance(
        actor=head_a, case=case, kind="food", program=program, delivered_on=datetime.date(2025, 2, 1)
    )
    assert case.assistance.count() == 1
