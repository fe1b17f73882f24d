"""A province-size Banten in PostgreSQL, filled with COPY, and the measurements run against it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/banten_province \\
        .venv/bin/python bench/province.py fill [--scale 1.0]
    DATABASE_URL=... .venv/bin/python bench/province.py fill-growth [--scale 1.0]
    DATABASE_URL=... .venv/bin/python bench/province.py measure [--only report,import,writes,load,search]

`fill` drops and recreates the database named in DATABASE_URL, migrates it (which loads the
1,551 villages), and writes `scale` x the province: at 1.0 about 300,000 households,
1,000,000 persons, 600,000 cases, 1,100,000 moves, 2,000,000 aid rows over the two years
before today, groups, memberships, enterprises, capital access, activities and attendance,
plus users for the load test (see `bench/generator.py` for what the rows look like and why
they are valid). `measure` imports whichever `bench/measure_*.py` modules exist and prints
one table: measure, value, goal, verdict.
"""

import argparse
import importlib
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banten_pm.settings")

MEASURES = ["report", "import", "writes", "load", "search", "growth"]


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/banten_province")
    return url


def recreate_database(url: str) -> None:
    """DROP and CREATE the database of `url`, connected to the server's `postgres` database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def fill(scale: float) -> None:
    recreate_database(database_url())
    import django

    django.setup()
    from django.core.management import call_command

    from bench.generator import Generator

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.0f} s")
    counts = Generator(scale=scale).run()
    print(f"filled in {time.perf_counter() - started:.0f} s")
    for table, n in counts.items():
        print(f"  {table:<40} {n:>10,}")


def fill_growth(scale: float) -> None:
    """Toddlers and a year of posyandu measurements on a database `fill` made (bench/generator_growth.py)."""
    database_url()
    import django

    django.setup()
    from django.core.management import call_command

    from bench.generator_growth import GrowthGenerator

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    counts = GrowthGenerator(scale=scale).run()
    print(f"growth filled in {time.perf_counter() - started:.0f} s")
    for table, n in counts.items():
        print(f"  {table:<40} {n:>10,}")


def measure(only: list[str], scale: float) -> None:
    database_url()
    import django

    django.setup()
    rows = []
    for name in only:
        try:
            module = importlib.import_module(f"bench.measure_{name}")
        except ModuleNotFoundError as e:
            if e.name != f"bench.measure_{name}":
                raise
            print(f"(bench/measure_{name}.py not there: skipped)")
            continue
        rows += module.run(scale=scale)
    print_table(rows)


def print_table(rows: list[dict]) -> None:
    verdict = {True: "ok", False: "FAIL", None: "-"}
    widths = [max([len(h)] + [len(str(r[k])) for r in rows]) for h, k in
              (("measure", "what"), ("value", "value"), ("goal", "goal"))]  # fmt: skip
    line = f"{{:<{widths[0]}}}  {{:>{widths[1]}}}  {{:<{widths[2]}}}  {{}}"
    print(line.format("measure", "value", "goal", "verdict"))
    for r in rows:
        print(line.format(r["what"], r["value"], r["goal"], verdict[r["ok"]]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_fill = sub.add_parser("fill", help="drop, create, migrate and fill the database")
    p_fill.add_argument("--scale", type=float, default=1.0, help="x province size (0.05 for development)")
    p_growth = sub.add_parser("fill-growth", help="add toddlers and a year of measurements to a filled database")
    p_growth.add_argument("--scale", type=float, default=1.0, help="x 800,000 toddlers")
    p_measure = sub.add_parser("measure", help="run the measurement modules and print one table")
    p_measure.add_argument("--only", default=",".join(MEASURES), help="comma-separated: " + ",".join(MEASURES))
    p_measure.add_argument("--scale", type=float, default=1.0, help="the scale the database was filled at")
    args = parser.parse_args()
    if args.command == "fill":
        fill(args.scale)
    elif args.command == "fill-growth":
        fill_growth(args.scale)
    else:
        measure([m.strip() for m in args.only.split(",") if m.strip()], args.scale)


if __name__ == "__main__":
    main()
