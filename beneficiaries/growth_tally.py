"""Keep `GrowthMonth` in step with the measurements, and rebuild it from them.

A measurement counts in its village's calendar month when it is the child's last of that
month (`last_of_month`); what it adds there ("its contribution") is defined once below,
in Python for one row and as the selectors' `Count` filters for the rebuild. Every save and
delete of a measurement (the growth service's `save()` calls, the admin through the service,
fixtures) adds its difference in one upsert, in the same transaction; the service's bulk
write of a child's history (`bulk_create`, no signals) calls `add_rows`. A flagged row
counts as measured and implausible only; prevalence counts read plausible rows.

The erasure of a person changes neither the rows nor what they count (the measurement
keeps its date, village and statuses), so it needs nothing here.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import connections, transaction
from django.db.models import Count, Min, Model, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from .growth.who import HazStatus, WazStatus, WhzStatus
from .models.growth import GROWTH_MONTH_COUNTS, GrowthMonth, GrowthMonthClose, Measurement
from .models.people import Person

Deltas = dict[tuple[str, datetime.date], dict[str, int]]
ROW_FIELDS = ("village_id", "measured_on", "last_of_month", "flagged", "haz_status", "waz_status", "whz_status", "whz")

TODDLER_YEARS = 5  # under 60 completed months
STUNTED = (HazStatus.STUNTED, HazStatus.SEVERELY_STUNTED)
WASTED = (WhzStatus.WASTED, WhzStatus.SEVERELY_WASTED)
UNDERWEIGHT = (WazStatus.UNDERWEIGHT, WazStatus.SEVERELY_UNDERWEIGHT)


def counts() -> dict[str, Count]:
    """The coverage counts of a set of a month's last measurements (the rebuild's and the
    recount's); `contribution` is the same rule for one row."""
    plausible = Q(flagged=False)
    return {
        "measured": Count("id"),
        "implausible": Count("id", filter=Q(flagged=True)),
        "assessed": Count("id", filter=plausible),
        "whz_assessed": Count("id", filter=plausible & Q(whz__isnull=False)),
        "stunted": Count("id", filter=plausible & Q(haz_status__in=STUNTED)),
        "severely_stunted": Count("id", filter=plausible & Q(haz_status=HazStatus.SEVERELY_STUNTED)),
        "wasted": Count("id", filter=plausible & Q(whz_status__in=WASTED)),
        "severely_wasted": Count("id", filter=plausible & Q(whz_status=WhzStatus.SEVERELY_WASTED)),
        "underweight": Count("id", filter=plausible & Q(waz_status__in=UNDERWEIGHT)),
    }


def contribution(row: Mapping) -> dict[str, int]:
    """What one measurement (its `ROW_FIELDS`) adds to its village-month."""
    if not row["last_of_month"]:
        return {}
    if row["flagged"]:
        return {"measured": 1, "implausible": 1}
    haz, whz = row["haz_status"], row["whz_status"]
    return {
        "measured": 1,
        "assessed": 1,
        "whz_assessed": int(row["whz"] is not None),
        "stunted": int(haz in STUNTED),
        "severely_stunted": int(haz == HazStatus.SEVERELY_STUNTED),
        "wasted": int(whz in WASTED),
        "severely_wasted": int(whz == WhzStatus.SEVERELY_WASTED),
        "underweight": int(row["waz_status"] in UNDERWEIGHT),
    }


def _add(deltas: Deltas, row: Mapping | None, sign: int) -> None:
    if row is None:
        return
    cells = contribution(row)
    if cells:
        cell = deltas.setdefault((row["village_id"], row["measured_on"].replace(day=1)), defaultdict(int))
        for column, value in cells.items():
            cell[column] += sign * value


def apply(deltas: Deltas, using: str) -> None:
    """Add `deltas` to the village-months in one statement (an upsert: PostgreSQL and SQLite)."""
    # In key order, so two writes touching the same village-months lock them in one order.
    rows = sorted((key, cells) for key, cells in deltas.items() if any(cells.values()))
    if not rows:
        return
    table = GrowthMonth._meta.db_table
    columns = ["village_id", "district_id", "regency_id", "month", "created_at", "updated_at", "toddlers", *GROWTH_MONTH_COUNTS]
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list = []
    now = timezone.now()
    for (village, month), cells in rows:
        params += [village, village[:8], village[:5], month, now, now, 0, *(cells.get(c, 0) for c in GROWTH_MONTH_COUNTS)]
    names = ", ".join(f'"{c}"' for c in columns)
    sets = ", ".join(f'"{c}" = "{table}"."{c}" + excluded."{c}"' for c in GROWTH_MONTH_COUNTS)
    sql = (
        f'INSERT INTO "{table}" ({names}) VALUES {", ".join([one] * len(rows))} '
        f'ON CONFLICT ("village_id", "month") DO UPDATE SET {sets}, "updated_at" = excluded."updated_at"'
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)


