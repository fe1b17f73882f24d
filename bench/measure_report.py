"""The monthly report's figures at province scale: the province's and the largest regency's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_province .venv/bin/python bench/measure_report.py

Times `reports.selectors.report_figures` for the latest complete month over the whole data
set (the median of 5 runs after a warm-up) and counts its queries, which must be the same at
every scale. Reads through `settings.REPORTS_DATABASE`, as the report does.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

GOAL_SECONDS = 1.0
RUNS = 5


def largest_regency() -> str:
    from django.db.models import Count

    from beneficiaries.models import Case
    from reports.selectors import reports_db

    row = (
        Case.objects.using(reports_db()).order_by().values("regency_id").annotate(n=Count("id")).order_by("-n")
    ).first()
    return row["regency_id"] if row else "36.01"


def timed(region_code: str, period) -> tuple[float, int]:
    """The median seconds of RUNS runs after one warm-up, and the queries of one run."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import report_figures, reports_db

    report_figures(region_code=region_code, period=period)
    with CaptureQueriesContext(connections[reports_db()]) as captured:
        report_figures(region_code=region_code, period=period)
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        report_figures(region_code=region_code, period=period)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(captured)


def run(*, scale: float) -> list[dict]:
    from beneficiaries.models import Case
    from reports.selectors import previous_period, reports_db

    period = previous_period()
    regency = largest_regency()
    cases = Case.objects.using(reports_db()).count()
    rows, queries = [], {}
    for label, code in (("province 36", "36"), (f"largest regency {regency}", regency)):
        seconds, queries[code] = timed(code, period)
        rows.append({
            "what": f"report figures, {label}, {period:%Y-%m} ({cases:,} cases, scale {scale:g})",
            "value": f"{seconds * 1000:.0f} ms",
            "goal": f"< {GOAL_SECONDS * 1000:.0f} ms",
            "ok": seconds < GOAL_SECONDS,
        })  # fmt: skip
    counts = sorted(set(queries.values()))
    rows.append({
        "what": "report figures, queries (province, regency)",
        "value": ", ".join(str(queries[c]) for c in queries),
        "goal": "the same at every scale",
        "ok": len(counts) == 1,
    })  # fmt: skip
    return rows


def main() -> None:
    import django

    django.setup()
    from bench.province import print_table

    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    print_table(run(scale=scale))


if __name__ == "__main__":
    main()
