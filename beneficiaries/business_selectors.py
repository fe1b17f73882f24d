"""Reads of businesses, capital help and the women's programme: lists scoped to the user,
the follow-ups due, the programme's funnel per region, and sectors against the zone's focus.

Every figure is a database aggregation with a fixed number of queries: the funnel is one
grouped query of EXISTS tests on the enrolments plus one for the 6-month medians.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.aggregates import median_by
from regions.models import District, Regency, User, Village
from regions.selectors import regencies_visible_to, scope_of

from .models import (
    Attendance,
    Business,
    BusinessFollowUp,
    BusinessStatus,
    CapitalHelp,
    CapitalHelpStatus,
    FollowUpKind,
    Group,
    WomenEnrolment,
)
from .models.activities import Topic
from .models.business import ZONE_FOCUS
from .models.groups import Sector

TRAINING_TOPICS = (Topic.CULINARY, Topic.ENTREPRENEURSHIP)
LEVEL_FIELDS = {"village": "village_id", "district": "district_id", "regency": "regency_id"}
LEVEL_MODELS: dict[str, type[Village] | type[District] | type[Regency]] = {
    "village": Village,
    "district": District,
    "regency": Regency,
}
FUNNEL_STEPS = ("enrolled", "trained", "started", "capital", "running_6m")


def businesses_for(user: User) -> QuerySet[Business]:
    return Business.objects.visible_to(user).select_related(
        "owner_person", "owner_group", "village", "household"
    )


def followups_for(user: User) -> QuerySet[BusinessFollowUp]:
    return BusinessFollowUp.objects.visible_to(user).select_related("business")


def capital_help_for(user: User) -> QuerySet[CapitalHelp]:
    return CapitalHelp.objects.visible_to(user).select_related("business", "person", "partner", "village")


def enrolments_for(user: User) -> QuerySet[WomenEnrolment]:
    return WomenEnrolment.objects.visible_to(user).select_related("person", "household", "village", "program")


def followups_due(user: User, *, today: datetime.date | None = None) -> QuerySet[Business]:
    """Businesses whose next scheduled follow-up (3, 6 or 12 months) is due and not
    recorded, the longest overdue first: the village's attention list shows them."""
    day = today or timezone.localdate()
    return businesses_for(user).filter(next_due_on__lte=day).order_by("next_due_on", "id")


def household_businesses(user: User, household_id: int) -> list[Business]:
    """A household's own businesses with their follow-ups (two queries)."""
    followups = Prefetch("followups", queryset=BusinessFollowUp.objects.order_by("-visited_on", "-id"))
    businesses = (
        Business.objects.visible_to(user).filter(household_id=household_id).select_related("owner_person")
    )
    return list(businesses.prefetch_related(followups).order_by("-started_on", "-id"))


# ---------------------------------------------------------------- the funnel


def _hers(prefix: str = "") -> Q:
    """A row of hers: her own business, or one of a group her household belongs to."""
    return Q(**{f"{prefix}owner_person_id": OuterRef("person_id")}) | Q(
        **{f"{prefix}owner_group__memberships__household_id": OuterRef("household_id")}
    )


def _step_tests(as_of: datetime.date) -> dict[str, Exists]:
    trained = Attendance.objects.filter(
        person_id=OuterRef("person_id"), activity__topic__in=TRAINING_TOPICS, activity__held_on__lte=as_of
    )
    started = Business.objects.filter(_hers(), started_on__lte=as_of)
    capital = CapitalHelp.objects.filter(
        Q(person_id=OuterRef("person_id")) | _hers("business__"),
        status=CapitalHelpStatus.DISBURSED,
        disbursed_on__lte=as_of,
    )
    running = BusinessFollowUp.objects.filter(
        _hers("business__"), kind=FollowUpKind.MONTH_6, status=BusinessStatus.RUNNING, visited_on__lte=as_of
    )
    return {
        "trained": Exists(trained),
        "started": Exists(started),
        "capital": Exists(capital),
        "running_6m": Exists(running),
    }


@dataclass
class FunnelRow:
    code: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)  # FUNNEL_STEPS, and fh_<step>
    median_revenue_6m: int | None = None
    fh_median_revenue_6m: int | None = None

    def get(self, key: str) -> int:
        return self.counts.get(key, 0)


def _aggregates(as_of: datetime.date) -> dict:
    tests = _step_tests(as_of)
    counts: dict = {"enrolled": Count("id"), "fh_enrolled": Count("id", filter=Q(female_headed=True))}
    for step, test in tests.items():
        counts[step] = Count("id", filter=Q(test))
        counts[f"fh_{step}"] = Count("id", filter=Q(test, female_headed=True))
    return counts


def _medians(
    enrolments: QuerySet[WomenEnrolment], level_field: str | None, as_of: datetime.date
) -> tuple[dict, dict]:
    """The median monthly revenue of the running 6-month follow-ups of the businesses of
    these women, per region (all, and female-headed households)."""

    def of(women: QuerySet[WomenEnrolment]) -> dict:
        hers = women.filter(
            Q(person_id=OuterRef("business__owner_person_id"))
            | Q(household__group_memberships__group_id=OuterRef("business__owner_group_id"))
        )
        followups = BusinessFollowUp.objects.using(women.db).filter(
            Exists(hers), kind=FollowUpKind.MONTH_6, status=BusinessStatus.RUNNING, visited_on__lte=as_of
        )
        return median_by(followups, "monthly_revenue", level_field)

    return of(enrolments), of(enrolments.filter(female_headed=True))


