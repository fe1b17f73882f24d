"""Time seed_demo, then grow the province's data in bulk and time the report aggregates.

    .venv/bin/python bench/seed_scale.py                                   # SQLite in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_bench .venv/bin/python bench/seed_scale.py \
        --sizes 10000,100000,300000

It creates a throwaway test database (test_<name>), runs `seed_demo` (the service path: every
row validated, history written) and prints its time, then grows the tables with bulk_create
to each size: households spread over all 1,551 villages with valid members (NIK consistent
with sex and birth date), cases at every stage and state with their moves, and a year of
assistance of every kind. After each size it prints the insert rate and the time and query
count of the monthly report figures (province and one regency) and of the admin's
cases-by-stage table.
"""

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 2000
KINDS = ["food"] * 4 + ["cash", "health", "education", "housing", "work_tools", "raw_materials",
                        "working_capital", "training"]  # fmt: skip
# (status, stage, exit reason) and how often
POSITIONS = [(("active", "1", ""), 40), (("active", "2", ""), 25), (("active", "3", ""), 12),
             (("graduated", "3", ""), 8), *((("exited", "1", r), 3) for r in
                                            ("moved", "deceased", "declined", "ineligible", "duplicate"))]  # fmt: skip
PATH = {"1": [], "2": [("advance", "1", "2")], "3": [("advance", "1", "2"), ("advance", "2", "3")]}


class Filler:
    """Bulk rows that obey the rules the services enforce, so the aggregates see real shapes."""

    def __init__(self) -> None:
        from programs.models import Program
        from regions.models import Village

        self.rng = random.Random(36)
        self.villages = list(Village.objects.filter(is_active=True).values_list("code", flat=True))
        self.program = Program.objects.order_by("pk").first()
        self.today = timezone.localdate()
        self.nik_serials: dict[str, int] = {}

    def nik(self, village: str, birth: datetime.date, sex: str) -> str:
        prefix = f"{village.replace('.', '')[:6]}{birth.day + (40 if sex == 'P' else 0):02d}{birth:%m%y}"
        # From 5000 on: seed_demo's serials stay below it.
        serial = self.nik_serials[prefix] = self.nik_serials.get(prefix, 5000) + 1
        return f"{prefix}{serial:04d}"

    def fill(self, start: int, total: int) -> None:
        for lo in range(start, total, BATCH):
            with transaction.atomic():
                self.batch(range(lo, min(total, lo + BATCH)))

    def batch(self, serials: range) -> None:
        from beneficiaries.models import Assistance, Case, Household, Person, StageTransition

        rng, now = self.rng, timezone.now()
        homes = [self.household(n) for n in serials]
        Household.objects.bulk_create(homes)
        Person.objects.bulk_create(p for h in homes for p in self.members(h))
        cases, moves, aid = [], [], []
        for home in homes[: int(len(homes) * 0.9)]:
            (status, stage, reason) = rng.choices(*zip(*POSITIONS, strict=True))[0]
            opened = self.today - datetime.timedelta(days=rng.randint(20, 360))
            closed = opened + datetime.timedelta(days=rng.randint(0, (self.today - opened).days))
            cases.append(Case(household=home, **codes(home), program=self.program, stage=stage, status=status,
                              opened_on=opened, closed_on=None if status == "active" else closed,
                              exit_reason=reason))  # fmt: skip
        Case.objects.bulk_create(cases)
        for case in cases:
            steps = [("entry", "", "1"), *PATH[case.stage]]
            if case.status != "active":
                steps.append(("graduate" if case.status == "graduated" else "exit", case.stage, case.status))
            moves += [StageTransition(case=case, **codes(case), kind=k, from_position=f, to=t, state="applied",
                                      exit_reason=case.exit_reason if k == "exit" else "",
                                      proposed_at=now, decided_at=now) for k, f, t in steps]  # fmt: skip
            last = case.closed_on or self.today
            for _ in range(rng.randint(1, 4)):
                day = case.opened_on + datetime.timedelta(days=rng.randint(0, (last - case.opened_on).days))
                aid.append(Assistance(case=case, **codes(case), kind=rng.choice(KINDS), program=self.program,
                                      delivered_on=day, amount=rng.randint(4, 60) * 25_000))  # fmt: skip
        StageTransition.objects.bulk_create(moves)
        Assistance.objects.bulk_create(aid)

    def household(self, n: int):
        from beneficiaries.models import Household

        village = self.villages[n * 7919 % len(self.villages)]
        # The middle six digits start with 00: never a seed_demo KK (an issue date there).
        kk = f"{village.replace('.', '')[:6]}{n // 9999:06d}{n % 9999 + 1:04d}"
        return Household(kk_number=kk, **codes_of(village), address=f"Kp. Bench {n}", rt="001", rw="001",
                         desil=self.rng.randint(1, 10))  # fmt: skip

    def members(self, home):
        from beneficiaries.models import Person

        rng = self.rng
        head_sex = "P" if rng.random() < 0.12 else "L"
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 17000))
        people = [(head_sex, born, "head")]
        if head_sex == "L" and rng.random() < 0.9:
            people.append(("P", born + datetime.timedelta(days=rng.randint(-1000, 3000)), "spouse"))
        for _ in range(rng.choice([0, 1, 2, 2, 3])):
            child = born + datetime.timedelta(days=rng.randint(7300, 12000))
            people.append((rng.choice("LP"), min(child, self.today), "child"))
        return [
            Person(household=home, nik=self.nik(home.village_id, b, s), full_name="Warga Bench", sex=s,
                   birth_date=b, relation=r, is_female_head=r == "head" and s == "P")
            for s, b, r in people
        ]  # fmt: skip


def codes(row) -> dict:
    return {"village_id": row.village_id, "district_id": row.district_id, "regency_id": row.regency_id}


def codes_of(village: str) -> dict:
    return {"village_id": village, "district_id": village[:8], "regency_id": village[:5]}


def timed(label: str, fn) -> None:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - started
    print(f"    {label:<38} {elapsed * 1000:>9.0f} ms  {len(captured):>4} queries")


def measure() -> None:
    from beneficiaries.selectors import cases_by_stage_per_regency
    from regions.models import User
    from reports.selectors import previous_period, report_figures

    period = previous_period()
    province = User.objects.get(username="provinsi")
    timed("report figures, province", lambda: report_figures(region_code="36", period=period))
    timed("report figures, Kab. Pandeglang", lambda: report_figures(region_code="36.01", period=period))
    timed("cases by stage per regency", lambda: cases_by_stage_per_regency(province))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="2000,20000", help="household counts to grow to, comma-separated")
    args = parser.parse_args()

    # DEBUG off: no query log while filling; CaptureQueriesContext turns it on for what it times.
    setup_test_environment(debug=False)
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({name})")
        started = time.perf_counter()
        call_command("seed_demo", force=True, stdout=io.StringIO())
        print(f"seed_demo through the services: {time.perf_counter() - started:.1f} s")
        filler, done = Filler(), 0
        from beneficiaries.models import Assistance, Case, Household, Person

        for total in [int(s) for s in args.sizes.split(",")]:
            started = time.perf_counter()
            filler.fill(done, total)
            elapsed, done = time.perf_counter() - started, total
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            counts = {m.__name__: m.objects.count() for m in (Household, Person, Case, Assistance)}
            print(f"{total:>8} bench households in {elapsed:.1f} s: {counts}")
            measure()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
