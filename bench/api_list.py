"""Time an API list endpoint, and count its queries, as the tables grow.

    .venv/bin/python bench/api_list.py                       # SQLite in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_bench .venv/bin/python bench/api_list.py \
        --sizes 1000,10000,100000 --paths /api/v1/cases/,/api/v1/households/

It creates a throwaway test database (test_<name>), fills village A of Pandeglang and
its neighbours with households (two members each), open cases (every third with a pending
move) and assistance, then asks each list as a province official for page sizes 50 and
200, and as a village head. Prints the median of a few runs and the query count.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

VILLAGES = ["36.01.01.2001", "36.01.01.2002", "36.01.01.2003", "36.01.01.2004"]


def codes(row) -> dict:
    return {"village_id": row.village_id, "district_id": row.district_id, "regency_id": row.regency_id}


def fill(total: int, start: int) -> None:
    """Grow the tables to `total` households (from `start`), in bulk."""
    from beneficiaries.models import Assistance, Case, Household, Person, StageTransition
    from programs.models import Program

    program, _ = Program.objects.get_or_create(
        name="Bench", defaults={"agency": "dinsos", "starts_on": "2020-01-01"}
    )
    now, day = timezone.now(), datetime.date(2025, 1, 6)
    for lo in range(start, total, 5000):
        serials = range(lo, min(total, lo + 5000))
        homes = [
            Household(
                kk_number=f"360101{n:010d}", village_id=(v := VILLAGES[n % 4]), district_id=v[:8],
                regency_id=v[:5], address=f"Kp. Bench {n}", rt="001", rw="001", desil=n % 10 + 1,
            )
            for n in serials
        ]  # fmt: skip
        Household.objects.bulk_create(homes)
        Person.objects.bulk_create(
            Person(household=h, nik=f"3601{2 * n + i:012d}", full_name=f"Warga {n}-{i}", sex="L",
                   birth_date=datetime.date(1985, 3, 12), relation="head" if i == 0 else "child")
            for h, n in zip(homes, serials, strict=True) for i in range(2)
        )  # fmt: skip
        cases = Case.objects.bulk_create(Case(household=h, **codes(h), opened_on=day) for h in homes)
        StageTransition.objects.bulk_create(
            StageTransition(case=c, **codes(c), kind="advance", from_position="1", to="2", state="pending",
                            proposed_at=now)
            for c in cases[::3]
        )  # fmt: skip
        Assistance.objects.bulk_create(
            Assistance(case=c, **codes(c), kind="food", program=program, delivered_on=day, amount=250_000)
            for c in cases
        )  # fmt: skip


def user_with_role(username: str, role: str, region_code: str):
    from django.contrib.auth.models import Group

    from regions.models import User
    from regions.roles import role_group_name

    user = User.objects.create(username=username, role=role, region_code=region_code)
    user.groups.set([Group.objects.get(name=role_group_name(role))])
    return user


def measure(client: APIClient, path: str, page_size: int, runs: int = 5) -> tuple[float, int, int]:
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, {"page_size": page_size})
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
        queries = len(captured)
    return statistics.median(timings), queries, response.json()["count"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000", help="household counts, comma-separated")
    parser.add_argument("--paths", default="/api/v1/cases/,/api/v1/households/,/api/v1/assistance/")
    args = parser.parse_args()

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        province = user_with_role("bench_prov", "province", "36")
        head = user_with_role("bench_head", "village", VILLAGES[0])
        clients = {
            who: APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=u).key}")
            for who, u in (("province", province), ("village head", head))
        }
        print(f"database: {connection.vendor} ({name})")
        print(
            f"{'households':>10}  {'path':<22} {'user':<13} {'page':>4}  {'ms':>8}  {'queries':>7}  {'count':>7}"
        )
        done = 0
        for total in [int(s) for s in args.sizes.split(",")]:
            fill(total, done)
            done = total
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            for path in args.paths.split(","):
                for who, client in clients.items():
                    for size in (50, 200) if who == "province" else (50,):
                        ms, queries, count = measure(client, path, size)
                        print(
                            f"{total:>10}  {path:<22} {who:<13} {size:>4}  {ms:>8.1f}  {queries:>7}  {count:>7}"
                        )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
