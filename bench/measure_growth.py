"""Posyandu growth monitoring at province size (after `bench/province.py fill-growth`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_province .venv/bin/python bench/measure_growth.py

- `growth_coverage` (the API's, the home pages' and the report's one selector) of the
  province and of the regency with the most measurements, for the latest complete month:
  the median of 5 runs after a warm-up, and its queries, which must be the same for both;
- `growth_coverage_by_village` of the province for that month (what the monthly report
  reads, for the month and the month before): the same median, and its queries;
- the cadre's session page (`/posyandu/`) of the village with the most toddlers, as its
  village head, in-process through Django's test client (single client, no network): p50
  and p95 of 20 requests after a warm-up, and its queries, which must not grow with the
  village's toddlers (the same on a village with few);
- the same page under gunicorn (2 workers, DEBUG off) with 4 clients for BENCH_LOAD_SECONDS
  (default 20), each client signed in as its own head of that village (bench/measure_load.py's
  server and client): requests/s, p50 / p95 / p99 and errors. Goal: p95 under 100 ms.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

COVERAGE_GOAL_S = 1.0
PAGE_GOAL_MS = 100.0
RUNS = 5
PAGE_RUNS = 20


def largest_regency(start, end) -> str:
    from django.db.models import Count

    from beneficiaries.models.growth import Measurement

    row = (
        Measurement.objects.filter(measured_on__gte=start, measured_on__lte=end, last_of_month=True)
        .order_by()
        .values("regency_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["regency_id"] if row else "36.03"


def villages_by_toddlers(day) -> tuple[str, int, str, int]:
    """The village with the most toddlers and one with few (but some)."""
    from django.db.models import Count

    from beneficiaries.growth_selectors import TODDLER_YEARS, _years_before
    from beneficiaries.models import Person

    rows = list(
        Person.objects.filter(left_on__isnull=True, birth_date__lte=day)
        .filter(birth_date__gt=_years_before(day, TODDLER_YEARS))
        .order_by()
        .values("household__village_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    most, few = rows[0], rows[-1]
    return most["household__village_id"], most["n"], few["household__village_id"], few["n"]


def timed_coverage(region_code: str, period, *, by_village: bool = False) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from beneficiaries.growth_selectors import growth_coverage, growth_coverage_by_village

    def call():
        if by_village:
            return growth_coverage_by_village(region_code=region_code, periods=[period])[0]
        return growth_coverage(region_code=region_code, period=period)

    call()
    with CaptureQueriesContext(connection) as captured:
        figures = call()
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(captured), figures


def session_url(village: str) -> str:
    return f"/posyandu/?desa={village}"


def served_page(village: str, queries: int) -> dict:
    """The session page under gunicorn with 4 clients, each its own head of the village."""
    import secrets

    from bench.bench_users import user_for
    from bench.measure_load import CLIENTS, USERS_PER_CLIENT, drive, load_row, serving, sign_in_clients

    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
    secret = secrets.token_urlsafe(48)
    clients = CLIENTS[0]
    target = {"label": f"posyandu session page, village {village}", "user": user_for("village", village),
              "paths": [session_url(village)], "queries": queries}  # fmt: skip
    sign_in_clients(target, secret, count=clients * USERS_PER_CLIENT)
    with serving(secret) as port:
        drive(port, target, 2, 1.0)  # warm both workers
        return load_row(target, clients, drive(port, target, clients, seconds))


def run(*, scale: float) -> list[dict]:
    from django.utils import timezone

    from beneficiaries.growth_selectors import _month_bounds
    from beneficiaries.models.growth import GrowthMonthClose, Measurement
    from reports.selectors import previous_period

    period = previous_period()
    start, end = _month_bounds(period)
    if not Measurement.objects.filter(measured_on__gte=start, measured_on__lte=end).exists():
        return [{"what": "growth: no measurements (run bench/province.py fill-growth)", "value": "-",
                 "goal": "-", "ok": None}]  # fmt: skip
    regency = largest_regency(start, end)
    total = Measurement.objects.count()
    # A closed month reads its toddlers known from the village-months (growth_tally.close_months).
    state = "closed" if GrowthMonthClose.objects.filter(month=start).exists() else "open"
    rows, queries = [], {}
    for label, code in (("province 36", "36"), (f"largest regency {regency}", regency)):
        seconds, queries[code], figures = timed_coverage(code, period)
        rows.append({
            "what": f"growth coverage, {label}, {period:%Y-%m} {state} ({figures.toddlers:,} toddlers, "
                    f"{figures.measured:,} measured; {total:,} measurements, scale {scale:g})",
            "value": f"{seconds * 1000:.0f} ms",
            "goal": f"< {COVERAGE_GOAL_S * 1000:.0f} ms",
            "ok": seconds < COVERAGE_GOAL_S,
        })  # fmt: skip
    rows.append({
        "what": "growth coverage, queries (province, regency)",
        "value": ", ".join(str(queries[c]) for c in queries),
        "goal": "the same at every scale",
        "ok": len(set(queries.values())) == 1,
    })  # fmt: skip
    seconds, village_queries, by_village = timed_coverage("36", period, by_village=True)
    rows.append({
        "what": f"growth coverage by village, province 36, {period:%Y-%m} {state} ({len(by_village):,} villages, "
                f"{village_queries} queries; the monthly report reads it twice)",
        "value": f"{seconds * 1000:.0f} ms",
        "goal": f"< {COVERAGE_GOAL_S * 1000:.0f} ms",
        "ok": seconds < COVERAGE_GOAL_S,
    })  # fmt: skip
    busiest, most, quiet, few = villages_by_toddlers(timezone.localdate())
    from bench.measure_session import timed_page

    page = timed_page(busiest, PAGE_RUNS)
    p50, p95, page_queries, size = page["p50"], page["p95"], page["queries"], page["size"]
    quiet_queries = timed_page(quiet, 2)["queries"]
    rows += [
        {"what": f"posyandu session page, village {busiest} ({most} toddlers, {size // 1024} KiB), p50 / p95",
         "value": f"{p50:.0f} / {p95:.0f} ms", "goal": f"p95 < {PAGE_GOAL_MS:.0f} ms", "ok": p95 < PAGE_GOAL_MS},
        {"what": f"posyandu session page, queries ({most} toddlers, {few} toddlers)",
         "value": f"{page_queries}, {quiet_queries}", "goal": "the same", "ok": page_queries == quiet_queries},
        served_page(busiest, page_queries),
    ]  # fmt: skip
    return rows


def main() -> None:
    import django

    django.setup()
    from bench.province import print_table

    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    print_table(run(scale=scale))


if __name__ == "__main__":
    main()
