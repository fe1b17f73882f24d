"""Posyandu growth monitoring at province size, written with COPY on a filled database
(`bench/province.py fill-growth`, after `fill`).

Banten weighs about 800,000 toddlers a month (Kurtimbang, July 2024), so a year is about
10,000,000 measurements. The main fill's households have few children under five (its ages
follow the heads'), so this step adds toddler persons (relation child, a NIK of the
household's district and birth date) to random households until `scale` x 800,000 persons
are under 60 months today, then weighs every one of them in each of the twelve complete
months before today (3 % of the weighings missed), and opens a follow-up for the children a
measurement calls for.

Rows are what `beneficiaries.services.growth` writes: the age in completed months, lying
under 24 months and standing from 24, heights and weights read off the WHO curves
(`beneficiaries.growth.who`) at the child's own z-scores (about one child in ten on a
stunted path, one in eight through a wasting episode of two to four months), the stored
z-scores those, to two decimals, with their statuses, growth signs (B, N, T, O) and 2T,
`last_of_month` true (one weighing a month), the posyandu of the village, and the village,
district and regency codes of the household on the row. The measurement table's secondary
indexes are dropped while COPY runs and rebuilt after.
"""

import datetime
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from bench.generator import FEMALE, MALE, SECOND, WIB, drop_secondary, recreate, reset_sequences

TODDLERS_AT_1 = 800_000
MONTHS = 12
MISSED = 0.03
STUNTED, WASTED = 0.10, 0.12
FLUSH_ROWS = 400_000
NIK_SERIAL = 5000  # the main fill's serials per NIK prefix stay far below this

PERSON = (
    "id household_id nik has_no_nik full_name sex birth_date relation is_female_head has_disability "
    "nik_outside_banten created_at updated_at created_by_id left_on left_reason left_note version"
)
MEASUREMENT = (
    "id created_at updated_at measured_on weight_kg height_cm position muac_cm head_cm age_months haz waz "
    "whz whz_note haz_status waz_status whz_status growth_sign two_t last_of_month flagged flags "
    "village_id district_id regency_id person_id posyandu_id recorded_by_id"
)
FOLLOWUP = (
    "id created_at updated_at opened_on reasons status closed_on close_reason close_note closed_by_id "
    "village_id district_id regency_id person_id opened_by_id opening_measurement_id"
)
TABLES = {
    "beneficiaries_person": PERSON,
    "beneficiaries_measurement": MEASUREMENT,
    "beneficiaries_growthfollowup": FOLLOWUP,
}
ANALYZED = [*TABLES, "beneficiaries_growthmonth"]


def months_before(day: datetime.date, n: int) -> list[datetime.date]:
    """The first days of the n complete months before `day`'s month, oldest first."""
    first = day.replace(day=1)
    out = []
    for _ in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        out.append(first)
    return out[::-1]


def age_months(birth: datetime.date, on: datetime.date) -> int:
    return (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)


