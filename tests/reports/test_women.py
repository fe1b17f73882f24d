"""The report's "Pemberdayaan ekonomi perempuan": the funnel with its change against last
month, household businesses, graduations with income, sectors against the zone's focus;
rendered in the email (text and HTML), the XLSX and the PDF from the same figures."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from beneficiaries.models import MoveState, StageTransition
from beneficiaries.services.business import create_business, enrol_woman, record_followup
from reports.renderers import render_xlsx
from reports.renderers.context import report_context
from reports.selectors import report_figures
from tests.factories import (
    VILLAGE_A,
    VILLAGE_NORTH,
    CaseFactory,
    HouseholdFactory,
    PersonFactory,
    WomanFactory,
)

PERIOD = datetime.date(2025, 7, 1)


def woman(village=VILLAGE_A, **extra):
    household = HouseholdFactory(village_id=village)
    if extra.get("relation") != "head":
        PersonFactory(household=household)
    return WomanFactory(household=household, **extra)


@pytest.fixture
def programme(db, province):
    """Two women of Pandeglang enrolled in June, one in July; one business of July with a
    6-month visit... not yet: its 3-month visit ran at Rp 900.000; one graduation in July."""
    with time_machine.travel("2025-08-05 03:00Z", tick=False):
        first = woman(relation="head", is_female_head=True)
        enrol_woman(actor=province, person=first, enrolled_on=datetime.date(2025, 6, 10))
        enrol_woman(actor=province, person=woman(), enrolled_on=datetime.date(2025, 6, 30))
        enrol_woman(actor=province, person=woman(), enrolled_on=datetime.date(2025, 7, 31))
        enrol_woman(actor=province, person=woman(VILLAGE_NORTH), enrolled_on=datetime.date(2025, 7, 1))
        business = create_business(
            actor=province, owner_person=first, name="Kue", sector="culinary",
            started_on=datetime.date(2025, 3, 31), sells_at_market=True,
        )  # fmt: skip
        record_followup(
            actor=province, business=business, kind="m3", visited_on=datetime.date(2025, 6, 30),
            status="running", monthly_revenue=900_000,
        )  # fmt: skip
        case = CaseFactory(household=first.household, village_id=VILLAGE_A, status="graduated",
                           closed_on=datetime.date(2025, 7, 31), opened_on=datetime.date(2024, 1, 1))  # fmt: skip
        StageTransition.objects.create(
            case=case, village_id=VILLAGE_A, kind="graduate", from_position="3", to="graduated",
            state=MoveState.APPLIED, proposed_at=timezone.now(), monthly_income=2_750_000,
            decided_at=timezone.make_aware(datetime.datetime(2025, 7, 31, 23, 30)),
        )  # fmt: skip


def test_the_section_counts_the_month_and_the_month_before(programme):
    """Pandeglang: 3 enrolled at the end of July against 2 at the end of June; one business
    running; one graduation at 23.30 on 31 July (Jakarta) with its income."""
    women = report_figures(region_code="36.01", period=PERIOD).women
    assert (women.funnel.get("enrolled"), women.funnel_previous.get("enrolled")) == (3, 2)
    assert (women.funnel.get("fh_enrolled"), women.funnel.get("started")) == (1, 1)
    assert (women.businesses.total, women.businesses.running, women.businesses.median_revenue) == (
        1,
        1,
        900_000,
    )
    assert (women.graduations.count, women.graduations.median_income) == (1, 2_750_000)
    assert [a.code for a in women.areas] == ["36.01.01"]
    assert [(s.regency, s.in_focus, s.total) for s in women.sectors] == [("36.01", 1, 1)]


def test_the_province_section_has_every_regency_side_by_side(programme):
    """The governor's report lists regencies; the north's enrolment counts there only."""
    women = report_figures(region_code="36", period=PERIOD).women
    assert {a.code: a.get("enrolled") for a in women.areas} == {"36.01": 3, "36.71": 1}
    assert len(women.sectors) == 8


def test_the_query_count_does_not_grow_with_the_data(programme, province):
    """More women and businesses: the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        report_figures(region_code="36.01", period=PERIOD)
    with time_machine.travel("2025-08-05 03:00Z", tick=False):
        for _ in range(4):
            enrol_woman(actor=province, person=woman(), enrolled_on=datetime.date(2025, 7, 2))
    with CaptureQueriesContext(connection) as after:
        report_figures(region_code="36.01", period=PERIOD)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_email_text_html_xlsx_and_pdf_carry_the_section(programme, settings):
    """The same figures in each rendering: Rp 900.000, the funnel's change, the income."""
    figures = report_figures(region_code="36.01", period=PERIOD)
    context = report_context(figures, chart_src="")
    from django.template.loader import render_to_string

    text = render_to_string("emails/report-body-text.txt", context)
    html = render_to_string("emails/report-body-html.html", context)
    pdf_html = render_to_string("reports/report_pdf.html", context)
    for body in (text, html, pdf_html):
        assert "median omzet Rp 900.000" in body
        assert "median pendapatan Rp 2.750.000" in body
    assert "PEMBERDAYAAN EKONOMI PEREMPUAN" in text and "Perempuan terdaftar: 3 (+1)" in text
    assert "Pemberdayaan ekonomi perempuan" in html and "Pemberdayaan ekonomi perempuan" in pdf_html
    ws = load_workbook(io.BytesIO(render_xlsx(figures)))["Perempuan"]
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[0]]
    assert ("Perempuan terdaftar", 3, 2, 1) in [r[:4] for r in rows]
    assert ("Rumah tangga", 1, 0, 2_750_000, 2_750_000) in [r[:5] for r in rows]
