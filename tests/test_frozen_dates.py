"""Dates under frozen clocks (STYLE.md 14): the 1st and the last day of a month, 29 February,
New Year's Eve, and half past midnight on 1 January in Jakarta, when UTC still has
31 December. Every "today" is Jakarta's, whatever the process's own time zone says."""

import datetime
import io
import os
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from beneficiaries.demo import Seeder, build_plan, demo_anchor
from beneficiaries.identity import parse_nik
from beneficiaries.models import Person
from beneficiaries.models.activities import Topic
from beneficiaries.services import (
    add_group_member,
    add_member,
    create_enterprise,
    create_group,
    decide_move,
    open_case,
    record_activity,
    record_assistance,
    record_capital_access,
    request_move,
)
from core.errors import DomainError
from reports.models import ReportDelivery, ReportRecipient
from reports.selectors import add_months, previous_period
from reports.services import dispatch_reports
from tests.beneficiaries.test_seed_demo import fingerprint
from tests.factories import (
    VILLAGE_A,
    EnterpriseFactory,
    GroupFactory,
    HouseholdFactory,
    PartnerFactory,
    PersonFactory,
    ProgramFactory,
    make_nik,
)

WIB = ZoneInfo("Asia/Jakarta")
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Instant:
    name: str
    moment: datetime.datetime
    period: datetime.date  # the month a report sent at this moment covers

    @property
    def today(self) -> datetime.date:
        return self.moment.date()  # the moment is in Jakarta time


INSTANTS = [
    Instant("first_of_month", datetime.datetime(2026, 12, 1, 7, 0, tzinfo=WIB), datetime.date(2026, 11, 1)),
    Instant("month_end", datetime.datetime(2026, 11, 30, 23, 59, tzinfo=WIB), datetime.date(2026, 10, 1)),
    Instant("leap_day", datetime.datetime(2028, 2, 29, 12, 0, tzinfo=WIB), datetime.date(2028, 1, 1)),
    Instant("new_years_eve", datetime.datetime(2026, 12, 31, 12, 0, tzinfo=WIB), datetime.date(2026, 11, 1)),
    # 2026-12-31 17:30 UTC: a UTC "today" would date this 31 December and report November.
    Instant("new_year_0030", datetime.datetime(2027, 1, 1, 0, 30, tzinfo=WIB), datetime.date(2026, 12, 1)),
]


@pytest.fixture(autouse=True)
def _process_in_utc():
    """The process's own zone is UTC, as on most servers. Django sets TZ=Asia/Jakarta at
    startup, which would let a stray date.today() pass these tests unseen."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


def travel(moment: datetime.datetime):
    """Freeze the clock at `moment`, given in UTC: a ZoneInfo destination would also set the
    process's zone to Jakarta and hide a naive date.today() from these tests."""
    return time_machine.travel(moment.astimezone(datetime.UTC), tick=False)


@pytest.fixture(params=INSTANTS, ids=[i.name for i in INSTANTS])
def now(request, _process_in_utc) -> Instant:
    with travel(request.param.moment):
        yield request.param


def test_the_clock_is_frozen_where_it_claims(now):
    """The frozen moment is Jakarta's; after midnight on 1 January, UTC is still in 2026."""
    assert timezone.now() == now.moment
    assert timezone.localdate() == now.today
    utc_day = now.moment.astimezone(datetime.UTC).date()
    assert datetime.date.today() == utc_day  # what a naive "today" would use
    assert (utc_day != now.today) == (now.name == "new_year_0030")


# The demo seeder --------------------------------------------------------------------------------


def identity(plan) -> dict:
    """What the seeder finds households by, and who is in them: none of it may follow the anchor."""
    members = [m for h in plan.households for m in h.members]
    return {
        "kk": {h.kk_number for h in plan.households},
        "nik": {m.nik for m in members if m.nik},
        "names": [m.full_name for m in members],
        "households": [(h.village, h.address, h.rt, h.rw, h.desil, h.story) for h in plan.households],
        "people": [(m.nik, m.sex, m.relation, m.is_female_head, m.has_disability) for m in members],
        "births": [m.birth_date for m in members if m.nik],
    }


def test_the_plan_is_the_same_people_in_any_month(now):
    """Plans built for 24 consecutive months around today have the same KKs, NIKs and names."""
    anchor = demo_anchor(timezone.localdate())
    expected = identity(build_plan(anchor))
    assert len(expected["kk"]) == 200 and len(expected["nik"]) == len(expected["births"])
    for months in range(-12, 12):
        assert identity(build_plan(add_months(anchor, months))) == expected, months


