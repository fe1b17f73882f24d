"""The rows of a province-size Banten, written with COPY (bench/province.py fill).

Rows are what the services would write, not random noise, so the report, the pages and the
search see real shapes:

- households spread over the 1,551 villages in proportion to each regency's poor (Kab.
  Tangerang the largest), each with one current head, a spouse most often and children; a
  few members have left (died, moved out, married out), never the head;
- NIKs made of the district code of registration (a few outside Banten, flagged), the birth
  date with 40 added to a woman's day, and a serial unique per prefix; babies may have no NIK
  yet; KK numbers of the village's district, an issue date and a serial;
- every case follows the stage workflow (beneficiaries/services/moves.py): an entry, advances
  one stage at a time with the guards met (basic-needs aid before 1 -> 2, productive aid and
  an active group before 2 -> 3, the group in an enterprise before graduating), sometimes a
  fall-back with a reason, a refused proposal, a pending one; closed cases graduated or exited
  with a reason; a household may have several cases over time, only the last one open;
- aid of every kind over the two years before today, delivered to the head between the case's
  opening and its closing, the kinds fitting the stage; region codes (village, district,
  regency) on every row that keeps them, as `VillageRowModel.set_region_codes` sets them;
- groups of the village's households that reached stage 3, enterprises of those groups,
  capital access, PKK / posyandu / other partners' activities with attendance of current
  members;
- users: `bench-36` (province), `bench-36.01` (regencies), `bench-36.01.01` (districts),
  `bench-36.01.01.2001` (village heads), password `BENCH_PASSWORD` (default `bench-password`).

History tables (simple-history) stay empty for generated rows: the services write them one
row at a time, and no figure or page reads them except a household's timeline.
"""

import datetime
import os
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

WIB = ZoneInfo("Asia/Jakarta")
HOUSEHOLDS_AT_1 = 300_000
FLUSH_HOUSEHOLDS = 25_000
# Share of the province's poor households per regency (Susenas: people below the line).
REGENCY_WEIGHTS = {"36.01": 117, "36.02": 126, "36.03": 230, "36.04": 85, "36.71": 85, "36.72": 16,
                   "36.73": 38, "36.74": 35}  # fmt: skip
MALE = ["Ahmad", "Asep", "Ujang", "Dede", "Agus", "Budi", "Cecep", "Deden", "Eman", "Firman", "Hendra",
        "Iwan", "Jajang", "Kurnia", "Lukman", "Maman", "Nana", "Oman", "Rahmat", "Saepul", "Tatang",
        "Ucup", "Wawan", "Yayan", "Zaenal", "Muhammad", "Rudi", "Slamet", "Suhendi", "Aris", "Endang",
        "Jaenudin", "Komarudin", "Mulyadi", "Nurdin", "Sarip", "Tubagus", "Yusuf", "Rizki", "Fajar"]  # fmt: skip
FEMALE = ["Siti", "Nur", "Euis", "Iis", "Ai", "Eneng", "Neneng", "Dewi", "Sri", "Yuyun", "Lilis", "Rina",
          "Tati", "Enok", "Imas", "Kokom", "Mimin", "Nining", "Popon", "Ratna", "Sumiati", "Tini", "Wati",
          "Yati", "Aisyah", "Fatimah", "Halimah", "Maesaroh", "Nurhayati", "Rohmah", "Sarah", "Ani",
          "Dian", "Fitri", "Indah", "Juju", "Lina", "Mega", "Nia", "Putri"]  # fmt: skip
SECOND = ["Hidayat", "Saputra", "Rahmawati", "Suryana", "Kurniawan", "Permana", "Setiawan", "Nurjanah",
          "Maulana", "Hasanah", "Sobari", "Sunarya", "Mulyana", "Wahyudi", "Fauzi", "Hamdani", "Sulaeman",
          "Rohaeti", "Supriatna", "Gunawan", "Iskandar", "Jaelani", "Kosasih", "Latifah", "Marlina",
          "Nurlela", "Rosidah", "Sahroni", "Syafei", "Zakaria", "Ardiansyah", "Baihaki", "Damanhuri",
          "Efendi", "Ginanjar", "Hermawan", "Irawan", "Juhaeni", "Khaerudin", "Mursidi"]  # fmt: skip
