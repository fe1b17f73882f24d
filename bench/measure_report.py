"""The monthly report's figures at province scale: the province's and the largest regency's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_province .venv/bin/python bench/measure_report.py

Times `reports.selectors.report_figures` for the latest complete month over the whole data
set (the median of 5 runs after a warm-up) and counts its queries, which must be the same at
every scale; splits the time into SQL (the driver's wait, as Django records it) and Python,
and times the report once more without its growth section (measured by measure_growth.py).
Reads through `settings.REPORTS_DATABASE`, as the report does.
"""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

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


def timed(region_code: str, period) -> tuple[float, float, int]:
    """The median seconds of RUNS runs after one warm-up, the median of their seconds in
    SQL (as the driver waited), and the queries of one run."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import report_figures, reports_db

    report_figures(region_code=region_code, period=period)
    seconds, in_sql, queries = [], [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connections[reports_db()]) as captured:
            started = time.perf_counter()
            report_figures(region_code=region_code, period=period)
            seconds.append(time.perf_counter() - started)
        in_sql.append(sum(float(q["time"]) for q in captured.captured_queries))
        queries = len(captured)
    return statistics.median(seconds), statistics.median(in_sql), queries


@contextmanager
def without_growth():
    """The report without its growth section (posyandu weighing, measured on its own by
    bench/measure_growth.py): the rest of the report's share of the time."""
    from reports import selectors

    with mock.patch.object(selectors, "_growth", lambda *args: []), mock.patch.object(
        selectors, "_growth_rates", lambda report: report
    ):
        yield


def run(*, scale: float) -> list[dict]:
    from beneficiaries.models import Case
    from reports.selectors import previous_period, reports_db

    period = previous_period()
    regency = largest_regency()
    cases = Case.objects.using(reports_db()).count()
    rows, queries = [], {}
    for label, code in (("province 36", "36"), (f"largest regency {regency}", regency)):
        seconds, in_sql, queries[code] = timed(code, period)
        rows.append({
            "what": f"report figures, {label}, {period:%Y-%m} ({cases:,} cases, scale {scale:g})",
            "value": f"{seconds * 1000:.0f} ms",
            "goal": f"< {GOAL_SECONDS * 1000:.0f} ms",
            "ok": seconds < GOAL_SECONDS,
        })  # fmt: skip
        rows.append({
            "what": f"  of which SQL / Python, {label}",
            "value": f"{in_sql * 1000:.0f} / {(seconds - in_sql) * 1000:.0f} ms",
            "goal": "",
            "ok": None,
        })  # fmt: skip
    for label, code in (("province 36", "36"), (f"largest regency {regency}", regency)):
        with without_growth():
            seconds, in_sql, _queries = timed(code, period)
        rows.append({
            "what": f"  without the growth section, {label}",
            "value": f"{seconds * 1000:.0f} ms ({in_sql * 1000:.0f} ms SQL)",
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
    rows.append({"what": "load average (1, 5, 15 min)", "value": " ".join(f"{x:.1f}" for x in os.getloadavg()),
                 "goal": "", "ok": None})  # fmt: skip
    return rows


def main() -> None:
    import django

    django.setup()
    from bench.province import print_table

    scale = float(os.environ.get("BENCH_SCALE", "1.0"))
    print_table(run(scale=scale))


if __name__ == "__main__":
    main()
