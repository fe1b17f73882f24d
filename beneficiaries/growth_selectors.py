"""Reads of posyandu growth monitoring, for pages, admin, API and the monthly report.

Rows are reached through `visible_to(user)`; the coverage figures come from one selector
(`growth_coverage`, and `growth_coverage_by_area` for the areas of a region) with a fixed
number of queries, aggregated in the database on the region codes the rows keep: the
measurement counts from the growth village-months (`GrowthMonth`, kept by
`beneficiaries.growth_tally`), about 1,550 rows for the province's month.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import Aggregate, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from core.errors import DomainError
from regions.models import Level, User, level_of

from . import growth_tally
from .models import Case, CaseStatus, Household, Person
from .models.growth import (
    GROWTH_MONTH_COUNTS,
    FollowUpReason,
    FollowUpStatus,
    GrowthFollowUp,
    GrowthMonth,
    GrowthMonthClose,
    Intervention,
    Measurement,
)
from .selectors import head_name_subquery

TODDLER_YEARS = growth_tally.TODDLER_YEARS

# ---------------------------------------------------------------- rows


def measurements_for(user: User) -> QuerySet[Measurement]:
    return Measurement.objects.visible_to(user).select_related("person", "posyandu", "recorded_by")


def followups_for(user: User) -> QuerySet[GrowthFollowUp]:
    """Follow-ups in the user's region, each with its child, household and opening
    measurement, and its interventions prefetched (two queries for a page)."""
    interventions = Intervention.objects.select_related("partner").order_by("given_on", "id")
    return (
        GrowthFollowUp.objects.visible_to(user)
        .select_related("person__household", "opening_measurement")
        .prefetch_related(Prefetch("interventions", queryset=interventions))
    )


def open_followups_for(user: User) -> QuerySet[GrowthFollowUp]:
    """The children in follow-up now, the longest followed first: the attention list."""
    return followups_for(user).filter(status=FollowUpStatus.OPEN).order_by("opened_on", "id")


def attention_households(user: User) -> QuerySet[Household]:
    """Households with a stunted or wasted child in follow-up and no open case: the village
    head's list of households to enrol. Each with the head's name (`head_name`)."""
    undernourished = GrowthFollowUp.objects.filter(
        person__household=OuterRef("pk"), person__left_on__isnull=True, status=FollowUpStatus.OPEN
    ).filter(Q(reasons__contains=FollowUpReason.STUNTED) | Q(reasons__contains=FollowUpReason.WASTED))
    open_case = Case.objects.filter(household=OuterRef("pk"), status=CaseStatus.ACTIVE)
    return (
        Household.objects.visible_to(user)
        .filter(Exists(undernourished))
        .exclude(Exists(open_case))
        .annotate(head_name=head_name_subquery("pk"))
        .select_related("village")
        .order_by("created_at", "id")
    )


def toddlers_of(village_code: str, on: datetime.date) -> QuerySet[Person]:
    """The village's children under 60 months on `on`, not left, youngest last: the
    cadre's session list (the caller checks the village is the user's)."""
    return (
        Person.objects.filter(household__village_id=village_code, left_on__isnull=True)
        .filter(birth_date__lte=on, birth_date__gt=_years_before(on, TODDLER_YEARS))
        .order_by("birth_date", "id")
    )


@dataclass(frozen=True)
class SessionToddlers:
    """The session's counts (`toddlers`, of them `known`: measured before, and `measured`
    this month) and the children of one page of each list, known first (`person.known`)."""

    toddlers: int
    known: int
    measured: int
    people: list[Person]


def session_toddlers(
    village_code: str,
    day: datetime.date,
    *,
    known_page: int,
    new_page: int,
    per_page: int,
    new_per_page: int | None = None,
) -> SessionToddlers:
    """The counts, one page of the session's toddlers measured before (`known`) and one of
    those never measured yet (new, from the household's members; `new_per_page` a page,
    `per_page` unless given): two queries, the same for a village of one toddler or 2,000.

    The first numbers each child within its list (a window function) and counts the lists
    over the same rows, from the index alone (ids and birth dates, each child's measurement
    probed once); it returns the pages' ids and each list's first child, which carries the
    counts when the page asked for is past the end. The second reads the pages' children
    whole. It reads the village's children under five through the household index: the
    province's birth_date index is never walked looking for this village's few."""
    new_per_page = per_page if new_per_page is None else new_per_page
    ever = Measurement.objects.filter(person=OuterRef("pk"), measured_on__lte=day)
    known = Exists(ever)
    this_month = Exists(ever.filter(measured_on__gte=day.replace(day=1)))
    known_from, new_from = (known_page - 1) * per_page, (new_page - 1) * new_per_page
    numbered = list(
        toddlers_of(village_code, day)
        .annotate(
            known=known,
            place=Window(RowNumber(), partition_by=[known], order_by=[F("birth_date").asc(), F("id").asc()]),
            in_list=Window(Count("id"), partition_by=[known]),
            toddlers=Window(Count("id")),
            measured=Window(Count(models.Case(models.When(this_month, then=1)))),
        )
        .filter(
            Q(place=1)
            | Q(known=True, place__gt=known_from, place__lte=known_from + per_page)
            | Q(known=False, place__gt=new_from, place__lte=new_from + new_per_page)
        )
        .values("pk", "known", "place", "in_list", "toddlers", "measured")
    )
    shown = sorted(
        (r for r in numbered if (known_from if r["known"] else new_from) < r["place"]
         <= (known_from + per_page if r["known"] else new_from + new_per_page)),
        key=lambda r: (not r["known"], r["place"]),
    )  # fmt: skip
    by_pk = Person.objects.select_related("household").order_by().in_bulk([r["pk"] for r in shown])
    people = []
    for r in shown:
        person = by_pk[r["pk"]]
        person.known = r["known"]  # type: ignore[attr-defined]
        people.append(person)
    return SessionToddlers(
        toddlers=numbered[0]["toddlers"] if numbered else 0,
        known=next((r["in_list"] for r in numbered if r["known"]), 0),
        measured=numbered[0]["measured"] if numbered else 0,
        people=people,
    )


def session_measurements(person_ids: list[int], since: datetime.date, until: datetime.date) -> QuerySet[Measurement]:
    """The measurements of these children (a page of the session) between two days,
    oldest first: one query."""
    return Measurement.objects.filter(
        person__in=person_ids, measured_on__gte=since, measured_on__lte=until
    ).order_by("measured_on", "id")


def measurement_on(child: Person, day: datetime.date) -> Measurement | None:
    """The child's measurement of that day (a second save that day corrects it)."""
    return Measurement.objects.filter(person=child, measured_on=day).first()


