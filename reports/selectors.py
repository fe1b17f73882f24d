"""The figures of one monthly report, computed by the database in a fixed number of queries.

Every query filters on the region codes kept on the hot tables (`regency_id`...) and groups
by village; the village rows are then added up to districts, regencies and the total in
Python, so the count of queries does not grow with the data. The sums travel as plain rows
of integers (`reports.metrics.Figures`): about 100,000 `Value` objects for a province cost
more than its queries.

The big tables (2,000,000 aid rows, 1,000,000 moves for the province) are read through
their village-month tallies (`reports.models.VillageMonth`, kept in step by
`reports.tallies` on every save): aid by kind, applied moves by kind, and the levels at a
month's end (cases per stage, proposals waiting) as running sums of their monthly net flows.
Stage levels follow the applied moves (the latest one before the cutoff per case), so a
report for an earlier month shows that month as it was, not today's stages. The smaller
tables and the distinct counts of women are read live.

Every read names its database, `settings.REPORTS_DATABASE`: the read replica when
DATABASE_REPLICA_URL is set (banten_pm/db_router.py), else the primary.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db.models import (
    Aggregate,
    BigIntegerField,
    Case,
    Count,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Cast
from django.utils import timezone

from beneficiaries.growth_selectors import GrowthCoverage, coverage_of_counts, growth_coverage_by_village
from beneficiaries.models import (
    Activity,
    CapitalAccess,
    Enterprise,
    Group,
)
from beneficiaries.models.cases import AssistanceKind
from beneficiaries.models.growth import GrowthFollowUp
from core.aggregates import plain_rows
from regions.models import PROVINCE_CODE, PROVINCE_NAME, Village
from regions.selectors import ScopedQuerySet

from .metrics import (
    GROWTH_COUNTS,
    PARTNER_GROUPS,
    SLOT,
    STAGE_KEYS,
    Figures,
    empty_row,
)
from .models import POSITION_COLUMNS, TALLY_COLUMNS, AidedHouseholdMonth, AttendedWomanMonth, VillageMonth
from .women_selectors import WomenEconomy, women_economy

# Tallied levels: the running sum of the net flows up to a month is the level at its end.
TALLIED_STOCKS = frozenset([*POSITION_COLUMNS.values(), "pending"])
EMPTY_TALLY = [0] * len(TALLY_COLUMNS)


def reports_db() -> str:
    """The database alias report figures are read from (a replica when configured)."""
    return settings.REPORTS_DATABASE


def _read(model: type[Model]) -> ScopedQuerySet:
    """The rows of a region-scoped model, read from the reports database."""
    return cast(ScopedQuerySet, model._default_manager.using(reports_db()))


@dataclass
class Area:
    code: str
    name: str
    parent_code: str = ""
    parent_name: str = ""
    figures: Figures = field(default_factory=Figures)
    # Coverage and prevalence of the month and of the month before, from the added-up
    # growth counts (set by `_growth_rates` once the areas are assembled).
    growth: GrowthCoverage | None = None
    growth_previous: GrowthCoverage | None = None


@dataclass
class ReportFigures:
    region_code: str
    region_name: str
    period: datetime.date
    previous_period: datetime.date
    total: Area
    areas: list[Area]  # side by side: districts of a regency, or the regencies of the province
    districts: list[Area]
    villages: list[Area]
    # "Pemberdayaan ekonomi perempuan" (reports/women_selectors.py), set by report_figures.
    women: WomenEconomy | None = None

    @property
    def is_province(self) -> bool:
        return self.region_code == PROVINCE_CODE

    @property
    def figures(self) -> Figures:
        return self.total.figures


@dataclass(frozen=True)
class Window:
    """The month reported, the month before it, and their bounds as dates and datetimes."""

    start: datetime.date
    end: datetime.date  # first day of the next month
    prev_start: datetime.date

    @classmethod
    def of(cls, period: datetime.date) -> "Window":
        start = period.replace(day=1)
        return cls(start=start, end=add_months(start, 1), prev_start=add_months(start, -1))

    def at(self, day: datetime.date) -> datetime.datetime:
        """Local midnight (Asia/Jakarta) opening `day`."""
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def previous_period(today: datetime.date | None = None) -> datetime.date:
    """The month a report sent today covers: the month before today's (Asia/Jakarta)."""
    return add_months((today or timezone.localdate()).replace(day=1), -1)


