"""The report's section "Pemberdayaan ekonomi perempuan": the women's programme funnel at
the month's end and at the end of the month before, per area side by side; household
businesses running at their latest visit before the month's end and their median revenue;
the graduations of the month with the household's monthly income; and per regency the
businesses and enterprises by sector against the zone's focus.

A fixed number of queries (17), all database aggregates on rows filtered by the region
codes they keep, read from the reports database.
"""

import datetime
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db.models import Count, Model, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from beneficiaries.business_selectors import (
    FunnelRow,
    SectorFocusRow,
    sector_focus,
    women_funnel,
    women_funnel_total,
)
from beneficiaries.models import (
    Business,
    BusinessFollowUp,
    BusinessStatus,
    Group,
    MoveState,
    StageTransition,
    WomenEnrolment,
)
from core.aggregates import median_by
from regions.models import PROVINCE_CODE, Regency
from regions.selectors import ScopedQuerySet

FUNNEL_KEYS = [
    ("enrolled", "Perempuan terdaftar"),
    ("trained", "Terlatih (tata boga/kewirausahaan)"),
    ("started", "Memulai usaha"),
    ("capital", "Menerima modal (dicairkan)"),
    ("running_6m", "Usaha berjalan pada 6 bulan"),
]


def _read(model: type[Model], region_code: str) -> ScopedQuerySet:
    rows = cast(ScopedQuerySet, model._default_manager.using(settings.REPORTS_DATABASE))
    return cast(ScopedQuerySet, rows.in_region(region_code))


@dataclass
class HouseholdBusinesses:
    total: int = 0
    running: int = 0
    median_revenue: int | None = None


@dataclass
class Graduations:
    count: int = 0
    previous: int = 0
    median_income: int | None = None
    total_income: int = 0


@dataclass
class WomenEconomy:
    funnel: FunnelRow
    funnel_previous: FunnelRow
    areas: list[FunnelRow]
    businesses: HouseholdBusinesses
    graduations: Graduations
    sectors: list[SectorFocusRow] = field(default_factory=list)


def women_economy(
    *, region_code: str, start: datetime.date, end: datetime.date, prev_start: datetime.date
) -> WomenEconomy:
    """The section for the month [start, end) of `region_code` ("36" or a regency)."""
    last_day, previous_last_day = end - datetime.timedelta(days=1), start - datetime.timedelta(days=1)
    enrolments = _read(WomenEnrolment, region_code)
    level = "regency" if region_code == PROVINCE_CODE else "district"
    return WomenEconomy(
        funnel=women_funnel_total(enrolments, as_of=last_day),
        funnel_previous=women_funnel_total(enrolments, as_of=previous_last_day),
        areas=women_funnel(enrolments, level=level, as_of=last_day),
        businesses=household_businesses(region_code, end),
        graduations=graduations(region_code, start, end, prev_start),
        sectors=sector_focus(
            _read(Business, region_code).filter(started_on__lt=end),
            _read(Group, region_code).filter(formed_on__lt=end),
            regencies=Regency.objects.using(settings.REPORTS_DATABASE).filter(
                code__startswith="" if region_code == PROVINCE_CODE else region_code
            ),
        ),
    )


def household_businesses(region_code: str, end: datetime.date) -> HouseholdBusinesses:
    """Businesses started before the month's end, those running at their latest visit
    before it, and the median monthly revenue of those. Two queries."""
    latest = BusinessFollowUp.objects.filter(business=OuterRef("pk"), visited_on__lt=end).order_by(
        "-visited_on", "-id"
    )
    rows = (
        _read(Business, region_code)
        .filter(started_on__lt=end)
        .annotate(
            seen=Subquery(latest.values("status")[:1]),
            revenue=Subquery(latest.values("monthly_revenue")[:1]),
        )
    )
    counts = rows.aggregate(total=Count("id"), running=Count("id", filter=Q(seen=BusinessStatus.RUNNING)))
    median = median_by(rows.filter(seen=BusinessStatus.RUNNING), "revenue")
    return HouseholdBusinesses(counts["total"], counts["running"], median.get(None))


def graduations(
    region_code: str, start: datetime.date, end: datetime.date, prev_start: datetime.date
) -> Graduations:
    """Graduations applied in the month (and the month before), with the household's
    monthly income recorded at graduation. Two queries."""

    def at(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    # The two months in the WHERE clause, not only in the filters: the partial index of
    # graduations (move_graduated_idx) then reads those months, not every graduation.
    moves = _read(StageTransition, region_code).filter(
        kind=StageTransition.Kind.GRADUATE,
        state=MoveState.APPLIED,
        decided_at__gte=at(prev_start),
        decided_at__lt=at(end),
    )
    month = Q(decided_at__gte=at(start), decided_at__lt=at(end))
    counts = moves.aggregate(
        count=Count("id", filter=month),
        previous=Count("id", filter=Q(decided_at__gte=at(prev_start), decided_at__lt=at(start))),
        income=Sum("monthly_income", filter=month),
    )
    median = median_by(moves.filter(month), "monthly_income")
    return Graduations(counts["count"], counts["previous"], median.get(None), counts["income"] or 0)