KAMPUNG = ["Cibeureum", "Sukamaju", "Pasir", "Babakan", "Cikoneng", "Kadu", "Leuwi", "Muara", "Pabuaran",
           "Sindang", "Tegal", "Cilaban", "Sukajadi", "Gardu", "Kebon", "Lebak", "Pondok", "Rawa"]  # fmt: skip
OUTSIDE_NIK_REGIONS = ["320101", "317401", "327501", "330201", "180101"]
BASIC = ["food"] * 6 + ["cash"] * 3 + ["health", "education"] * 2 + ["housing"]
PRODUCTIVE = ["work_tools", "raw_materials", "working_capital", "training"]
STAGE_3_AID = ["working_capital", "training", "raw_materials"]
AID_AMOUNT = {"food": (150, 400), "cash": (300, 600), "health": (100, 1500), "housing": (5000, 25000),
              "education": (400, 1500), "work_tools": (1000, 6000), "raw_materials": (500, 3000),
              "working_capital": (1000, 10000), "training": (0, 500)}  # thousands of rupiah  # fmt: skip
EXIT_REASONS = (["moved", "deceased", "declined", "ineligible", "duplicate"], [25, 10, 20, 30, 15])
LEFT_REASONS = (["died", "moved_out", "married_out", "other"], [20, 40, 35, 5])
CASES_PER_HOUSEHOLD = ([0, 1, 2, 3, 4], [3, 27, 35, 23, 12])
PROGRAMS = [  # name, agency, kinds it delivers, targets women
    ("Bantuan Pangan Banten Sejahtera", "dinsos", {"food", "cash"}, False),
    ("Jaminan Kesehatan dan Pendidikan Keluarga Miskin", "dinsos", {"health", "education"}, False),
    ("Rumah Layak Huni", "dpmd", {"housing"}, False),
    ("Kemandirian Usaha Rumah Tangga", "dinkop", {"work_tools", "raw_materials", "working_capital"}, False),
    ("Perempuan Berdaya Ekonomi (Tata Boga dan Kewirausahaan)", "dp3akkb", {"training"}, True),
]


def wib(day: datetime.date, minute: int) -> datetime.datetime:
    """A moment of `day` in Jakarta, `minute` minutes after 07:00 (office hours)."""
    return datetime.datetime.combine(day, datetime.time(7), tzinfo=WIB) + datetime.timedelta(minutes=minute)


@dataclass
class Tables:
    """Rows waiting for the next COPY, per table, and the next id of each table."""

    rows: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    next_id: dict[str, int] = field(default_factory=lambda: defaultdict(lambda: 1))
    written: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)

    def new_id(self, table: str) -> int:
        n = self.next_id[table]
        self.next_id[table] = n + 1
        return n


COLUMNS = {
    "programs_partner": "id created_at updated_at name kind region_code contact is_active",
    "beneficiaries_household": "id created_at updated_at village_id district_id regency_id kk_number "
    "address rt rw desil created_by_id",
    "beneficiaries_person": "id household_id nik has_no_nik full_name sex birth_date relation is_female_head "
    "has_disability nik_outside_banten created_at updated_at created_by_id left_on left_reason left_note",
    "beneficiaries_case": "id created_at updated_at village_id district_id regency_id household_id "
    "program_id stage status opened_on closed_on exit_reason opened_by_id",
    "beneficiaries_stagetransition": "id created_at updated_at village_id district_id regency_id case_id "
    "kind from_position to state reason exit_reason evidence proposed_by_id proposed_at decided_by_id "
    "decided_at decision_note",
    "beneficiaries_assistance": "id created_at updated_at village_id district_id regency_id case_id kind "
    "program_id partner_id recipient_id delivered_on amount quantity unit note recorded_by_id",
    "beneficiaries_enterprise": "id created_at updated_at village_id district_id regency_id name legal_form "
    "nib founded_on",
    "beneficiaries_group": "id created_at updated_at village_id district_id regency_id name sector "
    "formed_on is_active enterprise_id",
    "beneficiaries_groupmembership": "id created_at updated_at group_id household_id joined_on",
    "beneficiaries_capitalaccess": "id created_at updated_at village_id district_id regency_id "
    "enterprise_id source amount status applied_on approved_on disbursed_on note",
    "beneficiaries_activity": "id created_at updated_at village_id district_id regency_id partner_id "
    "program_id topic title held_on note recorded_by_id",
    "beneficiaries_attendance": "id created_at updated_at activity_id person_id",
}