def report_figures(*, region_code: str, period: datetime.date) -> ReportFigures:
    """Every figure of the report of `region_code` ("36" or a regency) for `period`."""
    win = Window.of(period)
    villages, names = _villages(region_code)
    sums = {code: empty_row() for code in villages}
    for rows in _collect(region_code, win):
        for village_id, key, current, previous, cumulative in rows:
            row = sums.get(village_id)
            if row is not None:
                i = SLOT[key]
                row[i] += current
                row[i + 1] += previous
                row[i + 2] += cumulative
    for row in sums.values():
        _derive(row)
    report = _growth_rates(_assemble(region_code, win, villages, names, sums))
    report.women = women_economy(
        region_code=region_code, start=win.start, end=win.end, prev_start=win.prev_start
    )
    return report


def _villages(region_code: str) -> tuple[dict[str, str], dict[str, str]]:
    """The villages of the region (code: district code), and the names of the villages, their
    districts and regencies by code."""
    rows = (
        Village.objects.using(reports_db())
        .order_by("code")
        .values_list("code", "name", "district_id", "district__name", "regency_id", "regency__name")
    )
    if region_code != PROVINCE_CODE:
        rows = rows.filter(regency_id=region_code)
    villages, names = {}, {}
    for code, name, district, district_name, regency, regency_name in rows:
        villages[code] = district
        names[code], names[district], names[regency] = name, district_name, regency_label(regency_name)
    return villages, names


def _assemble(
    region_code: str,
    win: Window,
    villages: dict[str, str],
    names: dict[str, str],
    sums: dict[str, list[int]],
) -> ReportFigures:
    """Villages added up to districts, districts to regencies, regencies to the total (the
    rows of sums, column by column), then each area's figures made once."""
    by_district = _add_up(sums, villages.__getitem__)
    by_regency = _add_up(by_district, lambda code: code[:5])
    total = _add_up(by_regency, lambda code: "").get("", empty_row())
    name = f"Provinsi {PROVINCE_NAME.title()}" if region_code == PROVINCE_CODE else names.get(region_code, "")
    regencies = [Area(code, names[code], figures=Figures(row)) for code, row in by_regency.items()]
    districts = [_area(code, names, row, parent=code[:5]) for code, row in by_district.items()]
    return ReportFigures(
        region_code=region_code,
        region_name=name,
        period=win.start,
        previous_period=win.prev_start,
        total=Area(region_code, name, figures=Figures(total)),
        areas=regencies if region_code == PROVINCE_CODE else districts,
        districts=districts,
        villages=[_area(code, names, sums[code], parent=district) for code, district in villages.items()],
    )


def _area(code: str, names: dict[str, str], row: list[int], *, parent: str) -> Area:
    return Area(code, names[code], parent_code=parent, parent_name=names[parent], figures=Figures(row))


def _add_up(rows: dict[str, list[int]], parent: Callable[[str], str]) -> dict[str, list[int]]:
    """The rows added up by parent area, column by column, in the order parents first appear."""
    children: dict[str, list[list[int]]] = {}
    for code, row in rows.items():
        children.setdefault(parent(code), []).append(row)
    return {code: [sum(column) for column in zip(*group, strict=True)] for code, group in children.items()}


def regency_label(name: str) -> str:
    """`KAB. LEBAK` -> `Kabupaten Lebak`, `KOTA SERANG` -> `Kota Serang`."""
    name = name.strip()
    if name.upper().startswith("KAB."):
        return "Kabupaten " + name[4:].strip().title()
    return name.title()


# Figures that are the sum of others, in a village's row (the sums of the areas follow).
DERIVED = [
    (SLOT["active"], [SLOT[stage] for stage in STAGE_KEYS[:3]]),
    *((SLOT[f"aid_total_{what}"], [SLOT[f"aid_{kind}_{what}"] for kind in AssistanceKind.values])
      for what in ("count", "amount")),
    (SLOT["activities_total"], [SLOT[f"activities_{group}"] for group in PARTNER_GROUPS]),
]  # fmt: skip


def _derive(row: list[int]) -> None:
    for target, parts in DERIVED:
        for offset in range(3):
            row[target + offset] = sum(row[part + offset] for part in parts)


def _collect(region_code: str, win: Window) -> list:
    """Rows of (village, figure key, current, previous, cumulative); a stock's cumulative is 0."""
    return [
        _tallied(region_code, win),
        _dated_count(_read(Group).in_region(region_code), "formed_on", "groups_formed", win),
        _dated_count(_read(Enterprise).in_region(region_code), "founded_on", "enterprises_founded", win),
        _capital(region_code, win),
        _women_assisted(region_code, win),
        _women_attending(region_code, win),
        _activities(region_code, win),
        _growth(region_code, win),
    ]


