"""The household import against a raw COPY of the same rows (issue 10).

    .venv/bin/python bench/measure_import.py [--persons 1000000] [--repeat 3] [--mode partial] [--no-floor]

It (re)creates its own PostgreSQL database, `import_speed_db` (IMPORT_BENCH_DATABASE_URL to
point elsewhere; never `banten_province`), migrates it (the Banten villages come with the
migrations), and writes a realistic CSV of `--persons` persons in households of one to six
over every active village, with valid NIKs and KKs (the builders of bench/seed_scale.py) and
a handful of deliberately bad rows. Then, each the median of `--repeat` runs:

- (a) a raw `COPY` of the same CSV into an unindexed scratch table of text columns;
- (b) the real import, `manage.py import_households FILE --partial` (or `--mode commit` on
  the file without the bad rows), in a child process, into empty household tables: every row
  validated, households, persons and their history written. Its peak RSS is the child's
  (`os.wait4`).

- (c) the floor: the rows the import wrote, copied out and COPYed back into the emptied
  tables in one transaction, with every index, constraint and foreign-key check: what
  PostgreSQL alone spends on these rows, whatever the import does in Python. Its rate
  against (a) is the highest ratio any import writing these tables could reach.

The three run one after the other in each repetition, so that a load that changes meanwhile
weighs on all of them. It prints the rates, the ratio (goal: at least 0.3), the floor's, the
import's peak memory (goal: at most 500 MB), and checks after each run that the database
holds what the import said it wrote.
`run(scale=...)` is the entry point of `bench/province.py measure` (1.0 = 1,000,000 persons).
"""

import argparse
import csv
import datetime
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/import_speed_db"
HEADER = ["NO_KK", "KODE_WILAYAH", "ALAMAT", "RT", "RW", "DESIL", "NIK", "NAMA", "JENIS_KELAMIN",
          "TANGGAL_LAHIR", "HUBUNGAN"]  # fmt: skip
NAMES = ["Siti", "Ahmad", "Nur", "Dedi", "Euis", "Asep", "Ujang", "Neng", "Rina", "Budi", "Iwan", "Yayah",
         "Entin", "Ade", "Dewi", "Agus", "Wati", "Ujang", "Lilis", "Hendra"]  # fmt: skip
FAMILY = ["Hidayat", "Suryana", "Rohman", "Sukmawati", "Maulana", "Nurjanah", "Saputra", "Fauzi"]
RELATION = {"head": "KEPALA KELUARGA", "spouse": "ISTRI", "child": "ANAK"}
GOAL_RATIO, GOAL_RSS_MB = 0.3, 500
TODAY = datetime.date(2026, 1, 1)  # births before it: a generated NIK is never in the future


def database_url() -> str:
    url = os.environ.get("IMPORT_BENCH_DATABASE_URL", DEFAULT_URL)
    if urlsplit(url).path.strip("/") == "banten_province":
        raise SystemExit("measure_import drops and refills its database: never banten_province.")
    return url


def admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def db_name(url: str) -> str:
    return urlsplit(url).path.strip("/")


# ---------------------------------------------------------------- the database


def manage(url: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "b" * 50, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def create_database(url: str) -> None:
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name(url)}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name(url)}"')
    done = manage(url, "migrate", "--noinput")
    if done.returncode:
        raise SystemExit(f"migrate failed:\n{done.stdout}\n{done.stderr}")
    code = (
        "from django.contrib.auth.models import Group; from regions.models import User; "
        "from regions.roles import role_group_name; "
        "u = User.objects.create(username='bench-import', role='province', region_code='36', is_staff=True); "
        "u.groups.set([Group.objects.get(name=role_group_name('province'))])"
    )
    done = manage(url, "shell", "-c", code)
    if done.returncode:
        raise SystemExit(f"creating the importing user failed:\n{done.stderr}")


def empty_household_tables(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE beneficiaries_person, beneficiaries_household, beneficiaries_historicalperson, "
            "beneficiaries_historicalhousehold, beneficiaries_importrun RESTART IDENTITY CASCADE"
        )
        conn.execute("VACUUM ANALYZE")