def test_a_seed_from_another_month_adds_nothing(now, db):
    """Seeded today, a run with next month's or last month's anchor adds and changes nothing."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    seeded = fingerprint()
    anchor = demo_anchor(timezone.localdate())
    assert anchor == now.today.replace(day=1)
    for other in (add_months(anchor, 1), add_months(anchor, -1)):
        counts = Seeder(build_plan(other)).run()
        assert all(added == 0 for _total, added in counts.values()), (other, counts)
    assert fingerprint() == seeded
    newborn = Person.objects.get(nik=None)
    assert newborn.birth_date == anchor - 20 * DAY


# Stage moves -------------------------------------------------------------------------------------


@pytest.fixture
def case(now, head_a):
    household = HouseholdFactory()
    PersonFactory(household=household)
    return open_case(actor=head_a, household=household, opened_on=now.today - 30 * DAY)


def test_an_official_exit_is_closed_on_jakartas_day(now, case, district_official):
    move = request_move(case=case, to="exited", actor=district_official, exit_reason="moved")
    case.refresh_from_db()
    assert (case.status, case.closed_on, move.decided_at) == ("exited", now.today, now.moment)
    if now.name == "new_year_0030":
        assert case.closed_on == datetime.date(2027, 1, 1)


def test_an_approved_exit_is_closed_on_the_day_of_the_approval(now, case, head_a, district_official):
    """Proposed at 23:59 on 30 November, approved five minutes later: closed on 1 December."""
    proposal = request_move(case=case, to="exited", actor=head_a, exit_reason="declined")
    approved_at = now.moment + datetime.timedelta(minutes=5)
    with travel(approved_at):
        decide_move(move=proposal, actor=district_official, approve=True, note="Sesuai verifikasi.")
    case.refresh_from_db()
    proposal.refresh_from_db()
    assert (case.status, case.closed_on) == ("exited", approved_at.date())
    assert (proposal.proposed_at, proposal.decided_at) == (now.moment, approved_at)
    if now.name == "month_end":
        assert case.closed_on == datetime.date(2026, 12, 1)


# The monthly report ------------------------------------------------------------------------------


def test_the_report_sent_now_covers_the_month_before_jakartas_month(now, db):
    """At 00:30 on 1 January in Jakarta the report covers December 2026, not November."""
    ReportRecipient.objects.create(region_code="36", name="Gubernur", title="Gubernur Banten",
                                   email="gubernur@bantenprov.go.id")  # fmt: skip
    assert previous_period() == now.period
    [delivery_id] = dispatch_reports()
    assert ReportDelivery.objects.get(pk=delivery_id).period == now.period


# "Not in the future": today in Jakarta is accepted, tomorrow is refused with the field named ----


@pytest.fixture
def record(now, head_a):
    """For each dated field, a service call that records it on `day`, as the head of village A."""
    household = HouseholdFactory()
    PersonFactory(household=household)
    earlier = now.today - 60 * DAY
    case = open_case(actor=head_a, household=household, opened_on=earlier)

    def fresh_household():
        fresh = HouseholdFactory()
        PersonFactory(household=fresh)
        return fresh

    calls = {
        "birth_date": lambda day: add_member(
            actor=head_a, household=household, has_no_nik=True, full_name="Bayi Nabila",
            sex="P", birth_date=day, relation="child",
        ),
        "opened_on": lambda day: open_case(actor=head_a, household=fresh_household(), opened_on=day),
        "delivered_on": lambda day: record_assistance(
            actor=head_a, case=case, kind="food", program=ProgramFactory(), delivered_on=day, amount=250_000
        ),
        "held_on": lambda day: record_activity(
            actor=head_a, partner=PartnerFactory(), village=VILLAGE_A, topic=Topic.NUTRITION,
            title="Penyuluhan gizi balita", held_on=day,
        ),
        "formed_on": lambda day: create_group(
            actor=head_a, village=VILLAGE_A, name=f"KUBE {day}", sector="culinary", formed_on=day
        ),
        "joined_on": lambda day: add_group_member(
            actor=head_a, group=GroupFactory(formed_on=earlier), household=fresh_household(), joined_on=day
        ),
        "founded_on": lambda day: create_enterprise(
            actor=head_a, village=VILLAGE_A, name=f"Koperasi {day}", legal_form="cooperative", founded_on=day
        ),
        "applied_on": lambda day: record_capital_access(
            actor=head_a, enterprise=EnterpriseFactory(founded_on=earlier), source="kur",
            amount=5_000_000, applied_on=day,
        ),
    }  # fmt: skip
    return calls


DATED = ["birth_date", "opened_on", "delivered_on", "held_on", "formed_on", "joined_on", "founded_on",
         "applied_on"]  # fmt: skip


@pytest.mark.parametrize("field", DATED)
def test_today_in_jakarta_is_not_in_the_future(now, record, field):
    """At 00:30 on 1 January in Jakarta, 1 January is today, though UTC is still on 31 December."""
    saved = record[field](now.today)
    assert getattr(saved, field) == now.today


@pytest.mark.parametrize("field", DATED)
def test_tomorrow_in_jakarta_is_refused_with_the_field_named(now, record, field):
    with pytest.raises(DomainError) as refused:
        record[field](now.today + DAY)
    assert refused.value.field == field
    assert "masa depan" in refused.value.errors[field][0]


def test_a_nik_of_a_child_born_today_in_jakarta_reads_as_born_today(now, head_a):
    """A NIK's two-digit year is read against Jakarta's today: 1 January 2027 is 2027, not 1927."""
    household = HouseholdFactory()
    PersonFactory(household=household)
    nik = make_nik(birth=now.today, sex="P", serial=77)
    assert parse_nik(nik).birth_date == now.today
    child = add_member(
        actor=head_a, household=household, nik=nik, full_name="Nabila Suryana", sex="P",
        birth_date=now.today, relation="child",
    )  # fmt: skip
    assert child.birth_date == now.today
