"""How the report figures selector grows with the data: time and number of queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_bench .venv/bin/python bench/report_figures.py [1000 10000 50000]

It creates a throw-away test database (`test_<name>`), fills it in steps up to each size
(cases spread over every village; per case a household of two, an entry move and often an
advance, two aid rows; groups, activities and attendance alongside), runs
`report_figures` for one regency and for the province at each step, and drops the database.
The number of queries must stay the same at every size.
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from beneficiaries.models import (  # noqa: E402
    Activity,
    Assistance,
    Attendance,
    Case,
    Group,
    Household,
    Person,
    StageTransition,
)
from programs.models import Partner, Program  # noqa: E402
from regions.models import Village  # noqa: E402
from reports.selectors import report_figures  # noqa: E402

PERIOD = datetime.date(2024, 6, 1)
KINDS = ["food", "cash", "health", "work_tools", "working_capital"]


def moment(rnd: random.Random) -> datetime.datetime:
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rnd.randrange(200))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def region_of(village: str) -> dict:
    return {"village_id": village, "district_id": village[:8], "regency_id": village[:5]}


def fill(start: int, stop: int, villages: list[str], programme, partners: dict, rnd: random.Random) -> None:
    households = [
        Household(
            kk_number=f"{3601000000000000 + i}",
            address="Kp. Bench",
            rt="001",
            rw="001",
            **region_of(villages[i % len(villages)]),
        )  # fmt: skip
        for i in range(start, stop)
    ]
    Household.objects.bulk_create(households, batch_size=2000)
    persons = [
        Person(
            household=h,
            has_no_nik=True,
            full_name="Warga",
            sex=sex,
            relation=rel,
            birth_date=datetime.date(1990, 1, 1),
        )
        for h in households
        for sex, rel in (("L", "head"), ("P", "spouse"))
    ]
    Person.objects.bulk_create(persons, batch_size=4000)
    cases = [
        Case(household=h, opened_on=datetime.date(2024, 1, 1), **region_of(h.village_id)) for h in households
    ]
    Case.objects.bulk_create(cases, batch_size=2000)
    moves, aid = [], []
    for case in cases:
        when = moment(rnd)
        moves.append(StageTransition(case=case, kind="entry", to="1", state="applied", proposed_at=when,
                                     decided_at=when, **region_of(case.village_id)))  # fmt: skip
        if rnd.random() < 0.5:
            later = when + datetime.timedelta(days=rnd.randrange(1, 90))
            moves.append(StageTransition(case=case, kind="advance", from_position="1", to="2", state="applied",
                                         proposed_at=later, decided_at=later, **region_of(case.village_id)))  # fmt: skip
        for _ in range(2):
            aid.append(Assistance(case=case, kind=rnd.choice(KINDS), program=programme, amount=250_000,
                                  delivered_on=moment(rnd).date(), **region_of(case.village_id)))  # fmt: skip
    StageTransition.objects.bulk_create(moves, batch_size=4000)
    Assistance.objects.bulk_create(aid, batch_size=4000)
    side_rows(start, stop, villages, partners, persons, rnd)


def side_rows(start, stop, villages, partners, persons, rnd) -> None:
    groups, activities = [], []
    for i in range(start // 10, stop // 10):
        village = villages[i % len(villages)]
        groups.append(
            Group(name=f"KUBE {i}", sector="culinary", formed_on=moment(rnd).date(), **region_of(village))
        )
        activities.append(Activity(partner=partners[village], topic="culinary", title="Tata boga",
                                   held_on=moment(rnd).date(), **region_of(village)))  # fmt: skip
    Group.objects.bulk_create(groups, batch_size=2000)
    Activity.objects.bulk_create(activities, batch_size=2000)
    women = {p.household.village_id: p for p in persons if p.sex == "P"}
    Attendance.objects.bulk_create(
        [Attendance(activity=a, person=women[a.village_id]) for a in activities if a.village_id in women],
        ignore_conflicts=True,
    )


def analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them on a live database: right after a
    bulk load PostgreSQL still believes the tables empty and picks nested loops."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(region: str) -> tuple[float, int]:
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        report_figures(region_code=region, period=PERIOD)
    return time.perf_counter() - started, len(ctx.captured_queries)


def main(sizes: list[int]) -> None:
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rnd = random.Random(5)
        villages = list(Village.objects.values_list("code", flat=True))
        programme = Program.objects.create(name="Bench", agency="dinsos", starts_on=datetime.date(2020, 1, 1))
        partners = {v: Partner(name="PKK", kind="pkk", region_code=v) for v in villages}
        Partner.objects.bulk_create(partners.values())
        print(f"database {connection.vendor} {name}")
        print(
            f"{'cases':>8} {'moves':>8} {'aid':>8} | {'regency s':>9} {'q':>3} | {'province s':>10} {'q':>3}"
        )
        done = 0
        for size in sizes:
            fill(done, size, villages, programme, partners, rnd)
            done = size
            analyze()
            reg_s, reg_q = measure("36.02")
            prov_s, prov_q = measure("36")
            print(f"{Case.objects.count():>8} {StageTransition.objects.count():>8} {Assistance.objects.count():>8} | "
                  f"{reg_s:>9.3f} {reg_q:>3} | {prov_s:>10.3f} {prov_q:>3}")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000])
