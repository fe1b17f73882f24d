"""Searches by name and by NIK over the whole province, as the pages and the API run them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_province .venv/bin/python bench/measure_search.py

As a province official (who reaches every person), runs `selectors.search_persons` (the
API's person search) and `selectors.households_matching` (the household list page) for
names sampled from the data: a full name (two or more words, each must appear) and a single
word of a name. Each search is evaluated as a page is: the first page of rows and the count.
Prints p50 / p95 over all searches (goal: p95 under 100 ms), whether PostgreSQL's plan reads
the trigram index (`person_name_trgm_idx`), and the queries per search.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

GOAL_MS = 100.0
SAMPLES = int(os.environ.get("BENCH_SEARCH_SAMPLES", "20"))  # names drawn
ROUNDS = 3  # each search repeated; the first round warms the cache
INDEX = "person_name_trgm_idx"


def sample_names(n: int) -> list[str]:
    """Full names of `n` persons spread over the table (by id, so no full scan to sample)."""
    from django.db.models import Max, Min

    from beneficiaries.models import Person

    bounds = Person.objects.aggregate(lo=Min("id"), hi=Max("id"))
    if bounds["lo"] is None:
        return []
    rng = random.Random(36)
    names = []
    for _ in range(n * 3):
        pk = rng.randint(bounds["lo"], bounds["hi"])
        name = Person.objects.filter(pk__gte=pk).order_by("pk").values_list("full_name", flat=True).first()
        if name:
            names.append(name)
        if len(names) == n:
            break
    return names


def queries_for(names: list[str]) -> list[tuple[str, str]]:
    """(kind, query): each full name, and one word of it (its longest)."""
    out = []
    for name in names:
        out.append(("full name", name))
        out.append(("one word", max(name.split(), key=len)))
    return out


def page_of(rows, size: int) -> int:
    """What the API and the household list run for a search: the count (exact up to 500
    matches, then the planner's estimate), then the first page's rows."""
    from core.pagination import SEARCH_EXACT_UP_TO, EstimatingPaginator

    page = EstimatingPaginator(rows, size, exact_up_to=SEARCH_EXACT_UP_TO).page(1)
    list(page.object_list)
    return page.paginator.count


def uses_index(rows) -> bool | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    return INDEX in rows.explain()


def run(*, scale: float) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.bench_users import user_for
    from beneficiaries import selectors
    from beneficiaries.models import Person

    official = user_for("province", "36")
    searches = {
        "person search (API)": lambda q: selectors.search_persons(
            Person.objects.visible_to(official), official, q
        ),
        "household search (page)": lambda q: selectors.households_matching(official, q),
    }
    names = sample_names(SAMPLES)
    rows = []
    for label, search in searches.items():
        timings, found, plans = [], [], []
        for kind, q in queries_for(names):
            for round_ in range(ROUNDS):
                started = time.perf_counter()
                total = page_of(search(q), 50)
                if round_:
                    timings.append((time.perf_counter() - started) * 1000)
            found.append(total)
            if kind == "full name":  # one common word: a scan that stops at the cut is as quick
                plans.append(uses_index(search(q)))
        with CaptureQueriesContext(connection) as captured:
            page_of(search(names[0] if names else "x"), 50)
        p50, p95 = _percentiles(timings)
        indexed = None if plans and plans[0] is None else all(plans)
        rows += [
            {"what": f"search by name: {label} p50 / p95 ({len(timings)} searches, median {statistics.median(found or [0]):.0f} found)",
             "value": f"{p50:.0f} / {p95:.0f} ms", "goal": f"p95 < {GOAL_MS:.0f} ms", "ok": p95 < GOAL_MS},
            {"what": f"search by name: {label} reads the trigram index (full names)", "value": str(indexed),
             "goal": "True (PostgreSQL)", "ok": indexed},
            {"what": f"search by name: {label} queries", "value": str(len(captured)), "goal": "2 or 3 (count, estimate past 10,000, page)",
             "ok": len(captured) <= 3},
        ]  # fmt: skip
    rows.append(nik_search(official))
    return rows


def nik_search(official) -> dict:
    from beneficiaries import selectors
    from beneficiaries.models import Person

    niks = list(Person.objects.exclude(nik=None).order_by("?").values_list("nik", flat=True)[:SAMPLES])
    timings = []
    for nik in niks * ROUNDS:
        started = time.perf_counter()
        page_of(selectors.search_persons(Person.objects.visible_to(official), official, nik), 50)
        timings.append((time.perf_counter() - started) * 1000)
    p50, p95 = _percentiles(timings)
    return {"what": f"search by NIK: person search p50 / p95 ({len(timings)} searches)",
            "value": f"{p50:.0f} / {p95:.0f} ms", "goal": f"p95 < {GOAL_MS:.0f} ms", "ok": p95 < GOAL_MS}  # fmt: skip


def _percentiles(timings: list[float]) -> tuple[float, float]:
    if not timings:
        return 0.0, 0.0
    if len(timings) < 2:
        return timings[0], timings[0]
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return statistics.median(timings), cuts[94]


def main() -> None:
    import django

    django.setup()
    for row in run(scale=float(os.environ.get("BENCH_SCALE", "1.0"))):
        print(f"{row['what']:<100} {row['value']:>14}  goal {row['goal']}")


if __name__ == "__main__":
    main()
