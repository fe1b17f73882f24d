"""The monthly report's growth section ("Pemantauan pertumbuhan balita"): figures by
district from the coverage selector, against a hand-counted June 2024, and the same
figures in the email (text and HTML), the XLSX and the PDF."""

import datetime
import io

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from beneficiaries.services import growth
from reports.renderers import render_pdf, render_report, render_xlsx, report_context
from reports.selectors import report_figures
from tests.factories import HouseholdFactory, PersonFactory, ToddlerFactory

from .conftest import PERIOD

BIRTH = datetime.date(2022, 1, 10)  # 27-29 months in April-June 2024
APRIL, MAY, JUNE = datetime.date(2024, 4, 12), datetime.date(2024, 5, 12), datetime.date(2024, 6, 12)
NORMAL, STUNTED, WASTED, SEVERE, IMPLAUSIBLE = ("12.8", "90.0"), ("11.0", "80.0"), ("10.5", "88.0"), ("9.0", "88.0"), ("12.8", "120.0")  # fmt: skip
SUMUR_A, SUMUR_B, CIMANGGU, LEBAK = "36.01.01.2001", "36.01.01.2002", "36.01.02.2001", "36.02.01.2002"

pytestmark = [pytest.mark.django_db]


def toddler(village: str):
    household = HouseholdFactory(village_id=village)
    PersonFactory(household=household, sex="P")
    return ToddlerFactory(household=household, birth_date=BIRTH, sex="L")


@pytest.fixture
def june(province):
    """Kec. Sumur: n1 normal (May, June), s1 stunted (May, June: follow-up opened in May),
    w1 severely wasted and underweight (June: opened), u1 never measured, f1 implausible
    (June), r1 wasted in April then normal in May and June (closed as recovered in June).
    Kec. Cimanggu: n2 normal in June. Lebak: a stunted child, not Pandeglang's."""

    def measure(child, on, values):
        weight, height = values
        growth.record_measurement(
            actor=province,
            person=child,
            measured_on=on,
            weight_kg=weight,
            height_cm=height,
            position="standing",
        )

    n1, s1, w1, f1, r1 = (toddler(v) for v in (SUMUR_A, SUMUR_A, SUMUR_A, SUMUR_B, SUMUR_B))
    toddler(SUMUR_A)  # u1
    for on in (MAY, JUNE):
        measure(n1, on, NORMAL)
        measure(s1, on, STUNTED)
    measure(w1, JUNE, SEVERE)
    measure(f1, JUNE, IMPLAUSIBLE)
    measure(r1, APRIL, WASTED)
    measure(r1, MAY, NORMAL)
    measure(r1, JUNE, NORMAL)
    measure(toddler(CIMANGGU), JUNE, NORMAL)
    measure(toddler(LEBAK), JUNE, STUNTED)
    return report_figures(region_code="36.01", period=PERIOD)


def now_and_before(figures, key):
    return figures[key].current, figures[key].previous


def test_it_counts_the_regencys_toddlers_measured_stunted_and_wasted(june):
    """June against May, hand-counted: the flagged child is measured but not assessed."""
    f = june.figures
    assert now_and_before(f, "growth_toddlers") == (7, 7)
    assert now_and_before(f, "growth_measured") == (6, 3)
    assert now_and_before(f, "growth_assessed") == (5, 3)
    assert now_and_before(f, "growth_implausible") == (1, 0)
    assert now_and_before(f, "growth_stunted") == (1, 1)
    assert now_and_before(f, "growth_severely_stunted") == (1, 1)  # HAZ -3.16 in May, -3.34 in June
    assert now_and_before(f, "growth_wasted") == (1, 0)
    assert now_and_before(f, "growth_severely_wasted") == (1, 0)
    assert now_and_before(f, "growth_underweight") == (1, 0)
    assert now_and_before(f, "growth_followups_open") == (2, 2)
    assert (f["growth_followups_opened"].current, f["growth_followups_opened"].previous) == (1, 1)
    assert (f["growth_followups_closed"].current, f["growth_followups_closed"].cumulative) == (1, 1)


