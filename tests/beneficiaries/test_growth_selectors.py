"""beneficiaries.growth_selectors: the monthly coverage of a region from one selector in a
fixed number of queries, and the lists that need attention."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries import growth_selectors
from beneficiaries.models import GrowthFollowUp, Measurement
from beneficiaries.services import open_case
from core.errors import DomainError
from tests.beneficiaries.growth_helpers import FEBRUARY, build_february
from tests.factories import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def march_2025():
    moment = datetime.datetime(2025, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(moment.astimezone(datetime.UTC), tick=False):
        yield


@pytest.fixture
def february(cadre, head_b, north_official):
    return build_february(cadre=cadre, head_b=head_b, north_official=north_official)


def figures(code: str, period=FEBRUARY) -> dict:
    return growth_selectors.growth_coverage(region_code=code, period=period).as_dict()


def test_the_coverage_of_a_village_counts_as_counted_by_hand(february):
    assert figures(VILLAGE_A) == {
        "region": VILLAGE_A,
        "period": "2025-02",
        "toddlers": 6,
        "measured": 5,
        "coverage_pct": Decimal("83.3"),
        "assessed": 4,
        "whz_assessed": 4,
        "flagged": 1,
        "stunted": 2,
        "severely_stunted": 1,
        "wasted": 1,
        "severely_wasted": 0,
        "underweight": 1,
        "stunting_pct": Decimal("50.0"),
        "wasting_pct": Decimal("25.0"),
        "followups_open": 3,
    }


def test_a_flagged_measurement_is_measured_but_left_out_of_prevalence(february):
    """c4 (HAZ -8.88) is severely stunted by its number, yet counted neither as stunted nor
    in the denominator: 2 of 4, not 3 of 5."""
    flagged = Measurement.objects.get(person=february["c4"])
    assert (flagged.flagged, flagged.haz_status) == (True, "severely_stunted")
    row = figures(VILLAGE_A)
    assert (row["measured"], row["assessed"], row["stunted"], row["severely_stunted"]) == (5, 4, 2, 1)


@pytest.mark.parametrize(
    ("code", "toddlers", "measured", "wasted", "followups"),
    [
        ("36.01.01", 7, 6, 2, 4),
        ("36.01", 7, 6, 2, 4),
        ("36", 8, 7, 2, 4),
        ("36.71", 1, 1, 0, 0),
        (VILLAGE_B, 1, 1, 1, 1),
    ],
)
def test_the_coverage_of_each_level(february, code, toddlers, measured, wasted, followups):
    row = figures(code)
    assert (row["toddlers"], row["measured"], row["wasted"], row["followups_open"]) == (
        toddlers,
        measured,
        wasted,
        followups,
    )


def test_another_month_counts_its_own_measurements_and_follow_ups(february):
    """January: 6 toddlers of village A known (c8 not born yet), c5 weighed; no follow-up
    open at the end of January."""
    row = figures(VILLAGE_A, datetime.date(2025, 1, 1))
    assert (row["toddlers"], row["measured"], row["coverage_pct"], row["followups_open"]) == (
        7,
        1,
        Decimal("14.3"),
        0,
    )
    empty = figures(VILLAGE_A, datetime.date(2024, 1, 1))
    assert (empty["measured"], empty["coverage_pct"], empty["stunting_pct"]) == (0, Decimal("0.0"), None)


def test_a_follow_up_closed_in_the_month_is_not_open_at_its_end(february, cadre):
    from beneficiaries.services.growth import close_followup

    close_followup(actor=cadre, followup=GrowthFollowUp.objects.get(person=february["c2"]), reason="moved")
    assert figures(VILLAGE_A)["followups_open"] == 3  # closed on 20 March, after February
    assert figures(VILLAGE_A, datetime.date(2025, 3, 1))["followups_open"] == 2


def test_the_coverage_by_area_gives_one_row_per_area(february):
    rows = growth_selectors.growth_coverage_by_area(region_code="36.01.01", period=FEBRUARY)
    assert [(r.region, r.toddlers, r.measured, r.wasted) for r in rows] == [
        (VILLAGE_A, 6, 5, 1),
        (VILLAGE_B, 1, 1, 1),
    ]
    assert rows[0] == growth_selectors.growth_coverage(region_code=VILLAGE_A, period=FEBRUARY)
    province = growth_selectors.growth_coverage_by_area(region_code="36", period=FEBRUARY)
    assert [(r.region, r.toddlers) for r in province] == [("36.01", 7), ("36.71", 1)]


def test_it_refuses_an_unknown_region_and_a_bad_period():
    with pytest.raises(DomainError) as caught:
        growth_selectors.growth_coverage(region_code="99.01", period=FEBRUARY)
    assert caught.value.field == "region"
    with pytest.raises(DomainError) as caught:
        growth_selectors.parse_period("2025-13")
    assert caught.value.errors == {"period": ["Isi periode dengan format TTTT-BB, misalnya 2025-03."]}
    assert growth_selectors.parse_period("2025-02") == FEBRUARY


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_coverage_runs_four_queries_whatever_the_size(cadre, head_b, north_official):
    """Four queries for a region and for its areas of an open month (the month's marker
    and the three counts), with 9 or 39 children."""
    build_february(cadre=cadre, head_b=head_b, north_official=north_official)
    small = [
        count_queries(lambda code=code: growth_selectors.growth_coverage(region_code=code, period=FEBRUARY))
        for code in ("36", "36.01", VILLAGE_A)
    ]
    small_areas = count_queries(
        lambda: growth_selectors.growth_coverage_by_area(region_code="36.01", period=FEBRUARY)
    )
    build_february(cadre=cadre, head_b=head_b, north_official=north_official, extra_normal=30)
    large = [
        count_queries(lambda code=code: growth_selectors.growth_coverage(region_code=code, period=FEBRUARY))
        for code in ("36", "36.01", VILLAGE_A)
    ]
    large_areas = count_queries(
        lambda: growth_selectors.growth_coverage_by_area(region_code="36.01", period=FEBRUARY)
    )
    assert small == large == [4, 4, 4]
    assert small_areas == large_areas == 4
    assert figures(VILLAGE_A)["measured"] == 5 + 5 + 30


def test_open_follow_ups_and_households_to_enrol(february, head_a, head_b, cadre):
    """The attention lists of village A: its three children in follow-up, and their
    household (stunted and wasted children, no open case) until a case is opened."""
    assert {f.person.full_name for f in growth_selectors.open_followups_for(head_a)} == {
        february[k].full_name for k in ("c2", "c3", "c6")
    }
    assert not growth_selectors.open_followups_for(head_b).filter(village_id=VILLAGE_A).exists()
    households = list(growth_selectors.attention_households(head_a))
    assert households == [february["c2"].household]
    assert households[0].head_name
    open_case(actor=head_a, household=february["c2"].household)
    assert not growth_selectors.attention_households(head_a).exists()
    assert [h.village_id for h in growth_selectors.attention_households(head_b)] == [VILLAGE_B]


def test_the_toddlers_of_a_village_on_a_day(february):
    names = {p.full_name for p in growth_selectors.toddlers_of(VILLAGE_A, datetime.date(2025, 2, 28))}
    assert names == {february[f"c{i}"].full_name for i in range(1, 7)}