@dataclass
class CaseDraft:
    """A case as it will be written, with its applied path: [(moment, position)]."""

    id: int
    opened: datetime.date
    closed: datetime.date | None
    status: str
    path: list[tuple[datetime.datetime, str]]
    exit_reason: str = ""


class Generator:
    def __init__(self, *, scale: float, seed: int = 36) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=730)
        self.now = timezone.now().astimezone(WIB)
        self.t = Tables()
        self.serials: dict[str, int] = defaultdict(int)
        self.nib = 9120000000000

    def wib(self, day: datetime.date, minute: int) -> datetime.datetime:
        """A moment of `day` in office hours, never later than now."""
        return min(self.now, wib(day, minute))

    # ---- orchestration -------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        started = time.perf_counter()
        self.setup_reference()
        dropped = drop_secondary(list(COLUMNS))
        versioned = default_versions(list(COLUMNS))
        allocation = self.allocate()
        pending = 0
        for village in self.villages:
            self.village(village, allocation[village["code"]])
            pending += allocation[village["code"]]
            if pending >= FLUSH_HOUSEHOLDS:
                self.flush()
                pending = 0
                print(f"  {self.t.written['beneficiaries_household']:>9,} households "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
        self.flush()
        print(f"rows copied in {time.perf_counter() - started:.0f} s; indexes and constraints next", flush=True)
        recreate(dropped)
        recreate([f'ALTER TABLE {table} ALTER COLUMN "version" DROP DEFAULT' for table in versioned])
        reset_sequences(list(COLUMNS))
        print(f"indexes rebuilt in {time.perf_counter() - started:.0f} s; report tallies next", flush=True)
        from reports.tallies import refresh  # COPY bypasses the save() that keeps them

        refresh()
        print(f"report tallies in {time.perf_counter() - started:.0f} s; VACUUM ANALYZE next", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        return counts(list(COLUMNS) + ["regions_user", "reports_villagemonth", "reports_aidedhouseholdmonth"])

    def flush(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            for table, rows in self.t.rows.items():
                if not rows:
                    continue
                columns = ", ".join(f'"{c}"' for c in COLUMNS[table].split())
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                self.t.written[table] += len(rows)
                rows.clear()

    def allocate(self) -> dict[str, int]:
        """Households per village: the regency's share of the poor, villages varying 0.3-1.7x."""
        total = round(HOUSEHOLDS_AT_1 * self.scale)
        weight = {}
        per_regency = defaultdict(int)
        for v in self.villages:
            per_regency[v["regency"]] += 1
        for v in self.villages:
            share = REGENCY_WEIGHTS.get(v["regency"], 50) / per_regency[v["regency"]]
            weight[v["code"]] = share * self.rng.uniform(0.3, 1.7)
        scale = total / sum(weight.values())
        exact = {code: w * scale for code, w in weight.items()}
        allocation = {code: int(x) for code, x in exact.items()}
        short = total - sum(allocation.values())
        for code in sorted(exact, key=lambda c: exact[c] - allocation[c], reverse=True)[:short]:
            allocation[code] += 1
        return allocation

    # ---- reference rows: programmes, partners, users ----------------------------------------

    def setup_reference(self) -> None:
        from programs.models import Program
        from regions.models import District, Regency, Village

        self.villages = [
            {"code": c, "district": d, "regency": r}
            for c, d, r in Village.objects.filter(is_active=True)
            .order_by("code")
            .values_list("code", "district_id", "regency_id")
        ]
        self.programs = {}
        for name, agency, kinds, women in PROGRAMS:
            program = Program.objects.create(
                name=name, agency=agency, starts_on=datetime.date(2020, 1, 1), targets_women=women
            )
            self.programs.update({kind: program.pk for kind in kinds})
        self.women_program = self.programs["training"]
        regencies = list(Regency.objects.values_list("code", flat=True))
        districts = list(District.objects.values_list("code", flat=True))
        self.users = make_users(regencies, districts, [v["code"] for v in self.villages])
        self.partners_of: dict[str, dict[str, int]] = {}
        now = timezone.now()
        for v in self.villages:
            self.partners_of[v["code"]] = {}
            for kind, label in (("pkk", "PKK"), ("posyandu", "Posyandu")):
                pk = self.t.new_id("programs_partner")
                self.t.add("programs_partner", (pk, now, now, f"{label} Desa {v['code']}", kind, v["code"], "", True))
                self.partners_of[v["code"]][kind] = pk
        for r in regencies:
            for kind, label in (("cooperative", "Koperasi Mitra Usaha"), ("bank", "Bank Banten"), ("ngo", "LSM Peduli")):
                pk = self.t.new_id("programs_partner")
                self.t.add("programs_partner", (pk, now, now, f"{label} {r}", kind, r, "", True))
                self.partners_of.setdefault(r, {})[kind] = pk

    # ---- one village ------------------------------------------------------------------------

    def village(self, v: dict, households: int) -> None:
        code = v["code"]
        self.codes = (code, v["district"], v["regency"])
        self.head_user = self.users[code]
        self.district_user = self.users[v["district"]]
        members: list[tuple] = []  # (person id, sex, left_on, registered)
        stage_3: list[tuple] = []  # (household id, needs a group by, needs an enterprise by, last open)
        for _ in range(households):
            hh, people, reached = self.household(code)
            members += people
            if reached:
                stage_3.append(reached)
        self.groups(stage_3)
        self.activities(members)

    def household(self, code: str) -> tuple[int, list[tuple], tuple | None]:
        rng, t = self.rng, self.t
        if rng.random() < 0.6:  # on the lists already when the two years began (a DTSEN import)
            registered = self.start - datetime.timedelta(days=rng.randint(1, 365))
        else:
            registered = self.start + datetime.timedelta(days=rng.randint(0, 700))
        created = self.wib(registered, rng.randint(0, 540))
        hh = t.new_id("beneficiaries_household")
        issued = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randint(0, 5800))
        kk = self.serial(f"{code.replace('.', '')[:6]}{issued:%d%m%y}")
        rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 8):03d}"
        address = f"Kp. {rng.choice(KAMPUNG)} No. {rng.randint(1, 120)}"
        t.add("beneficiaries_household", (hh, created, created, *self.codes, kk, address, rt, rw,
                                          rng.choices(range(1, 11), [22, 18, 14, 11, 9, 8, 6, 5, 4, 3])[0],
                                          self.head_user))  # fmt: skip
        head, people = self.people(hh, code, registered, created)
        reached = self.cases(hh, head, registered)
        return hh, people, reached

    def people(self, hh: int, code: str, registered: datetime.date, created) -> tuple[int, list[tuple]]:
        rng = self.rng
        head_sex = "P" if rng.random() < 0.14 else "L"
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 17500))
        plan = [(head_sex, born, "head")]
        if head_sex == "L" and rng.random() < 0.88:
            plan.append(("P", born + datetime.timedelta(days=rng.randint(-800, 3500)), "spouse"))
        for _ in range(rng.choices([0, 1, 2, 3, 4], [20, 30, 30, 15, 5])[0]):
            child = born + datetime.timedelta(days=rng.randint(6900, 14000))
            plan.append((rng.choice("LP"), min(child, self.today - datetime.timedelta(days=10)), "child"))
        if rng.random() < 0.08:
            plan.append((rng.choice("LP"), born - datetime.timedelta(days=rng.randint(7000, 11000)), "other"))
        people, head = [], 0
        for sex, birth, relation in plan:
            pid, left = self.person(hh, code, sex, birth, relation, registered, created)
            people.append((pid, sex, left, max(registered, birth)))
            head = head or pid
        return head, people

    def person(self, hh, code, sex, birth, relation, registered, created) -> tuple[int, datetime.date | None]:
        rng = self.rng
        pid = self.t.new_id("beneficiaries_person")
        baby = (self.today - birth).days < 365
        nik, outside = None, False
        if not (baby and rng.random() < 0.4):
            outside = rng.random() < 0.03
            region = rng.choice(OUTSIDE_NIK_REGIONS) if outside else code.replace(".", "")[:6]
            day = birth.day + (40 if sex == "P" else 0)
            nik = self.serial(f"{region}{day:02d}{birth:%m%y}")
        first = rng.choice(MALE if sex == "L" else FEMALE)
        name = f"{first} {rng.choice(SECOND)}"
        created = max(created, self.wib(birth, 60))  # a child born later is added after the birth
        left_on, left_reason = None, ""
        if relation != "head" and rng.random() < 0.04:
            left_on = min(self.today, max(registered, birth) + datetime.timedelta(days=rng.randint(30, 900)))
            left_reason = rng.choices(*LEFT_REASONS)[0]
        self.t.add("beneficiaries_person", (
            pid, hh, nik, nik is None, name, sex, birth, relation, relation == "head" and sex == "P",
            rng.random() < 0.03, outside, created, created, self.head_user, left_on, left_reason, ""))  # fmt: skip
        return pid, left_on

    def serial(self, prefix: str) -> str:
        """`prefix` and the next serial of that prefix: NIKs and KKs are unique in the province."""
        n = self.serials[prefix] = self.serials[prefix] + 1
        return f"{prefix}{n:04d}"

    # ---- cases, moves, aid --------------------------------------------------------------------

    def cases(self, hh: int, head: int, registered: datetime.date) -> tuple | None:
        """The household's cases one after another; returns what stage 3 asks of its group."""
        rng = self.rng
        begin = max(registered, self.start) + datetime.timedelta(days=rng.randint(0, 120))
        span = (self.today - begin).days
        k = min(rng.choices(*CASES_PER_HOUSEHOLD)[0], max(1, span // 90))
        if span < 2 or k == 0:
            return None
        # k stretches of at least half the average length, one case in each
        bounds = [0] + [round(span * (i + rng.uniform(-0.25, 0.25)) / k) for i in range(1, k)] + [span]
        group_by = enterprise_by = None
        for i in range(k):
            lo = begin + datetime.timedelta(days=bounds[i])
            hi = begin + datetime.timedelta(days=bounds[i + 1])
            last = i == k - 1
            draft = self.case(hh, lo, hi, open_at_end=last and rng.random() < 0.68)
            self.case_rows(hh, head, draft)
            for moment, position in draft.path:
                if position == "3":
                    group_by = min(group_by or moment, moment)
                if position == "graduated":
                    enterprise_by = min(enterprise_by or moment, moment)
        if group_by is None:
            return None
        return hh, group_by, enterprise_by

    def case(self, hh: int, lo: datetime.date, hi: datetime.date, *, open_at_end: bool) -> CaseDraft:
        rng = self.rng
        cid = self.t.new_id("beneficiaries_case")
        opened = lo
        length = (hi - lo).days
        closing = opened + datetime.timedelta(days=rng.randint(max(1, length // 2), max(1, length - 1)))
        end = min(self.today if open_at_end else closing, self.today)
        if open_at_end or end >= self.today:
            final = rng.choices(["1", "2", "3"], [58, 28, 14])[0]
            status, reason = "active", ""
        elif rng.random() < 0.12:
            final, status, reason = "graduated", "graduated", ""
        else:
            final, status = rng.choices(["1", "2", "3"], [80, 15, 5])[0], "exited"
            reason = rng.choices(*EXIT_REASONS)[0]
        positions = ["1"] + {"1": [], "2": ["2"], "3": ["2", "3"], "graduated": ["2", "3", "graduated"]}[final]
        if status == "active" and final in ("1", "2") and rng.random() < 0.05:  # fell back after a shock
            positions = ["1", "2", "1"] if final == "1" else ["1", "2", "3", "2"]
        if status == "exited":
            positions.append("exited")
        days = (end - opened).days
        offsets = sorted(rng.sample(range(1, max(days, len(positions)) + 1), len(positions) - 1))
        if status != "active":
            offsets[-1] = days  # the closing move is on the day the case closed
        moments = [self.wib(opened, rng.randint(0, 480))] + [
            self.wib(min(end, opened + datetime.timedelta(days=d)), rng.randint(0, 480)) for d in offsets
        ]
        moments = [max(m, moments[0]) for m in moments]
        return CaseDraft(cid, opened, None if status == "active" else end, status,
                         list(zip(moments, positions, strict=True)), reason)  # fmt: skip

    def case_rows(self, hh: int, head: int, c: CaseDraft) -> None:
        t, rng = self.t, self.rng
        stage = next(p for _m, p in reversed(c.path) if p in "123")
        created = c.path[0][0]
        updated = c.path[-1][0]
        t.add("beneficiaries_case", (c.id, created, updated, *self.codes, hh, self.programs["food"], stage,
                                     c.status, c.opened, c.closed, c.exit_reason, self.head_user))  # fmt: skip
        previous = ""
        for i, (moment, position) in enumerate(c.path):
            refused = moment - datetime.timedelta(days=20)
            if i and refused > c.path[i - 1][0] + datetime.timedelta(days=7) and rng.random() < 0.04:
                self.move(c, previous, position, refused, state="rejected")  # the district said no first
            self.move(c, previous, position, moment, state="applied")
            previous = position
        if c.status == "active" and rng.random() < 0.07:
            # a proposal waiting today: to stage 2 (its guard, basic-needs aid, met) or an exit
            since = max(c.path[-1][0], self.wib(self.today, 0) - datetime.timedelta(days=rng.randint(1, 40)))
            ahead = "2" if previous == "1" and rng.random() < 0.7 else "exited"
            if since.date() < self.today:
                self.move(c, previous, ahead, since, state="pending")
        self.aid(c, head)

    def move(self, c: CaseDraft, origin: str, to: str, moment: datetime.datetime, *, state: str) -> None:
        """`moment`: when the move was decided (applied or refused), or proposed (pending).
        The entry applies at once (open_case); the village head proposes every other move and
        the district decides it a few days later."""
        kind = move_kind(origin, to)
        decided: datetime.datetime | None = moment
        if state == "pending":
            proposed, decided = moment, None
        elif kind == "entry":
            proposed = moment
        else:
            proposed = max(c.path[0][0], moment - datetime.timedelta(days=self.rng.randint(1, 6), minutes=30))
        decider = None if decided is None else self.head_user if kind == "entry" else self.district_user
        reason = "Terdampak banjir, usaha terhenti" if kind == "fallback" else ""
        note = "Bukti bantuan belum lengkap" if state == "rejected" else ""
        exit_reason = (c.exit_reason or "moved") if kind == "exit" else ""
        self.t.add("beneficiaries_stagetransition", (
            self.t.new_id("beneficiaries_stagetransition"), proposed, decided or proposed, *self.codes, c.id,
            kind, origin, to, state, reason, exit_reason, "", self.head_user, proposed, decider, decided,
            note))  # fmt: skip

    def aid(self, c: CaseDraft, head: int) -> None:
        """Aid per stage lived through: at least one before each advance, as the guards ask."""
        rng = self.rng
        end = self.wib(c.closed or self.today, 480)
        stops = [m for m, _p in c.path[1:]] + [end]
        for (since, position), until in zip(c.path, stops, strict=True):
            if position not in "123":
                continue
            pool = {"1": BASIC, "2": PRODUCTIVE, "3": STAGE_3_AID}[position]
            months = max(0, (until - since).days) / 30
            n = max(1, min(8, round(months * rng.uniform(0.2, 0.65))))
            days = max(0, (until.date() - since.date()).days - 1)
            for i in range(n):  # the first early in the stage: the guard of the next move needs it
                day = since.date() + datetime.timedelta(days=rng.randint(0, min(days, 5) if i == 0 else days))
                self.aid_row(c, head, rng.choice(pool[:3] if i == 0 and position != "1" else pool),
                             min(day, self.today))  # fmt: skip

    def aid_row(self, c: CaseDraft, head: int, kind: str, day: datetime.date) -> None:
        rng = self.rng
        lo, hi = AID_AMOUNT[kind]
        amount = rng.randint(lo, hi) * 1000
        quantity, unit = ("10.00", "kg") if kind == "food" else (None, "")
        moment = self.wib(day, rng.randint(0, 480))
        partner = self.partners_of[self.codes[0]]["pkk"] if kind == "training" else None
        self.t.add("beneficiaries_assistance", (
            self.t.new_id("beneficiaries_assistance"), moment, moment, *self.codes, c.id, kind,
            self.programs[kind], partner, head, day, amount, quantity, unit, "", self.head_user))  # fmt: skip

    # ---- groups, enterprises, capital, activities ----------------------------------------------

    def groups(self, reached: list[tuple]) -> None:
        """The village's stage-3 households in groups of 4-12, formed before the first of them
        needed it; groups with a graduate in an enterprise founded before that graduation."""
        rng, t = self.rng, self.t
        reached.sort(key=lambda r: r[1])
        i, n = 0, 0
        while i < len(reached):
            size = rng.randint(4, 12)
            batch, i = reached[i : i + size], i + size
            n += 1
            first = batch[0][1] - datetime.timedelta(days=rng.randint(3, 30))
            enterprise = self.enterprise(min((r[2] for r in batch if r[2]), default=None), first, n)
            gid = t.new_id("beneficiaries_group")
            t.add("beneficiaries_group", (gid, first, first, *self.codes, f"KUBE {rng.choice(KAMPUNG)} {n}",
                                          rng.choice(["agriculture", "culinary", "trade", "craft", "livestock",
                                                      "fishery", "digital", "services"]),
                                          first.date(), True, enterprise))  # fmt: skip
            for hh, needs_by, _e in batch:
                joined = min(needs_by - datetime.timedelta(days=1), first + datetime.timedelta(days=rng.randint(0, 5)))
                joined = max(joined, first)
                t.add("beneficiaries_groupmembership", (t.new_id("beneficiaries_groupmembership"), joined, joined,
                                                        gid, hh, joined.date()))  # fmt: skip

    def enterprise(self, needed_by: datetime.datetime | None, formed: datetime.datetime, n: int) -> int | None:
        rng, t = self.rng, self.t
        if needed_by is None and rng.random() < 0.85:
            return None
        latest = needed_by or self.wib(self.today, 0)
        founded = min(latest - datetime.timedelta(days=2), formed + datetime.timedelta(days=rng.randint(5, 120)))
        founded = max(founded, formed)
        eid = t.new_id("beneficiaries_enterprise")
        self.nib += 1
        nib = str(self.nib) if rng.random() < 0.6 else ""
        t.add("beneficiaries_enterprise", (eid, founded, founded, *self.codes, f"Koperasi Mandiri {self.codes[0]} {n}",
                                           rng.choice(["cooperative", "bumdes_unit", "kube"]), nib,
                                           founded.date()))  # fmt: skip
        for _ in range(rng.choices([0, 1, 2, 3], [15, 50, 25, 10])[0]):
            self.capital(eid, founded.date())
        return eid

    def capital(self, eid: int, founded: datetime.date) -> None:
        rng = self.rng
        room = (self.today - founded).days
        applied = founded + datetime.timedelta(days=rng.randint(0, max(0, room)))
        status = rng.choices(["applied", "approved", "disbursed", "rejected"], [20, 15, 55, 10])[0]
        approved = disbursed = None
        if status in ("approved", "disbursed"):
            approved = min(self.today, applied + datetime.timedelta(days=rng.randint(3, 45)))
        if status == "disbursed":
            disbursed = min(self.today, approved + datetime.timedelta(days=rng.randint(1, 30)))
        moment = self.wib(applied, rng.randint(0, 480))
        self.t.add("beneficiaries_capitalaccess", (
            self.t.new_id("beneficiaries_capitalaccess"), moment, moment, *self.codes, eid,
            rng.choice(["kur", "grant", "revolving", "csr", "bumdes"]), rng.randint(5, 200) * 1_000_000,
            status, applied, approved, disbursed, ""))  # fmt: skip

    def activities(self, members: list[tuple]) -> None:
        """Monthly PKK and posyandu sessions and a few cooperative trainings, attended by
        members registered by then who had not left."""
        rng = self.rng
        if not members:
            return
        partners = self.partners_of[self.codes[0]]
        regional = self.partners_of[self.codes[2]]["cooperative"]
        day = self.start + datetime.timedelta(days=rng.randint(0, 20))
        often = min(1.0, self.scale)  # a smaller province, fewer sessions
        while day <= self.today:
            for partner, topic, women in ((partners["pkk"], "culinary", True), (partners["posyandu"], "nutrition", False)):
                if rng.random() < 0.8 * often:
                    self.activity(partner, topic, day + datetime.timedelta(days=rng.randint(0, 25)), members, women)
            if rng.random() < 0.12 * often:
                self.activity(regional, "entrepreneurship", day + datetime.timedelta(days=rng.randint(0, 25)), members, True)
            day += datetime.timedelta(days=30)

    def activity(self, partner: int, topic: str, day: datetime.date, members: list[tuple], women: bool) -> None:
        rng, t = self.rng, self.t
        if day > self.today:
            return
        aid = t.new_id("beneficiaries_activity")
        moment = self.wib(day, rng.randint(0, 480))
        program = self.women_program if women and rng.random() < 0.5 else None
        title = {"culinary": "Pelatihan tata boga", "nutrition": "Penyuluhan gizi balita",
                 "entrepreneurship": "Kelas kewirausahaan"}[topic]  # fmt: skip
        t.add("beneficiaries_activity", (aid, moment, moment, *self.codes, partner, program, topic, title, day, "",
                                         self.head_user))  # fmt: skip
        sample = rng.sample(members, min(len(members), 40))
        present = [m for m in sample if m[3] <= day and (m[2] is None or m[2] >= day)]
        if women:
            present = [m for m in present if m[1] == "P"] or present
        for pid, *_rest in rng.sample(present, min(len(present), rng.randint(3, 14))):
            t.add("beneficiaries_attendance", (t.new_id("beneficiaries_attendance"), moment, moment, aid, pid))


def move_kind(origin: str, to: str) -> str:
    if not origin:
        return "entry"
    if to == "exited":
        return "exit"
    if to == "graduated":
        return "graduate"
    return "advance" if to > origin else "fallback"


def make_users(regencies: list[str], districts: list[str], villages: list[str]) -> dict[str, int]:
    """One user per region (the load test signs in as them); returns region code -> user id."""
    from django.contrib.auth.models import Group

    from regions.models import Role, User
    from regions.roles import role_group_name

    password = make_password(os.environ.get("BENCH_PASSWORD", "bench-password"))  # hashed once, shared
    plan = [("36", Role.PROVINCE)] + [(r, Role.REGENCY) for r in regencies]
    plan += [(d, Role.DISTRICT) for d in districts] + [(v, Role.VILLAGE) for v in villages]
    users = User.objects.bulk_create(
        User(username=f"bench-{code}", password=password, role=role, region_code=code,
             is_staff=role in (Role.PROVINCE, Role.REGENCY), email=f"bench-{code}@example.org")
        for code, role in plan
    )  # fmt: skip
    groups = {role: Group.objects.get(name=role_group_name(role)) for role in set(r for _c, r in plan)}
    through = User.groups.through
    through.objects.bulk_create(
        through(user_id=u.pk, group_id=groups[role].pk) for u, (_c, role) in zip(users, plan, strict=True)
    )
    return {u.region_code: u.pk for u in users}


def drop_secondary(tables: list[str]) -> list[str]:
    """Drop the foreign keys and the non-unique indexes of `tables` (COPY then writes no index
    entries and checks no reference per row); returns the statements that recreate them. The
    primary keys and the unique indexes stay: they check the generator as it writes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
               WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""",
            [tables],
        )
        fks = cursor.fetchall()
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
               WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary""",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in fks:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in fks
    ]


def default_versions(tables: list[str]) -> list[str]:
    """Give the optimistic-lock `version` column a database default of 1 while COPY runs (the
    model's default lives in Python, which COPY bypasses); the caller drops it afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'version' "
            "AND table_schema = current_schema() AND table_name = ANY(%s)",
            [tables],
        )
        versioned = [row[0] for row in cursor.fetchall()]
    recreate([f'ALTER TABLE {table} ALTER COLUMN "version" SET DEFAULT 1' for table in versioned])
    return versioned


def recreate(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem TO '512MB'")
        for statement in statements:
            cursor.execute(statement)


def reset_sequences(tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
            )


def counts(tables: list[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            result[table] = cursor.fetchone()[0]
    return result
