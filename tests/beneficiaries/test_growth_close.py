"""Closing growth months (`growth_tally.close_months`): a closed month keeps its toddlers
known in its village-months, the coverage selectors read them there with the same figures
as the live count at the close, and later registrations leave them alone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries import growth_selectors, growth_tally
from beneficiaries.models import GrowthMonth, GrowthMonthClose
from reports.selectors import report_figures
from tests.beneficiaries.growth_helpers import BIRTH, FEBRUARY, build_february, household_in, weigh
from tests.factories import VILLAGE_A, VILLAGE_B, ToddlerFactory

pytestmark = pytest.mark.django_db

D = datetime.date
JAKARTA = ZoneInfo("Asia/Jakarta")
JANUARY, MARCH = D(2025, 1, 1), D(2025, 3, 1)
REGIONS = ("36", "36.01", "36.01.01", VILLAGE_A, VILLAGE_B)


def at(*moment: int):
    """Travel to a Jakarta wall-clock moment."""
    return time_machine.travel(datetime.datetime(*moment, tzinfo=JAKARTA).astimezone(datetime.UTC), tick=False)


@pytest.fixture(autouse=True)
def march_2025():
    with at(2025, 3, 20, 10, 0):
        yield


@pytest.fixture
def february(cadre, head_b, north_official):
    return build_february(cadre=cadre, head_b=head_b, north_official=north_official)


def everything(period=FEBRUARY) -> dict:
    """Every coverage the selectors give for `period`, as plain data."""
    return {
        "one": {code: growth_selectors.growth_coverage(region_code=code, period=period) for code in REGIONS},
        "areas": {
            code: growth_selectors.growth_coverage_by_area(region_code=code, period=period)
            for code in ("36", "36.01", "36.01.01")
        },
        "villages": growth_selectors.growth_coverage_by_village(region_code="36", periods=[period])[0],
    }


def closed_months() -> list[datetime.date]:
    return list(GrowthMonthClose.objects.values_list("month", flat=True))


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_the_closed_figures_are_the_live_figures_at_the_close(february):
    live = everything()
    assert growth_tally.close_months() == 2  # January (c5's weighing) and February
    assert closed_months() == [JANUARY, FEBRUARY]
    assert everything() == live
    assert growth_selectors.growth_coverage(region_code=VILLAGE_A, period=FEBRUARY).toddlers == 6
    assert sum(GrowthMonth.objects.filter(month=FEBRUARY).values_list("toddlers", flat=True)) == 8


def test_closing_twice_writes_nothing_more(february):
    growth_tally.close_months()
    rows = list(GrowthMonth.objects.order_by("village", "month").values())
    assert growth_tally.close_months() == 0
    assert list(GrowthMonth.objects.order_by("village", "month").values()) == rows


def test_a_later_measurement_counts_in_measured_but_a_later_registration_not_in_toddlers(february, cadre):
    growth_tally.close_months()
    before = growth_selectors.growth_coverage(region_code=VILLAGE_A, period=FEBRUARY)
    late = ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH)  # registered in March
    weigh(cadre, late, D(2025, 2, 26), "12.2", "86.4")  # and measured for February
    weigh(cadre, february["c5"], D(2025, 2, 27), "12.2", "86.4")  # weighed in January only until now
    after = growth_selectors.growth_coverage(region_code=VILLAGE_A, period=FEBRUARY)
    assert (after.measured, after.toddlers) == (before.measured + 2, before.toddlers) == (7, 6)
    # the open month counts them live
    assert growth_selectors.growth_coverage(region_code=VILLAGE_A, period=MARCH).toddlers == 8  # with c8, born in March
    # a rebuild recounts the closed months as the persons are now
    growth_tally.refresh()
    assert growth_selectors.growth_coverage(region_code=VILLAGE_A, period=FEBRUARY).toddlers == 7
    assert closed_months() == [JANUARY, FEBRUARY]


def test_a_move_after_the_close_leaves_the_closed_month_alone(february):
    growth_tally.close_months()
    before = everything()
    february["c1"].household = household_in(VILLAGE_B)
    february["c1"].save()
    assert everything() == before


def test_the_queries_are_fixed_closed_or_open(february, cadre):
    def runs() -> list[int]:
        return [
            count_queries(lambda: growth_selectors.growth_coverage(region_code="36.01", period=FEBRUARY)),
            count_queries(lambda: growth_selectors.growth_coverage_by_area(region_code="36", period=FEBRUARY)),
            count_queries(lambda: growth_selectors.growth_coverage_by_village(region_code="36", periods=[FEBRUARY])),
        ]

    open_small = runs()
    growth_tally.close_months()
    closed_small = runs()
    for _ in range(5):
        weigh(cadre, ToddlerFactory(household=household_in(VILLAGE_A), birth_date=BIRTH), D(2025, 2, 11), "12.2", "86.4")
    growth_tally.refresh()
    closed_large = runs()
    GrowthMonthClose.objects.all().delete()
    open_large = runs()
    assert open_small == open_large == [4, 4, 4]  # the marker, toddlers, measured, follow-ups
    assert closed_small == closed_large == [3, 3, 3]  # the marker, village-months, follow-ups


def test_two_months_at_once_are_each_month_alone_in_one_pass_over_the_follow_ups(february):
    def alone() -> list[dict]:
        return [
            growth_selectors.growth_coverage_by_village(region_code="36", periods=[m])[0]
            for m in (FEBRUARY, JANUARY)
        ]

    def together() -> list[dict]:
        return growth_selectors.growth_coverage_by_village(region_code="36", periods=[FEBRUARY, JANUARY])

    assert any(c.followups_open for c in together()[0].values())
    assert together() == alone()
    open_queries = count_queries(together)
    growth_tally.close_months()
    assert together() == alone()
    # the markers once, each month's village-months (and, open, its toddlers), the follow-ups once
    assert (open_queries, count_queries(together)) == (6, 4)


def test_the_report_figures_do_not_change_when_the_month_closes(february):
    live = report_figures(region_code="36", period=FEBRUARY)
    growth_tally.close_months()
    assert report_figures(region_code="36", period=FEBRUARY) == live


def test_a_month_closes_once_it_has_ended_in_jakarta(cadre, head_b, north_official):
    with at(2025, 2, 28, 23, 59):
        build_february(cadre=cadre, head_b=head_b, north_official=north_official)
        live = everything()
        assert growth_tally.close_months() == 1
        assert closed_months() == [JANUARY]
    with at(2025, 3, 1, 0, 30):  # 28 February 17:30 UTC: the daily task's run
        from beneficiaries.tasks import close_aged_out_followups

        close_aged_out_followups.delay().get()
        assert closed_months() == [JANUARY, FEBRUARY]
    assert everything() == live


def test_on_29_february_february_is_still_open(february):
    with at(2028, 2, 29, 12, 0):
        live = everything(D(2028, 1, 1))
        growth_tally.close_months()
        assert closed_months()[-1] == D(2028, 1, 1) and len(closed_months()) == 37
        assert everything(D(2028, 1, 1)) == live
    with at(2028, 3, 1, 0, 30):
        assert growth_tally.close_months() == 1
        assert closed_months()[-1] == D(2028, 2, 1)


def test_nothing_to_close_without_growth_data():
    assert growth_tally.close_months() == 0
    assert closed_months() == []


def test_the_monthly_dispatch_closes_the_month_before_queuing(february):
    from reports.services import dispatch_reports

    dispatch_reports(period=FEBRUARY)
    assert FEBRUARY in closed_months()