def _in(field: str, start: datetime.date | datetime.datetime, end) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _flow(field: str, win: Window, *, dt: bool = False) -> dict[str, Q]:
    """Filters of a flow: in the month, in the month before, and up to the month's end."""
    at = win.at if dt else (lambda d: d)
    return {
        "cur": _in(field, at(win.start), at(win.end)),
        "prev": _in(field, at(win.prev_start), at(win.start)),
        "cum": Q(**{f"{field}__lt": at(win.end)}),
    }


def _flow_sums(row: dict, prefix: str = "") -> tuple[int, int, int]:
    return row[f"{prefix}cur"] or 0, row[f"{prefix}prev"] or 0, row[f"{prefix}cum"] or 0


def _tallied(region_code: str, win: Window) -> list:
    """Aid, moves, stage levels and waiting proposals from the village-months up to the month:
    each column summed per village over the month, the month before and the months earlier
    (one plain sum a column and period, not three filtered sums over every row: half the
    time), the cumulative being the three together."""
    qs = _read(VillageMonth).filter(month__lt=win.end)
    if region_code != PROVINCE_CODE:
        qs = qs.filter(regency_id=region_code)
    period = Case(When(month=win.start, then=V(0)), When(month=win.prev_start, then=V(1)), default=V(2))
    sums = {f"s{i}": Cast(Sum(column), BigIntegerField()) for i, column in enumerate(TALLY_COLUMNS)}
    per_period = qs.order_by().annotate(period=period).values("village_id", "period").annotate(**sums)
    villages: dict[str, list] = {}
    for village, index, *values in plain_rows(per_period.values_list("village_id", "period", *sums)):
        villages.setdefault(village, [EMPTY_TALLY] * 3)[index] = values
    rows = []
    for village, (current, previous, earlier) in villages.items():
        for column, c, p, e in zip(TALLY_COLUMNS, current, previous, earlier, strict=True):
            if not (c or p or e):
                continue
            # a level: at the month's end, and at the end of the month before
            level = column in TALLIED_STOCKS
            rows.append((village, column, *((c + p + e, p + e, 0) if level else (c, p, c + p + e))))
    return rows


def _dated_count(qs: QuerySet, date_field: str, key: str, win: Window) -> list:
    f = _flow(date_field, win)
    qs = (
        qs.filter(f["cum"])
        .order_by()
        .values("village_id")
        .annotate(**{k: Count("id", filter=q) for k, q in f.items()})
    )
    return [(r["village_id"], key, *_flow_sums(r)) for r in qs]


def _capital(region_code: str, win: Window) -> list:
    annotations: dict[str, Aggregate] = {}
    for step in ("applied", "approved", "disbursed"):
        for k, q in _flow(f"{step}_on", win).items():
            annotations[f"{step}_n_{k}"] = Count("id", filter=q)
            annotations[f"{step}_a_{k}"] = Sum("amount", filter=q)
    qs = (
        _read(CapitalAccess)
        .in_region(region_code)
        .filter(applied_on__lt=win.end)
        .order_by()
        .values("village_id")
        .annotate(**annotations)
    )
    rows = []
    for r in qs:
        for step in ("applied", "approved", "disbursed"):
            rows.append((r["village_id"], f"capital_{step}_count", *_flow_sums(r, f"{step}_n_")))
            rows.append((r["village_id"], f"capital_{step}_amount", *_flow_sums(r, f"{step}_a_")))
    return rows


def _women_assisted(region_code: str, win: Window) -> list:
    """Women and girls of households that received aid (in the month, before, ever): the
    women kept on each aided household-month, added up per village over the month and the
    month before, and over each household's first month there ("ever"), so neither an aid
    row nor a person is read. Two index-only readings (recent months; first months) in one
    UNION ALL query: an OR of the two would read the whole table."""
    rows = _read(AidedHouseholdMonth).order_by()
    if region_code != PROVINCE_CODE:
        rows = rows.filter(regency_id=region_code)
    women = lambda q: Sum(Case(When(q, then="women"), default=V(0)))  # noqa: E731
    recent = _per_village(
        rows.filter(month__gte=win.prev_start, month__lt=win.end),
        women(Q(month=win.start)), women(Q(month=win.prev_start)), V(0),
    )  # fmt: skip
    firsts = _per_village(rows.filter(first=True, month__lt=win.end), V(0), V(0), Sum("women"))
    return [
        (village, "women_assisted", cur or 0, prev or 0, cum or 0)
        for village, cur, prev, cum in recent.union(firsts, all=True)
    ]