def women_funnel(
    enrolments: QuerySet[WomenEnrolment], *, level: str, as_of: datetime.date | None = None
) -> list[FunnelRow]:
    """The funnel per village, district or regency of these enrolments, as of a day:
    enrolled, trained (tata boga or kewirausahaan), started a business, received capital
    (disbursed), still running at 6 months, median monthly revenue at 6 months; the same
    for female-headed households (`fh_`). Four queries whatever the data."""
    day = as_of or timezone.localdate()
    level_field = LEVEL_FIELDS[level]
    women = enrolments.order_by().filter(enrolled_on__lte=day)
    rows = women.values(level_field).annotate(**_aggregates(day))
    medians, fh_medians = _medians(women, level_field, day)
    codes = [row[level_field] for row in rows]
    names = dict(LEVEL_MODELS[level]._default_manager.using(enrolments.db).filter(code__in=codes).values_list("code", "name"))
    result = [
        FunnelRow(
            code=row[level_field],
            name=names.get(row[level_field], row[level_field]),
            counts={k: v for k, v in row.items() if k != level_field},
            median_revenue_6m=medians.get(row[level_field]),
            fh_median_revenue_6m=fh_medians.get(row[level_field]),
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: r.code)


def women_funnel_total(
    enrolments: QuerySet[WomenEnrolment], *, as_of: datetime.date | None = None
) -> FunnelRow:
    """The same funnel for all these enrolments together. Three queries."""
    day = as_of or timezone.localdate()
    women = enrolments.order_by().filter(enrolled_on__lte=day)
    counts = women.aggregate(**_aggregates(day))
    medians, fh_medians = _medians(women, None, day)
    return FunnelRow(
        code="",
        name="",
        counts={k: v or 0 for k, v in counts.items()},
        median_revenue_6m=medians.get(None),
        fh_median_revenue_6m=fh_medians.get(None),
    )


def funnel_level_for(user: User) -> str:
    """The rows a user's programme page breaks down into: a regency's districts, a
    district's villages, the province's regencies; a village sees itself."""
    scope = scope_of(user)
    return {"province": "regency", "regency": "district"}.get(str(scope.level), "village")


# ---------------------------------------------------------------- sectors against the zone's focus


@dataclass
class SectorFocusRow:
    regency: str
    name: str
    zone: str
    zone_label: str
    businesses: dict[str, int]  # sector -> count
    enterprises: dict[str, int]  # sector -> count (an enterprise counts under its groups' sectors)
    in_focus: int = 0
    total: int = 0

    @property
    def focus_share(self) -> float:
        return round(100 * self.in_focus / self.total, 1) if self.total else 0.0

    @property
    def focus_label(self) -> str:
        return ", ".join(str(Sector(s).label) for s in Sector.values if s in ZONE_FOCUS.get(self.zone, ()))

    def items(self, kind: str) -> list[tuple[str, int, bool]]:
        """(sector label, count, within the zone's focus) of "businesses" or "enterprises", largest first."""
        counts: dict[str, int] = getattr(self, kind)
        focus = ZONE_FOCUS.get(self.zone, frozenset())
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [(str(Sector(s).label), n, s in focus) for s, n in ordered]

    @property
    def businesses_items(self) -> list[tuple[str, int, bool]]:
        return self.items("businesses")

    @property
    def enterprises_items(self) -> list[tuple[str, int, bool]]:
        return self.items("enterprises")


def sector_focus(
    businesses: QuerySet[Business], groups: QuerySet[Group], *, regencies: QuerySet[Regency]
) -> list[SectorFocusRow]:
    """Per regency: businesses and enterprises by sector, and how many fall within the
    zone's focus (north: digital and services; south: agro-industry and food). Three queries."""
    per_business = businesses.order_by().values_list("regency_id", "sector").annotate(n=Count("id"))
    per_enterprise = (
        groups.order_by()
        .filter(enterprise__isnull=False)
        .values_list("regency_id", "sector")
        .annotate(n=Count("enterprise_id", distinct=True))
    )
    rows = {
        r.code: SectorFocusRow(r.code, r.name, r.zone, str(r.get_zone_display()), {}, {})
        for r in regencies.order_by("code")
    }
    for target, data in (("businesses", per_business), ("enterprises", per_enterprise)):
        for regency, sector, n in data:
            row = rows.get(regency)
            if row is None:
                continue
            getattr(row, target)[sector] = getattr(row, target).get(sector, 0) + n
            row.total += n
            if sector in ZONE_FOCUS.get(row.zone, frozenset()):
                row.in_focus += n
    return list(rows.values())


def sector_focus_for(user: User) -> list[SectorFocusRow]:
    """The dashboard's view: the regencies the user sees."""
    return sector_focus(
        Business.objects.visible_to(user),
        Group.objects.visible_to(user),
        regencies=regencies_visible_to(user),
    )


__all__ = [
    "FUNNEL_STEPS",
    "FunnelRow",
    "SectorFocusRow",
    "businesses_for",
    "capital_help_for",
    "enrolments_for",
    "followups_due",
    "followups_for",
    "household_businesses",
    "sector_focus",
    "sector_focus_for",
    "women_funnel",
    "women_funnel_total",
]