def chart_points(user: User, child: Person) -> list[tuple]:
    """The child's measurements as the growth chart draws them, oldest first."""
    return list(
        Measurement.objects.visible_to(user)
        .filter(person=child)
        .order_by("measured_on")
        .values_list("measured_on", "weight_kg", "height_cm", "position", "age_months", "flagged")
    )


_years_before = growth_tally.years_before


# ---------------------------------------------------------------- coverage


@dataclass(frozen=True)
class GrowthCoverage:
    """One month of one region. Children count once a month (their last measurement of
    the month); prevalence leaves out flagged (implausible) measurements: `stunting_pct`
    is of `assessed`, `wasting_pct` of `whz_assessed` (WHZ not computed outside the table).
    `stunted` includes `severely_stunted`, `wasted` `severely_wasted`, `underweight` the
    severely underweight."""

    region: str
    period: str  # YYYY-MM
    toddlers: int
    measured: int
    coverage_pct: Decimal | None
    assessed: int
    whz_assessed: int
    flagged: int
    stunted: int
    severely_stunted: int
    wasted: int
    severely_wasted: int
    underweight: int
    stunting_pct: Decimal | None
    wasting_pct: Decimal | None
    followups_open: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_period(value: str, *, field: str = "period") -> datetime.date:
    """'YYYY-MM' as the first day of that month; refused with the field named."""
    try:
        day = datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        raise DomainError(_("Isi periode dengan format TTTT-BB, misalnya 2025-03."), field=field) from None
    if len(value) != 7:
        raise DomainError(_("Isi periode dengan format TTTT-BB, misalnya 2025-03."), field=field)
    return day


def growth_coverage(*, region_code: str, period: datetime.date) -> GrowthCoverage:
    """Toddlers known, measured, coverage, stunted/wasted/underweight and prevalence, and
    follow-ups open at the month's end, of a region (any level) in the month of `period`.
    A closed month's toddlers are the toddlers known when it closed: later measurements
    still count in its `measured`, later registrations do not change its `toddlers`.
    Three or four queries whatever the size (four while the month is open)."""
    (rows,) = _coverage(region_code, [period], group=None)
    return rows.get("", _empty(region_code, period))


def growth_coverage_by_area(*, region_code: str, period: datetime.date) -> list[GrowthCoverage]:
    """The same figures for each area one level below the region (the regencies of the
    province, the districts of a regency, the villages of a district), by code; areas
    without any toddler left out. A closed month's toddlers as `growth_coverage`. Three or
    four queries whatever the size."""
    level = _level(region_code)
    below = {Level.PROVINCE: "regency", Level.REGENCY: "district", Level.DISTRICT: "village"}.get(level)
    if below is None:
        raise DomainError(_("Desa/kelurahan tidak dibagi lagi."), field="region")
    (rows,) = _coverage(region_code, [period], group=below)
    return [figures for _code, figures in sorted(rows.items())]


def growth_coverage_by_village(
    *, region_code: str, periods: list[datetime.date], using: str | None = None
) -> list[dict[str, GrowthCoverage]]:
    """The same figures for every village of a region (any level) with a toddler, by code,
    for each month of `periods` (the monthly report asks for its month and the month
    before), read from the database `using` (the report reads its replica). A closed month's
    toddlers as `growth_coverage`. Two or three queries a month, and one for the follow-ups
    of all of them."""
    return _coverage(region_code, periods, group="village", using=using)