class GrowthGenerator:
    def __init__(self, *, scale: float, seed: int = 12) -> None:
        from beneficiaries.growth import who

        self.who = who
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.months = months_before(self.today, MONTHS)
        self.rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
        self.written = dict.fromkeys(TABLES, 0)
        self.serials: dict[str, int] = {}
        tables = who.tables()
        self.by_age = tables.by_age
        self.lengths: dict[tuple[str, str, int], object] = {}

    def run(self) -> dict[str, int]:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM beneficiaries_measurement LIMIT 1")
            if cursor.fetchone():
                raise SystemExit("beneficiaries_measurement has rows already: run `fill` first, then this once.")
            cursor.execute(
                "SELECT region_code, id FROM programs_partner WHERE kind = 'posyandu' ORDER BY id DESC"
            )
            self.posyandu = dict(cursor.fetchall())
            cursor.execute("SELECT region_code, id FROM regions_user WHERE region_code LIKE '__.__.__.____'")
            self.head = dict(cursor.fetchall())
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM beneficiaries_person")
            self.next_person = cursor.fetchone()[0] + 1
            youngest = self.months[0] - datetime.timedelta(days=5 * 366 + 31)
            cursor.execute(
                """SELECT p.id, p.sex, p.birth_date, p.left_on, h.village_id, h.district_id, h.regency_id
                   FROM beneficiaries_person p JOIN beneficiaries_household h ON h.id = p.household_id
                   WHERE p.birth_date > %s ORDER BY p.id""",
                [youngest],
            )
            toddlers = cursor.fetchall()
            cursor.execute("SELECT id, village_id, district_id, regency_id FROM beneficiaries_household ORDER BY id")
            households = cursor.fetchall()
        five_years_ago = self.today.replace(year=self.today.year - 5)
        under_five = sum(1 for t in toddlers if t[2] > five_years_ago and t[3] is None)
        wanted = round(TODDLERS_AT_1 * self.scale) - under_five
        print(f"  {under_five:,} persons under 60 months already; adding {max(wanted, 0):,}", flush=True)
        toddlers += self.add_toddlers(households, max(wanted, 0))
        self.flush()  # the persons into their indexed table (a few hundred thousand rows)
        dropped = drop_secondary(["beneficiaries_measurement", "beneficiaries_growthfollowup"])
        print(f"  toddlers added ({time.perf_counter() - started:.0f} s)", flush=True)
        self.next_measurement = 1
        self.next_followup = 1
        for n, toddler in enumerate(toddlers, 1):
            self.weigh(toddler)
            if len(self.rows["beneficiaries_measurement"]) >= FLUSH_ROWS:
                self.flush()
                print(f"  {self.written['beneficiaries_measurement']:>11,} measurements, {n:,} children "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
        self.flush()
        print(f"rows copied in {time.perf_counter() - started:.0f} s; indexes next", flush=True)
        recreate(dropped)
        reset_sequences(list(TABLES))
        print(f"indexes rebuilt in {time.perf_counter() - started:.0f} s; growth village-months next", flush=True)
        from beneficiaries import growth_tally

        # COPY bypasses the service that keeps them; the refresh ends by closing the ended months
        months = growth_tally.refresh()
        print(f"{months:,} growth village-months, ended months closed, in {time.perf_counter() - started:.0f} s; ANALYZE next", flush=True)
        with connection.cursor() as cursor:
            for table in ANALYZED:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM beneficiaries_person WHERE birth_date > %s AND left_on IS NULL",
                [five_years_ago],
            )
            result = {"toddlers (under 60 months today)": cursor.fetchone()[0]}
            for table in TABLES:
                cursor.execute(f"SELECT count(*) FROM {table}")
                result[table] = cursor.fetchone()[0]
        return result

    # ---- rows ---------------------------------------------------------------------------------

    def add_toddlers(self, households: list[tuple], n: int) -> list[tuple]:
        rng, added = self.rng, []
        for _ in range(n):
            hh, village, district, regency = households[rng.randrange(len(households))]
            pid = self.next_person
            self.next_person += 1
            sex = rng.choice("LP")
            birth = self.today - datetime.timedelta(days=rng.randint(10, 5 * 365 - 2))
            day = birth.day + (40 if sex == "P" else 0)
            prefix = f"{district.replace('.', '')[:6]}{day:02d}{birth:%m%y}"
            serial = self.serials[prefix] = self.serials.get(prefix, NIK_SERIAL) + 1
            name = f"{rng.choice(MALE if sex == 'L' else FEMALE)} {rng.choice(SECOND)}"
            created = timezone.make_aware(datetime.datetime.combine(birth, datetime.time(9)))
            self.rows["beneficiaries_person"].append(
                (pid, hh, f"{prefix}{serial:04d}", False, name, sex, birth, "child", False, False, False,
                 created, created, self.head.get(village), None, "", "", 1)  # fmt: skip
            )
            added.append((pid, sex, birth, None, village, district, regency))
        return added

    def weigh(self, toddler: tuple) -> None:
        pid, sex, birth, left_on, village, district, regency = toddler
        rng, who = self.rng, self.who
        stunted = rng.random() < STUNTED
        haz = rng.gauss(-2.6, 0.35) if stunted else rng.gauss(-0.4, 0.8)
        base_whz = rng.gauss(-0.2, 0.7)
        episode = rng.randint(0, MONTHS - 2) if rng.random() < WASTED else -99
        length = rng.randint(2, 4)
        posyandu, user = self.posyandu.get(village), self.head.get(village)
        previous: tuple | None = None  # (month index, weight, sign)
        first = True
        followup = False
        for i, month in enumerate(self.months):
            haz += rng.gauss(0, 0.06)
            whz = rng.gauss(-2.5, 0.3) if episode <= i < episode + length else base_whz + rng.gauss(0, 0.2)
            if rng.random() < MISSED:
                continue
            day = month + datetime.timedelta(days=rng.randint(4, 20))
            if day < birth or (left_on is not None and day > left_on):
                continue
            age = age_months(birth, day)
            if age >= 60:
                continue
            position = "lying" if age < 24 else "standing"
            height_lms = self.by_age[("lhfa", sex, age, "length" if age < 24 else "height")]
            height = round(min(max(height_lms.at(haz), 45.0), 125.0), 1)
            row = self.for_length("wfl" if age < 24 else "wfh", sex, round(height * 10))
            wfa = self.by_age[("wfa", sex, age, "")]
            weight = round(min(max(row.at(whz) if row else wfa.at(whz), 1.0), 39.0), 1)
            waz = wfa.restricted_z(weight)
            whz_value = round(whz, 2) if row else None
            haz_value = round(haz, 2)
            if previous is None:
                sign = "B" if first else "O"
            elif previous[0] != i - 1:
                sign = "O"
            else:
                sign = "N" if weight > previous[1] else "T"
            twice = previous is not None and previous[0] == i - 1 and previous[2] == "T" and sign == "T"
            first = False
            previous = (i, weight, sign)
            mid = self.next_measurement
            self.next_measurement += 1
            moment = datetime.datetime.combine(day, datetime.time(9, i), tzinfo=WIB)
            haz_st = who.haz_status(haz_value)
            whz_st = who.whz_status(whz_value) if whz_value is not None else ""
            waz_st = who.waz_status(round(waz, 2))
            self.rows["beneficiaries_measurement"].append(
                (mid, moment, moment, day, weight, height, position, None, None, age, haz_value, round(waz, 2),
                 whz_value, "" if row else "Di luar rentang tabel WHO.", haz_st, waz_st, whz_st, sign, twice,
                 True, False, "", village, district, regency, pid, posyandu, user)  # fmt: skip
            )
            reasons = [r for r, on in (("stunted", haz_st in ("stunted", "severely_stunted")),
                                       ("wasted", whz_st in ("wasted", "severely_wasted")),
                                       ("severely_underweight", waz_st == "severely_underweight"),
                                       ("two_t", twice)) if on]  # fmt: skip
            if reasons and not followup:
                followup = True
                fid = self.next_followup
                self.next_followup += 1
                self.rows["beneficiaries_growthfollowup"].append(
                    (fid, moment, moment, day, ",".join(reasons), "open", None, "", "", None,
                     village, district, regency, pid, user, mid)  # fmt: skip
                )

    def for_length(self, indicator: str, sex: str, mm: int):
        """`who.lms_for_length` on a length in mm, remembered (the same few thousand lengths)."""
        key = (indicator, sex, mm)
        if key not in self.lengths:
            self.lengths[key] = self.who.lms_for_length(indicator, sex, Decimal(mm) / 10)  # type: ignore[arg-type]
        return self.lengths[key]

    def flush(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            for table, rows in self.rows.items():
                if not rows:
                    continue
                columns = ", ".join(f'"{c}"' for c in TABLES[table].split())
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                self.written[table] += len(rows)
                rows.clear()
