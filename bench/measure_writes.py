"""Registering a household of four through the service, as the forms, the admin and the API do.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_province .venv/bin/python bench/measure_writes.py

Counts the queries of one registration (goal: at most 15), then registers REGISTRATIONS
households of four, each in its own transaction as a page would, as the head of the busiest
village, and prints households per second. Every rule runs (validation, duplicate checks on
the KK and each NIK, history rows). The households it wrote are deleted afterwards, so the
province database is left as it was (their KKs use serials a fill does not: 9xxx).
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

REGISTRATIONS = 200
MAX_QUERIES = 15
FIRST_SERIAL = 9000  # KK / NIK serials 9000-9999: above what the fill hands out per day


def household_of_four(village: str, n: int) -> dict:
    """A valid KK and four members whose NIKs agree with their sex and birth date."""
    region = village.replace(".", "")[:6]
    serial = FIRST_SERIAL + n
    people = [
        ("Bench Kepala", "L", datetime.date(1980, 1, 1), "head"),
        ("Bench Istri", "P", datetime.date(1983, 2, 2), "spouse"),
        ("Bench Anak", "L", datetime.date(2008, 3, 3), "child"),
        ("Bench Anak Dua", "P", datetime.date(2012, 4, 4), "child"),
    ]
    return {
        "village": village,
        "kk_number": f"{region}010124{serial:04d}",
        "address": f"Kp. Bench {n}",
        "rt": "1",
        "rw": "1",
        "desil": n % 10 + 1,
        "members": [
            {
                "nik": nik(region, born, sex, serial),
                "full_name": f"{name} {n}",
                "sex": sex,
                "birth_date": born,
                "relation": relation,
            }
            for name, sex, born, relation in people
        ],  # fmt: skip
    }


def nik(region: str, born: datetime.date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{born:%m%y}{serial:04d}"


def remove(kks: list[str]) -> None:
    """Delete what a run wrote (households, members, both histories)."""
    from django.db import transaction

    from beneficiaries.models import Household, Person

    with transaction.atomic():
        ids = list(Household.objects.filter(kk_number__in=kks).values_list("pk", flat=True))
        Person.history.filter(household_id__in=ids).delete()
        Person.objects.filter(household_id__in=ids).delete()
        Household.history.filter(id__in=ids).delete()
        Household.objects.filter(pk__in=ids).delete()


def run(*, scale: float) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.bench_users import busiest_village, user_for
    from beneficiaries.services import register_household

    village = busiest_village()
    head = user_for("village", village)
    plans = [household_of_four(village, n) for n in range(REGISTRATIONS + 1)]
    kks = [p["kk_number"] for p in plans]
    remove(kks)  # what an interrupted run left
    try:
        with CaptureQueriesContext(connection) as captured:
            register_household(actor=head, **plans[0])
        queries = len(captured)
        started = time.perf_counter()
        for plan in plans[1:]:
            register_household(actor=head, **plan)
        seconds = time.perf_counter() - started
    finally:
        remove(kks)
    rate = REGISTRATIONS / seconds
    return [
        {"what": "writes: queries to register a household of four", "value": f"{queries}",
         "goal": f"<= {MAX_QUERIES}", "ok": queries <= MAX_QUERIES},
        {"what": f"writes: households of four registered ({REGISTRATIONS}, one transaction each)",
         "value": f"{rate:.1f}/s", "goal": "printed (was ~6/s for three members)", "ok": None},
    ]  # fmt: skip


def main() -> None:
    import django

    django.setup()
    for row in run(scale=float(os.environ.get("BENCH_SCALE", "1.0"))):
        print(f"{row['what']:<64} {row['value']:>10}  goal {row['goal']}")


if __name__ == "__main__":
    main()
