"""The figures selector against the truth computed from the rows, and its query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.metrics import METRICS
from reports.selectors import add_months, previous_period, regency_label, report_figures

from .conftest import PERIOD, build_world
from .truth import truth


def as_tuples(figures: dict) -> dict:
    return {k: (v.current, v.previous, v.cumulative or 0) for k, v in figures.items()}


def expected(rows: dict) -> dict:
    return {
        k: tuple(rows.get(k, (0, 0, 0))) if not METRICS[k].stock else (*rows.get(k, (0, 0))[:2], 0)
        for k in METRICS
    }


@pytest.mark.parametrize("period", [PERIOD, datetime.date(2024, 5, 1), datetime.date(2024, 7, 1)])
def test_it_computes_the_regency_figures_the_rows_say(world, period):
    """Every figure of Pandeglang, in total, per district and per village, matches the truth."""
    figures = report_figures(region_code="36.01", period=period)
    assert figures.region_name == "Kabupaten Pandeglang"
    assert as_tuples(figures.figures) == expected(truth(world, "36.01", period)["all"])
    by_district = truth(world, "36.01", period, area_of=lambda v: v[:8])
    assert [a.code for a in figures.areas][:2] == ["36.01.01", "36.01.02"]
    for area in figures.areas:
        assert as_tuples(area.figures) == expected(by_district.get(area.code, {})), area.code
    by_village = truth(world, "36.01", period, area_of=lambda v: v)
    for area in figures.villages:
        assert as_tuples(area.figures) == expected(by_village.get(area.code, {})), area.code


def test_it_puts_the_eight_regencies_side_by_side_for_the_province(world):
    """The province report adds every regency, and lists all eight of them."""
    figures = report_figures(region_code="36", period=PERIOD)
    assert figures.region_name == "Provinsi Banten"
    assert len(figures.areas) == 8
    assert as_tuples(figures.figures) == expected(truth(world, "36", PERIOD)["all"])
    by_regency = truth(world, "36", PERIOD, area_of=lambda v: v[:5])
    for area in figures.areas:
        assert as_tuples(area.figures) == expected(by_regency.get(area.code, {})), area.code


def test_it_leaves_out_rows_of_other_regencies(world):
    """Lebak's rows are not in Pandeglang's report, and the reverse."""
    lebak = report_figures(region_code="36.02", period=PERIOD)
    pandeglang = report_figures(region_code="36.01", period=PERIOD)
    province = report_figures(region_code="36", period=PERIOD)
    for key in ("aid_total_amount", "stage_1", "move_entry", "activities_total"):
        assert lebak.figures[key].current + pandeglang.figures[key].current == province.figures[key].current
    assert all(v.code.startswith("36.02.") for v in lebak.villages)


def test_it_counts_a_move_by_its_jakarta_day(world):
    """A move at 30 June 23:30 WIB is June's; one at 1 July 00:30 WIB is July's."""
    june = truth(world, "36", PERIOD)["all"]
    moved_in_june = sum(
        june[k][0] for k in ("move_entry", "move_advance", "move_fallback", "move_graduate", "move_exit")
    )
    figures = report_figures(region_code="36", period=PERIOD).figures
    assert moved_in_june == sum(figures[k].current for k in METRICS if k.startswith("move_"))


def test_it_uses_the_same_number_of_queries_whatever_the_data_size(db):
    """Thirteen queries for an empty province and for one with three times the rows, and
    seven for the growth section (coverage of the month and the month before, follow-ups),
    and at most seventeen for the women's economic empowerment section."""
    counts = []
    for seed in (None, 1, 2, 3):
        if seed:
            build_world(seed=seed, cases_per_village=4)
        with CaptureQueriesContext(connection) as ctx:
            report_figures(region_code="36.01", period=PERIOD)
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1
    assert counts[0] <= 13 + 7 + 17


def test_it_knows_which_month_a_report_covers():
    """Sent on the 1st of July, the report covers June; January covers December."""
    assert previous_period(datetime.date(2024, 7, 1)) == datetime.date(2024, 6, 1)
    assert previous_period(datetime.date(2025, 1, 15)) == datetime.date(2024, 12, 1)
    assert add_months(datetime.date(2024, 12, 1), 1) == datetime.date(2025, 1, 1)
    assert regency_label("KAB. LEBAK") == "Kabupaten Lebak"
    assert regency_label("KOTA TANGERANG SELATAN") == "Kota Tangerang Selatan"
