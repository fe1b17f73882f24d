"""The cadre's posyandu session page alone (issue 12), the rows the issue asks for:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_session .venv/bin/python bench/measure_session.py

- in-process (Django's test client, one client, no network), as the head of the village
  with the most toddlers: p50 and p95 of BENCH_PAGE_RUNS requests (default 50) after a
  warm-up, the page's size and rows, and its queries, which must be the same on a village
  with few toddlers;
- under gunicorn (2 workers, DEBUG off), 4 clients for BENCH_LOAD_SECONDS (default 20; 0
  skips it): requests/s, p50 / p95 / p99 and errors (bench/measure_load.py's server).

The load average is printed first and last: other benchmarks may share the machine.
Goal: p95 under 100 ms both ways.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

PAGE_GOAL_MS = 100.0


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def timed_page(village: str, runs: int) -> dict:
    from django.test import Client

    from bench.bench_users import user_for
    from bench.measure_growth import session_url
    from bench.measure_load import count_queries

    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    client.force_login(user_for("village", village))
    url = session_url(village)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    queries = count_queries(lambda: client.get(url))
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return {"p50": statistics.median(timings), "p95": cuts[94], "queries": queries,
            "size": len(response.content), "rows": response.content.count(b'class="growth-row')}  # fmt: skip


def run() -> list[dict]:
    from django.utils import timezone

    from bench.measure_growth import served_page, villages_by_toddlers

    runs = int(os.environ.get("BENCH_PAGE_RUNS", "50"))
    busiest, most, quiet, few = villages_by_toddlers(timezone.localdate())
    page = timed_page(busiest, runs)
    quiet_page = timed_page(quiet, 5)
    rows = [
        {"what": f"session page, village {busiest} ({most} toddlers, {page['rows']} rows, "
                 f"{page['size'] / 1024:.0f} KiB), in-process p50 / p95 of {runs}",
         "value": f"{page['p50']:.0f} / {page['p95']:.0f} ms", "goal": f"p95 < {PAGE_GOAL_MS:.0f} ms",
         "ok": page["p95"] < PAGE_GOAL_MS},
        {"what": f"session page, queries ({most} toddlers, {few} toddlers)",
         "value": f"{page['queries']}, {quiet_page['queries']}", "goal": "the same",
         "ok": page["queries"] == quiet_page["queries"]},
    ]  # fmt: skip
    if float(os.environ.get("BENCH_LOAD_SECONDS", "20")) > 0:
        rows.append(served_page(busiest, page["queries"]))
    return rows


def main() -> None:
    import django

    django.setup()
    from bench.province import print_table

    print(f"load average before: {load_average()}")
    print_table(run())
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