def add_rows(rows: Iterable[Measurement], *, using: str = "default") -> None:
    """Count new measurements written without `save()` (the service's `bulk_create`)."""
    deltas: Deltas = {}
    for row in rows:
        _add(deltas, {f: getattr(row, f) for f in ROW_FIELDS}, +1)
    apply(deltas, using)


# ---- signals ------------------------------------------------------------------------------


def _stored(instance: Measurement, using: str) -> dict | None:
    if instance.pk is None or instance._state.adding:
        return None
    return Measurement._base_manager.using(using).filter(pk=instance.pk).values(*ROW_FIELDS).first()


def before_save(sender, instance, using, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not set(update_fields) & {f.removesuffix("_id") for f in ROW_FIELDS}:
        instance._growth_tally_before = False  # nothing counted changes
        return
    instance._growth_tally_before = _stored(instance, using)


def after_save(sender, instance, using, **kwargs) -> None:
    old = getattr(instance, "_growth_tally_before", None)
    if old is False:
        return
    deltas: Deltas = {}
    _add(deltas, old, -1)
    _add(deltas, {f: getattr(instance, f) for f in ROW_FIELDS}, +1)
    apply(deltas, using)


def after_delete(sender, instance, using, **kwargs) -> None:
    deltas: Deltas = {}
    _add(deltas, {f: getattr(instance, f) for f in ROW_FIELDS}, -1)
    apply(deltas, using)


def connect() -> None:
    pre_save.connect(before_save, sender=Measurement, dispatch_uid="growth_tally_before_save")
    post_save.connect(after_save, sender=Measurement, dispatch_uid="growth_tally_after_save")
    post_delete.connect(after_delete, sender=Measurement, dispatch_uid="growth_tally_after_delete")


# ---- toddlers known, and closing months ------------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def month_bounds(period: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = period.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following - datetime.timedelta(days=1)


def toddlers_known(persons: QuerySet, period: datetime.date) -> QuerySet:
    """The toddlers known in the month of `period` among `persons`: under 60 months at some
    day of the month and not left before it (the live count of the coverage selectors, and
    what closing the month keeps in `GrowthMonth.toddlers`)."""
    start, end = month_bounds(period)
    return persons.filter(birth_date__lte=end, birth_date__gt=years_before(start, TODDLER_YEARS)).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=start)
    )


def close_months(*, today: datetime.date | None = None, using: str = "default", recount: bool = False, apps=None) -> int:
    """Close every calendar month that has ended (Asia/Jakarta) and is not closed yet, from
    the earliest month with a village-month to last month: in one transaction a month, its
    villages' toddlers known are written in one INSERT ... SELECT ... GROUP BY (an upsert on
    the village and month; the month's other rows get 0), then its marker. `recount`: the
    closed months too (a rebuild). Idempotent; returns how many months were written."""
    today = today or timezone.localdate()
    tally = apps.get_model("beneficiaries", "GrowthMonth") if apps else GrowthMonth
    marker = apps.get_model("beneficiaries", "GrowthMonthClose") if apps else GrowthMonthClose
    person = apps.get_model("beneficiaries", "Person") if apps else Person
    first = tally._base_manager.using(using).aggregate(first=Min("month"))["first"]
    last = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if first is None or first > last:
        return 0
    closed = set(marker._base_manager.using(using).values_list("month", flat=True))
    months = []
    month = first.replace(day=1)
    while month <= last:
        if recount or month not in closed:
            months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    for month in months:
        _close(month, using=using, tally=tally, marker=marker, person=person)
    return len(months)