def coverage_of_counts(*, region_code: str, period: datetime.date, counts: dict[str, int]) -> GrowthCoverage:
    """Coverage and prevalence of counts added up elsewhere (the report adds villages up
    to districts): the same percentages as `growth_coverage`. Keys as GrowthCoverage's
    count fields; `flagged` as `implausible`."""
    return _figures(region_code, period.replace(day=1), counts)


def _level(region_code: str) -> Level:
    level = level_of(region_code or "")
    if level is None:
        raise DomainError(_("Kode wilayah tidak dikenal."), field="region")
    return level


_month_bounds = growth_tally.month_bounds


def open_at(end: datetime.date) -> Q:
    """The follow-ups open at the end of the day `end`: opened by then, not closed by then."""
    return Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))


def _coverage(
    region_code: str, periods: list[datetime.date], *, group: str | None, using: str | None = None
) -> list[dict[str, GrowthCoverage]]:
    """Each month of `periods`, by area of `group` (or the region whole, keyed ""). A closed
    month (`GrowthMonthClose`, one query) reads its toddlers known from the village-months
    with the measured counts, in one query: the toddlers known when it closed
    (`growth_tally.close_months`); later measurements still count in its `measured`, later
    registrations and moves do not change its `toddlers`. An open month counts the persons
    (`growth_tally.toddlers_known`). The follow-ups open at each month's end are counted in
    one pass over the follow-ups for all the months. Three queries for one closed month,
    four for an open one; two or three more a month."""
    _level(region_code)
    by = f"{group}_id" if group else None
    bounds = [_month_bounds(period) for period in periods]
    sums: dict[str, Aggregate] = {column: Sum(column) for column in GROWTH_MONTH_COUNTS}
    closed = set(
        GrowthMonthClose.objects.db_manager(using).filter(month__in=[start for start, _end in bounds])
        .values_list("month", flat=True)
    )  # fmt: skip
    counted = []
    for start, _end in bounds:
        months = GrowthMonth.objects.db_manager(using).in_region(region_code).filter(month=start)
        if start in closed:
            toddlers: dict[str, dict[str, int]] = {}
            measured = _grouped(
                months.filter(Q(measured__gt=0) | Q(toddlers__gt=0)),
                by,
                {"toddlers": Sum("toddlers"), **sums},
            )
        else:
            toddlers = _grouped(
                growth_tally.toddlers_known(Person.objects.db_manager(using).in_region(region_code), start),
                f"household__{group}_id" if group else None,
                {"toddlers": Count("id")},
            )
            measured = _grouped(months.filter(measured__gt=0), by, sums)
        counted.append((toddlers, measured))
    ends = [end for _start, end in bounds]
    followups = _grouped(
        GrowthFollowUp.objects.db_manager(using)
        .in_region(region_code)
        .filter(opened_on__lte=max(ends))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=min(ends))),
        by,
        {f"open_{i}": Count("id", filter=open_at(end)) for i, end in enumerate(ends)},
    )
    out = []
    for i, ((start, _end), (toddlers, measured)) in enumerate(zip(bounds, counted, strict=True)):
        open_now = {
            code: {"followups_open": row[f"open_{i}"]} for code, row in followups.items() if row[f"open_{i}"]
        }
        codes = set(toddlers) | set(measured) | set(open_now)  # {""} for the region whole
        out.append({
            code: _figures(
                code or region_code,
                start,
                {**toddlers.get(code, {}), **measured.get(code, {}), **open_now.get(code, {})},
            )
            for code in codes
        })  # fmt: skip
    return out


def _grouped(rows: QuerySet, by: str | None, counts: dict[str, Aggregate]) -> dict[str, dict[str, int]]:
    if by is None:
        return {"": rows.aggregate(**counts)}
    return {row.pop(by): row for row in rows.values(by).annotate(**counts).order_by()}


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _figures(region: str, start: datetime.date, counts: dict[str, int]) -> GrowthCoverage:
    def n(key: str) -> int:
        return counts.get(key) or 0

    return GrowthCoverage(
        region=region,
        period=f"{start:%Y-%m}",
        toddlers=n("toddlers"),
        measured=n("measured"),
        coverage_pct=_pct(n("measured"), n("toddlers")),
        assessed=n("assessed"),
        whz_assessed=n("whz_assessed"),
        flagged=n("implausible"),
        stunted=n("stunted"),
        severely_stunted=n("severely_stunted"),
        wasted=n("wasted"),
        severely_wasted=n("severely_wasted"),
        underweight=n("underweight"),
        stunting_pct=_pct(n("stunted"), n("assessed")),
        wasting_pct=_pct(n("wasted"), n("whz_assessed")),
        followups_open=n("followups_open"),
    )


def _empty(region_code: str, period: datetime.date) -> GrowthCoverage:
    return _figures(region_code, period.replace(day=1), {})