def villages(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT code FROM regions_village WHERE is_active ORDER BY code").fetchall()
    return [code for (code,) in rows]


# ---------------------------------------------------------------- the file


class Generator:
    """Households like bench/seed_scale.py's Filler builds them, as the lists' CSV rows."""

    def __init__(self, village_codes: list[str]) -> None:
        self.rng = random.Random(36)
        self.villages = village_codes
        self.nik_serials: dict[str, int] = {}

    def nik(self, village: str, birth: datetime.date, sex: str) -> str:
        prefix = f"{village.replace('.', '')[:6]}{birth.day + (40 if sex == 'P' else 0):02d}{birth:%m%y}"
        serial = self.nik_serials[prefix] = self.nik_serials.get(prefix, 0) + 1
        return f"{prefix}{serial:04d}"

    def household(self, n: int) -> list[list[str]]:
        rng = self.rng
        village = self.villages[n * 7919 % len(self.villages)]
        kk = f"{village.replace('.', '')[:6]}{n // 9999:06d}{n % 9999 + 1:04d}"
        home = [kk, village, f"Kp. {FAMILY[n % len(FAMILY)]} No. {n % 200 + 1}", f"{rng.randint(1, 12):03d}",
                f"{rng.randint(1, 8):03d}", str(rng.randint(1, 10))]  # fmt: skip
        head_sex = "P" if rng.random() < 0.12 else "L"
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 17000))
        people = [(head_sex, born, "head")]
        if head_sex == "L" and rng.random() < 0.9:
            people.append(("P", born + datetime.timedelta(days=rng.randint(-1000, 3000)), "spouse"))
        for _ in range(rng.choice([0, 1, 2, 2, 3])):
            child = born + datetime.timedelta(days=rng.randint(7300, 12000))
            people.append((rng.choice("LP"), min(child, TODAY), "child"))
        return [
            [*home, self.nik(village, b, s), f"{rng.choice(NAMES)} {rng.choice(FAMILY)}", s,
             b.strftime("%d-%m-%Y"), RELATION[r]]
            for s, b, r in people
        ]  # fmt: skip


def spoil(rows: list[list[str]], kind: int) -> None:
    """One deliberate fault a household, of five kinds the validators must catch."""
    if kind == 0:
        rows[0][6] = rows[0][6][:12]  # NIK too short
    elif kind == 1:
        rows[0][8] = "P" if rows[0][8] == "L" else "L"  # sex against the NIK
    elif kind == 2:
        for row in rows:
            row[1] = "36.01.01.2999"  # no such village
    elif kind == 3:
        for row in rows:
            row[5] = "11"  # desil
    else:
        rows[0][10] = "TETANGGA"  # relation unknown: and so no head


def write_csv(path: Path, village_codes: list[str], persons: int, *, bad_every: int | None) -> dict:
    """`persons` rows (the last household may overshoot by a few); with `bad_every`, one
    household in that many carries a fault."""
    generator = Generator(village_codes)
    counts = {"persons": 0, "households": 0, "bad_households": 0, "bad_persons": 0}
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        n = 0
        while counts["persons"] < persons:
            rows = generator.household(n)
            if bad_every and n % bad_every == bad_every // 2:
                spoil(rows, counts["bad_households"] % 5)
                counts["bad_households"] += 1
                counts["bad_persons"] += len(rows)
            writer.writerows(rows)
            counts["persons"] += len(rows)
            counts["households"] += 1
            n += 1
    return counts


# ---------------------------------------------------------------- the two timings


def raw_copy(url: str, path: Path) -> float:
    """Seconds to COPY the file into an unindexed scratch table of text columns."""
    columns = ", ".join(f"{c.lower()} text" for c in HEADER)
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_import_scratch")
        conn.execute(f"CREATE TABLE bench_import_scratch ({columns})")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor, path.open("rb") as source:
            with cursor.copy("COPY bench_import_scratch FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_import_scratch")
        conn.commit()
    return elapsed


def real_import(url: str, path: Path, mode: str, storage: Path) -> tuple[float, float, float, str]:
    """(seconds, peak RSS in MB, CPU seconds, the command's output) of `manage.py
    import_households`, in a child process of its own."""
    flags = ["--partial"] if mode == "partial" else []
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "b" * 50,
           "IMPORT_MAX_BYTES": str(max(path.stat().st_size + 1, 50 * 1024 * 1024)),
           "IMPORT_STORAGE_DIR": str(storage), "REDIS_URL": ""}  # fmt: skip
    command = [sys.executable, "manage.py", "import_households", str(path), "--user", "bench-import", *flags]
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if child.returncode:
        raise SystemExit(f"the import exited {child.returncode}:\n{output[-3000:]}")
    # ru_maxrss is in KiB on Linux
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, output


WRITTEN_TABLES = ("beneficiaries_household", "beneficiaries_person", "beneficiaries_historicalhousehold",
                  "beneficiaries_historicalperson")  # fmt: skip


def floor(url: str, tmp: Path) -> float:
    """Seconds PostgreSQL alone needs for what the import wrote: its rows of the four tables
    copied out, the tables emptied, and the same rows COPYed back in one transaction, with
    every index, constraint and foreign-key check the import meets. No Python, no validation:
    what any import of these rows spends in the database at least."""
    files = {table: tmp / f"{table}.copy" for table in WRITTEN_TABLES}
    with psycopg.connect(url, autocommit=True) as conn:
        for table, path in files.items():
            with path.open("wb") as out, conn.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    out.write(chunk)
        conn.execute(f"TRUNCATE {', '.join(WRITTEN_TABLES)} CASCADE")
        conn.execute("VACUUM ANALYZE")
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        for table, path in files.items():
            with conn.cursor().copy(f"COPY {table} FROM STDIN") as copy, path.open("rb") as source:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
        conn.commit()
        elapsed = time.perf_counter() - started
    for path in files.values():
        path.unlink()
    return elapsed