def _per_village(rows: QuerySet, *figures) -> QuerySet:
    """(village, figure, ...) rows, one a village: the figures named in order, so that two
    readings can be a UNION ALL."""
    names = {f"f{i}": (f if not isinstance(f, V) else Sum(f, output_field=IntegerField())) for i, f in enumerate(figures)}
    return rows.values("village_id").annotate(**names).values_list("village_id", *names)


def _women_attending(region_code: str, win: Window) -> list:
    """Women attending activities (any, and of a women's programme): the attended
    woman-months of each village counted over the month and the month before, and over
    each woman's first month there ("ever"), instead of distinct persons over every
    attendance. Two index-only readings in one UNION ALL query."""
    rows = _read(AttendedWomanMonth).order_by()
    if region_code != PROVINCE_CODE:
        rows = rows.filter(regency_id=region_code)
    cur, prev, women = Q(month=win.start), Q(month=win.prev_start), Q(women_programme=True)
    one = lambda q: Count("id", filter=q)  # noqa: E731
    recent = _per_village(
        rows.filter(month__gte=win.prev_start, month__lt=win.end),
        one(cur), one(prev), V(0), one(cur & women), one(prev & women), V(0),
    )  # fmt: skip
    firsts = _per_village(
        rows.filter(Q(first=True) | Q(first_women=True), month__lt=win.end),
        V(0), V(0), one(Q(first=True)), V(0), V(0), one(Q(first_women=True)),
    )  # fmt: skip
    out = []
    for village, c, p, t, wc, wp, wt in recent.union(firsts, all=True):
        out.append((village, "women_attending", c or 0, p or 0, t or 0))
        out.append((village, "women_program_attending", wc or 0, wp or 0, wt or 0))
    return out


def _activities(region_code: str, win: Window) -> list:
    f = _flow("held_on", win)
    qs = (
        _read(Activity)
        .in_region(region_code)
        .filter(f["cum"])
        .order_by()
        .values("village_id", "partner__kind")
        .annotate(**{k: Count("id", filter=q) for k, q in f.items()})
    )
    named = {"pkk", "posyandu"}
    return [
        (
            r["village_id"],
            f"activities_{r['partner__kind'] if r['partner__kind'] in named else 'other'}",
            *_flow_sums(r),
        )
        for r in qs
    ]


# ---------------------------------------------------------------- posyandu growth monitoring


def _growth(region_code: str, win: Window) -> list:
    """Toddlers, measured, stunted, wasted, underweight and follow-ups open, per village, of
    the month and the month before, from the one coverage selector (four to six queries),
    and the follow-ups opened and closed (one query)."""
    months = growth_coverage_by_village(
        region_code=region_code, periods=[win.start, win.prev_start], using=reports_db()
    )
    rows = []
    for is_current, by_village in zip((1, 0), months, strict=True):  # (current, previous, 0)
        for village_id, coverage in by_village.items():
            for key, name in GROWTH_COUNTS.items():
                value = getattr(coverage, name)
                rows.append((village_id, key, value * is_current, value * (1 - is_current), 0))
    return rows + _followup_flows(region_code, win)


def _followup_flows(region_code: str, win: Window) -> list:
    opened, closed = _flow("opened_on", win), _flow("closed_on", win)
    qs = (
        _read(GrowthFollowUp)
        .in_region(region_code)
        .filter(opened["cum"])
        .order_by()
        .values("village_id")
        .annotate(
            **{f"o_{k}": Count("id", filter=q) for k, q in opened.items()},
            **{f"c_{k}": Count("id", filter=q) for k, q in closed.items()},
        )
    )
    rows = []
    for r in qs:
        rows.append((r["village_id"], "growth_followups_opened", *_flow_sums(r, "o_")))
        rows.append((r["village_id"], "growth_followups_closed", *_flow_sums(r, "c_")))
    return rows


def _growth_rates(report: ReportFigures) -> ReportFigures:
    """Coverage and prevalence of every area from its added-up counts (never an average
    of percentages), by the coverage selector's own rule."""
    for area in [report.total, *report.areas, *report.districts, *report.villages]:
        row = area.figures.row
        for attr, period, offset in (  # offset: current or previous in a figure's slots
            ("growth", report.period, 0),
            ("growth_previous", report.previous_period, 1),
        ):
            counts = {name: row[SLOT[key] + offset] for key, name in GROWTH_COUNTS.items()}
            counts["implausible"] = counts.pop("flagged")
            setattr(area, attr, coverage_of_counts(region_code=area.code, period=period, counts=counts))
    return report