def test_it_derives_coverage_and_prevalence_of_each_area_from_its_counts(june):
    """Percentages of the added-up counts, one decimal, for the total and each district."""
    total, previous = june.total.growth, june.total.growth_previous
    assert (str(total.coverage_pct), str(total.stunting_pct), str(total.wasting_pct)) == (
        "85.7",
        "20.0",
        "20.0",
    )
    assert (str(previous.coverage_pct), str(previous.stunting_pct), str(previous.wasting_pct)) == (
        "42.9",
        "33.3",
        "0.0",
    )
    sumur, cimanggu = (a for a in june.areas if a.code in ("36.01.01", "36.01.02"))
    assert (sumur.figures["growth_measured"].current, sumur.figures["growth_toddlers"].current) == (5, 6)
    assert (str(sumur.growth.coverage_pct), str(sumur.growth.stunting_pct)) == ("83.3", "25.0")
    assert (str(cimanggu.growth.coverage_pct), str(cimanggu.growth.stunting_pct)) == ("100.0", "0.0")
    assert all(a.growth.coverage_pct is None for a in june.areas if not a.figures["growth_toddlers"].current)


def test_the_province_adds_lebak_and_pandeglang(june):
    province = report_figures(region_code="36", period=PERIOD)
    assert province.figures["growth_stunted"].current == 2
    assert province.figures["growth_toddlers"].current == 8


def test_the_growth_section_costs_a_fixed_number_of_queries(june, province):
    """Six growth queries (two months open, their follow-ups in one pass, and the flows), the
    same with twice the children."""

    def count():
        with CaptureQueriesContext(connection) as ctx:
            report_figures(region_code="36.01", period=PERIOD)
        return len(ctx.captured_queries)

    before = count()
    for _ in range(3):
        growth.record_measurement(
            actor=province, person=toddler(CIMANGGU), measured_on=JUNE, weight_kg="11.0", height_cm="80.0",
            position="standing",
        )  # fmt: skip
    assert count() == before


def test_the_email_carries_the_section_in_text_and_html(june):
    bundle = render_report(june)
    assert "PEMANTAUAN PERTUMBUHAN BALITA" in bundle.text
    assert "- Balita diukur: 6 (+3)" in bundle.text
    assert "- Stunting: 1 (0)" in bundle.text
    assert "- Prevalensi stunting: 20,0 % (−13,3 poin)" in bundle.text
    assert "- Cakupan penimbangan: 85,7 % (+42,8 poin)" in bundle.text
    assert "- Pendampingan selesai: 1 (+1); kumulatif 1" in bundle.text
    assert "Sumur: 5/6 | 83,3 % | 1 (25,0 %) | 1 (25,0 %) | 1/1" in bundle.text
    assert "Pemantauan pertumbuhan balita" in bundle.html
    assert "Prevalensi stunting</span>" in bundle.html and "20,0 %" in bundle.html


def test_the_xlsx_lists_the_growth_counts_and_rates(june):
    wb = load_workbook(io.BytesIO(render_xlsx(june)))
    summary = {row[1]: row[3:6] for row in wb["Ringkasan"].iter_rows(min_row=6, values_only=True)}
    assert summary["growth_stunted"] == (1, 1, 0)
    assert summary["growth_stunting_pct"] == (20.0, pytest.approx(33.3), pytest.approx(-13.3))
    ws = wb["Kecamatan"]
    keys = [c.value for c in ws[5]]
    sumur = next(r for r in ws.iter_rows(min_row=6, values_only=True) if r[0] == "36.01.01")
    assert sumur[keys.index("growth_measured")] == 5
    assert sumur[keys.index("growth_coverage_pct")] == pytest.approx(83.3)


def test_the_pdf_has_the_growth_table(june):
    context = report_context(june, chart_src="data:,")
    html = render_to_string("reports/report_pdf.html", context)
    assert "Pemantauan pertumbuhan balita per kecamatan" in html
    assert "<td>5/6</td><td>83,3 %</td><td>1</td><td>25,0 %</td>" in html
    assert "Prevalensi stunting (%)" in html  # in the section's rows
    assert render_pdf(june, chart_png=b"\x89PNG\r\n\x1a\n").startswith(b"%PDF")