def written(url: str) -> dict[str, int]:
    tables = {"households": "beneficiaries_household", "persons": "beneficiaries_person",
              "household history": "beneficiaries_historicalhousehold",
              "person history": "beneficiaries_historicalperson"}  # fmt: skip
    with psycopg.connect(url) as conn:
        return {k: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for k, t in tables.items()}  # type: ignore[index]


# ---------------------------------------------------------------- the measure


def measure(
    persons: int, *, repeat: int = 3, mode: str = "partial", verbose: bool = False, with_floor: bool = True
) -> list[dict]:
    url = database_url()
    create_database(url)
    with tempfile.TemporaryDirectory(prefix="measure-import-") as tmp:
        path = Path(tmp) / "p3ke.csv"
        bad_every = max(persons // 30, 50) if mode == "partial" else None  # about ten bad households
        counts = write_csv(path, villages(url), persons, bad_every=bad_every)
        rows = counts["persons"]
        if verbose:
            print(f"file: {rows} persons, {counts['households']} households, "
                  f"{counts['bad_households']} bad households ({counts['bad_persons']} rows), "
                  f"{path.stat().st_size / 1e6:.0f} MB")  # fmt: skip
        # Each run a raw COPY, then the import, then (unless --no-floor) the database floor,
        # one after the other: a load that changes during the measure weighs on all three.
        copies, imports, peaks, cpus, floors, loads = [], [], [], [], [], []
        for _ in range(repeat):
            loads.append(os.getloadavg()[0])
            copies.append(raw_copy(url, path))
            empty_household_tables(url)
            seconds, peak, cpu, output = real_import(url, path, mode, Path(tmp) / "storage")
            imports.append(seconds)
            peaks.append(peak)
            cpus.append(cpu)
            if verbose:
                print(output.strip())
            found = written(url)
            expected = counts["persons"] - counts["bad_persons"]
            if found["persons"] != expected or found["person history"] != expected:
                raise SystemExit(f"the import wrote {found}, expected {expected} persons and their history")
            if with_floor:
                floors.append(floor(url, Path(tmp)))
        load = statistics.median(loads)
    copy_rate = rows / statistics.median(copies)
    import_rate = rows / statistics.median(imports)
    ratio = import_rate / copy_rate
    peak = max(peaks)
    # The ratio is measured under whatever else runs: say how busy the machine was.
    label = f"{rows:,} persons"
    floor_rows = []
    if floors:
        floor_rate = rows / statistics.median(floors)
        floor_rows = [
            {"what": "import: PostgreSQL alone, the import's rows COPYed", "value": f"{floor_rate:,.0f} rows/s",
             "goal": "", "ok": None},
            {"what": "import: that floor / raw COPY rate (the ratio's ceiling)", "value": f"{floor_rate / copy_rate:.2f}",
             "goal": "", "ok": None},
            {"what": "import: rate / that floor", "value": f"{import_rate / floor_rate:.2f}", "goal": "", "ok": None},
        ]  # fmt: skip
    return [
        {"what": f"import: raw COPY, {label}", "value": f"{copy_rate:,.0f} rows/s", "goal": "", "ok": None},
        {
            "what": f"import: import_households --{mode}, {label}",
            "value": f"{import_rate:,.0f} rows/s",
            "goal": "",
            "ok": None,
        },  # fmt: skip
        {
            "what": "import: rate / raw COPY rate",
            "value": f"{ratio:.2f}",
            "goal": f">= {GOAL_RATIO}",
            "ok": ratio >= GOAL_RATIO,
        },  # fmt: skip
        *floor_rows,
        {
            "what": "import: the import process's own CPU rate",
            "value": f"{rows / statistics.median(cpus):,.0f} rows/CPU-s",
            "goal": "",
            "ok": None,
        },
        {
            "what": "import: load average, median at each run's start",
            "value": f"{load:.1f}",
            "goal": "",
            "ok": None,
        },
        {
            "what": "import: peak RSS of the import process",
            "value": f"{peak:,.0f} MB",
            "goal": f"<= {GOAL_RSS_MB} MB",
            "ok": peak <= GOAL_RSS_MB,
        },  # fmt: skip
    ]


def run(*, scale: float) -> list[dict]:
    return measure(max(int(1_000_000 * scale), 100), repeat=1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the median is printed")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the floor: the import's rows COPYed back into the indexed tables")  # fmt: skip
    parser.add_argument("--mode", choices=["partial", "commit"], default="partial",
                        help="partial: a file with bad rows, valid households written; commit: a clean file, "
                        "all or nothing")  # fmt: skip
    parser.add_argument("-v", "--verbose", action="store_true", help="print the file and the import's report")
    args = parser.parse_args()
    rows = measure(args.persons, repeat=args.repeat, mode=args.mode, verbose=args.verbose,
                   with_floor=not args.no_floor)  # fmt: skip
    for row in rows:
        verdict = "" if row["ok"] is None else ("ok" if row["ok"] else "FAIL")
        print(f"{row['what']:<60} {row['value']:>16}  {row['goal']:<10} {verdict}")


if __name__ == "__main__":
    main()