def _close(month: datetime.date, *, using: str, tally: type[Model], marker: type[Model], person: type[Model]) -> None:
    now = timezone.now()
    grouped = (
        toddlers_known(person._base_manager.using(using).all(), month)
        .order_by()
        .values("household__village_id", "household__district_id", "household__regency_id")
        .annotate(toddlers=Count("id"), month=Value(month), stamp=Value(now))
    )
    select, params = grouped.query.sql_with_params()
    table = tally._meta.db_table
    counted = ", ".join(f'"{c}"' for c in GROWTH_MONTH_COUNTS)
    zeros = ", ".join("0" for _c in GROWTH_MONTH_COUNTS)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "toddlers" = 0, "updated_at" = %s WHERE "month" = %s AND "toddlers" <> 0',
            [now, month],
        )
        # WHERE true: SQLite's parser needs it before ON CONFLICT after a SELECT.
        cursor.execute(
            f'INSERT INTO "{table}" ("village_id", "district_id", "regency_id", "month", "toddlers", '
            f'"created_at", "updated_at", {counted}) '
            f'SELECT g."household__village_id", g."household__district_id", g."household__regency_id", '
            f'g."month", g."toddlers", g."stamp", g."stamp", {zeros} '
            f"FROM ({select}) g WHERE true "
            f'ON CONFLICT ("village_id", "month") DO UPDATE SET "toddlers" = excluded."toddlers", '
            f'"updated_at" = excluded."updated_at"',
            params,
        )
        marker._base_manager.using(using).update_or_create(month=month, defaults={"closed_at": now})


# ---- rebuilding -----------------------------------------------------------------------------


def recount(using: str = "default", *, measurement: type[Model] = Measurement):
    """The village-months as the rows say, grouped in the database: one row a village and
    month with `village_id`, `district_id`, `regency_id`, `month` and the counts."""
    return (
        measurement._base_manager.using(using)
        .filter(last_of_month=True)
        .annotate(month=TruncMonth("measured_on"))
        .order_by()
        .values("village_id", "district_id", "regency_id", "month")
        .annotate(**counts())
    )


def refresh(using: str = "default", *, apps=None) -> int:
    """Rebuild every village-month from the measurements in the database (INSERT ... SELECT
    ... GROUP BY: no row travels to Python), then close the ended months, the closed ones
    recounted (their toddlers known as the persons say now); returns how many village-months
    the measurements make. `apps`: a migration's app registry (its historical models), else
    the current models; a migration before the month markers exist does not close."""
    measurement = apps.get_model("beneficiaries", "Measurement") if apps else Measurement
    tally = apps.get_model("beneficiaries", "GrowthMonth") if apps else GrowthMonth
    now = timezone.now()
    grouped = recount(using, measurement=measurement).annotate(stamp=Value(now))
    select, params = grouped.query.sql_with_params()
    columns = ["village_id", "district_id", "regency_id", "month", *GROWTH_MONTH_COUNTS]
    names = ", ".join(f'"{c}"' for c in columns)
    picked = ", ".join(f'g."{c}"' for c in columns)
    table = tally._meta.db_table
    # Written when a month closes; a migration's model from before that has no such column.
    toddlers = (', "toddlers"', ", 0") if _has_toddlers(tally) else ("", "")
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f'DELETE FROM "{table}"')
        cursor.execute(
            f'INSERT INTO "{table}" ({names}, "created_at", "updated_at"{toddlers[0]}) '
            f'SELECT {picked}, g."stamp", g."stamp"{toddlers[1]} FROM ({select}) g',
            params,
        )
        months = cursor.rowcount
        if _has_toddlers(tally):
            close_months(using=using, recount=True, apps=apps)
        return months


def _has_toddlers(tally: type[Model]) -> bool:
    return any(field.name == "toddlers" for field in tally._meta.get_fields())


def stored(using: str = "default") -> dict[tuple[str, datetime.date], dict[str, int]]:
    """The village-months as kept, without the all-zero ones (for checks and tests)."""
    out = {}
    for row in GrowthMonth.objects.using(using).values("village_id", "month", *GROWTH_MONTH_COUNTS):
        cells = {c: row[c] for c in GROWTH_MONTH_COUNTS if row[c]}
        if cells:
            out[(row["village_id"], row["month"])] = cells
    return out


def recounted(using: str = "default") -> dict[tuple[str, datetime.date], dict[str, int]]:
    """The same from the measurements."""
    out = {}
    for row in recount(using):
        cells = {c: row[c] for c in GROWTH_MONTH_COUNTS if row[c]}
        if cells:
            out[(row["village_id"], row["month"])] = cells
    return out
