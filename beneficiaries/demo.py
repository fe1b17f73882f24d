"""Demo data for development: `manage.py seed_demo`.

Two steps keep it deterministic and idempotent:
- `build_plan(anchor)` is pure: a fixed random seed and dates counted back from a fixed
  anchor (the first day of the month) give the same plan on every run, with no database read.
- `Seeder(plan).run()` carries the plan out through the services, acting as the demo users,
  so the data obeys every rule. Each object is looked up first by a stable key (username,
  KK number, names), so running it again changes nothing.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from banten_pm.errors import DomainError
from programs.models import Agency, Partner, Program
from regions.models import Role, User, find_region
from regions.services import create_user

from .models import (
    Activity,
    CapitalAccess,
    Enterprise,
    ExitReason,
    Group,
    Household,
    MoveState,
    Person,
    Relation,
    Sex,
)
from .models.activities import Topic
from .models.cases import AssistanceKind as Kind
from .services import (
    add_group_member,
    attach_group,
    create_enterprise,
    create_group,
    decide_move,
    open_case,
    record_activity,
    record_assistance,
    record_capital_access,
    register_household,
    request_move,
)

PASSWORD = "banten-demo-2026"
SEED = 2026

# username, role, region, first name, last name. Sumberjaya and Kertajaya lie in Kec. Sumur.
USERS = [
    ("provinsi", Role.PROVINCE, "36", "Dinas Sosial", "Provinsi Banten"),
    ("pandeglang", Role.REGENCY, "36.01", "DPMD", "Kab. Pandeglang"),
    ("kota_tangerang", Role.REGENCY, "36.71", "Dinas Sosial", "Kota Tangerang"),
    ("camat_sumur", Role.DISTRICT, "36.01.01", "Camat", "Sumur"),
    ("kades_sumberjaya", Role.VILLAGE, "36.01.01.2001", "Kepala Desa", "Sumberjaya"),
    ("kades_kertajaya", Role.VILLAGE, "36.01.01.2002", "Kepala Desa", "Kertajaya"),
    ("kader_sumberjaya", Role.CADRE, "36.01.01.2001", "Kader PKK", "Sumberjaya"),
]

# village, households, who does the case work, who approves (None: the worker is an official)
VILLAGES = [
    ("36.01.01.2001", 40, "kades_sumberjaya", "camat_sumur"),
    ("36.01.01.2002", 20, "kades_kertajaya", "camat_sumur"),
    ("36.01.01.2003", 15, "camat_sumur", None),
    ("36.01.12.2002", 15, "pandeglang", None),
    ("36.02.01.2004", 20, "provinsi", None),
    ("36.02.14.2001", 15, "provinsi", None),
    ("36.02.14.1002", 12, "provinsi", None),
    ("36.71.01.1001", 20, "kota_tangerang", None),
    ("36.71.01.1005", 13, "kota_tangerang", None),
    ("36.03.01.1001", 10, "provinsi", None),
    ("36.03.01.2003", 12, "provinsi", None),
    ("36.03.01.2014", 8, "provinsi", None),
]
REGENCY_OFFICIAL = {
    "36.01": "pandeglang",
    "36.02": "provinsi",
    "36.71": "kota_tangerang",
    "36.03": "provinsi",
}
ACTIVITY_RECORDER = {"36.01.01.2001": "kader_sumberjaya"}

PROGRAMS = {
    "basic": dict(
        name="Jaminan Sosial Rakyat Banten Bersatu (Jamsosratu)",
        agency=Agency.DINSOS,
        description="Bantuan kebutuhan dasar bersyarat bagi rumah tangga miskin, serupa PKH.",
    ),
    "extreme": dict(
        name="Percepatan Penghapusan Kemiskinan Ekstrem",
        agency=Agency.BAPPEDA,
        description="Mengurangi beban pengeluaran, menaikkan pendapatan, mengecilkan kantong kemiskinan.",
    ),
    "women": dict(
        name="Pemberdayaan Ekonomi Perempuan",
        agency=Agency.DP3AKKB,
        description="Pelatihan tata boga, kewirausahaan perorangan dan kelompok, akses modal usaha.",
        targets_women=True,
    ),
    "stunting": dict(
        name="Percepatan Penurunan Stunting",
        agency=Agency.DINKES,
        description="Intervensi gizi spesifik dan sensitif bersama posyandu.",
    ),
    "umkm": dict(
        name="Penguatan Usaha Mikro dan Koperasi",
        agency=Agency.DINKOP,
        description="Alat kerja, bahan baku, modal kerja dan badan usaha bagi kelompok.",
    ),
}
PROGRAM_START = datetime.date(2023, 1, 1)

PARTNERS = {
    "pkk_banten": ("TP PKK Provinsi Banten", Partner.Kind.PKK, "36"),
    "pkk_sumberjaya": ("TP PKK Desa Sumberjaya", Partner.Kind.PKK, "36.01.01.2001"),
    "posyandu_sumberjaya": ("Posyandu Melati Sumberjaya", Partner.Kind.POSYANDU, "36.01.01.2001"),
    "posyandu_kertajaya": ("Posyandu Mawar Kertajaya", Partner.Kind.POSYANDU, "36.01.01.2002"),
    "pkk_lebak": ("TP PKK Kabupaten Lebak", Partner.Kind.PKK, "36.02"),
    "posyandu_sukarasa": ("Posyandu Anggrek Sukarasa", Partner.Kind.POSYANDU, "36.71.01.1001"),
    "koperasi_pandeglang": ("Koperasi Simpan Pinjam Mitra Usaha", Partner.Kind.COOPERATIVE, "36.01"),
    "bumdes_sukaraja": ("BUMDes Sukaraja Mandiri", Partner.Kind.BUMDES, "36.02.01.2004"),
    "bank_bjb": ("Bank bjb Cabang Pandeglang", Partner.Kind.BANK, "36.01"),
    "bank_bri": ("BRI Unit Balaraja", Partner.Kind.BANK, "36.03.01"),
    "ngo_banten": ("Yayasan Peduli Keluarga Banten", Partner.Kind.NGO, "36"),
}

ENTERPRISES = {  # per regency: where, what, and the capital it sought
    "36.01": ("36.01.01.2001", "Koperasi Wanita Mekar Sejahtera", Enterprise.LegalForm.COOPERATIVE,
              "9120001234567", [("kur", 50_000_000, "disbursed"), ("grant", 25_000_000, "approved"),
                                ("revolving", 15_000_000, "applied"), ("csr", 30_000_000, "rejected")]),
    "36.02": ("36.02.01.2004", "Unit Usaha BUMDes Sukaraja Mandiri", Enterprise.LegalForm.BUMDES_UNIT,
              "", [("bumdes", 20_000_000, "disbursed")]),
    "36.71": ("36.71.01.1001", "KUBE Digital Sukarasa", Enterprise.LegalForm.KUBE,
              "9120007654321", [("csr", 10_000_000, "disbursed"), ("kur", 25_000_000, "applied")]),
    "36.03": ("36.03.01.2003", "UD Cangkudu Berkah Tani", Enterprise.LegalForm.UD,
              "", [("revolving", 12_500_000, "approved")]),
}  # fmt: skip
NORTH = {"36.03", "36.71"}
GROUP_NAMES = [("KUBE Mekar Sari", "KUBE Tunas Harapan"), ("KUBE Sinar Mandiri", "KUBE Maju Bersama")]

MALE = "Asep Dede Ujang Cecep Endang Jajang Ade Agus Dadang Iwan Yayat Rahmat Hendra Maman Nana " \
    "Oman Wawan Budi Ahmad Saepudin Jaenudin Rohman Engkos Sukri Tatang".split()  # fmt: skip
FEMALE = "Siti Euis Neneng Imas Yati Nining Aisyah Enok Cucu Entin Iis Tati Dewi Nurhayati " \
    "Rohaeti Aminah Ela Lilis Nenden Popon Yeni Sri Rina Wati".split()  # fmt: skip
SURNAME_M = "Suryana Hidayat Saputra Rohmat Mulyana Kurniawan Setiawan Permana Hermawan " \
    "Sulaeman Wahyudi Nurjaman Ruhiyat Jaelani Maulana".split()  # fmt: skip
SURNAME_F = "Rahayu Nurhasanah Kurniasih Hasanah Komalasari Rohmawati Lestari Fitriani " \
    "Maesaroh Sumiati".split()  # fmt: skip
CHILD_M = "Rizky Fajar Ilham Dimas Farhan Naufal Aldi Raka Dafa Arya".split()
CHILD_F = "Aulia Nabila Salsabila Putri Zahra Anisa Keisha Nayla Syifa Alya".split()
KAMPUNG = "Sukamaju Cikoneng Babakan Pasirhuni Ciherang Kadupandak Pasanggrahan Leuwiranji".split()
JALAN = "Melati Kenanga Flamboyan Mawar Cempaka Dahlia Anggrek Kamboja".split()
OUTSIDE_BANTEN = ["327301", "317404", "330201"]  # Kota Bandung, Jakarta Selatan, Banyumas

# Every story is a list of steps; the executor knows nothing else.
EXITS = [f"exit_{reason}" for reason in ExitReason.values]
FALLBACK_FLOOD = "Rumah rusak terkena banjir; kebutuhan dasar belum terpenuhi lagi."
FALLBACK_ILLNESS = "Kepala keluarga sakit berat, usaha berhenti sementara."
REJECT_NOTE = "Usaha kelompok baru berjalan; ajukan lagi setelah ada laporan penjualan tiga bulan."
APPROVE_NOTE = "Sesuai hasil verifikasi lapangan."
# Every state appears at least once, whatever the random draw (village -> stories first).
MANDATORY = {
    "36.01.01.2001": ["pending", "s1", "rejected", "grad", "s3", "fallback_3_2", "exit_moved", "pending"],
    "36.01.01.2002": ["pending", "rejected", "grad", "exit_deceased", "fallback_2_1"],
    "36.01.12.2002": ["exit_declined", "reentry", "grad"],
    "36.02.01.2004": ["exit_ineligible", "grad", "none"],
    "36.71.01.1001": ["exit_duplicate", "grad", "s3"],
    "36.03.01.2003": ["grad", "s3", "fallback_2_1"],
}
WEIGHTS = {"none": 4, "s1": 28, "s2": 26, "s3": 15, "grad": 8, "fallback_2_1": 3, "fallback_3_2": 2,
           "reentry": 1, **dict.fromkeys(EXITS, 1)}  # fmt: skip
VILLAGE_HEAD_WEIGHTS = {**WEIGHTS, "pending": 5, "rejected": 2}


@dataclass(frozen=True)
class MemberPlan:
    nik: str | None
    full_name: str
    sex: str
    birth_date: datetime.date
    relation: str
    is_female_head: bool = False
    has_disability: bool = False

    def as_service_data(self) -> dict:
        data = {k: getattr(self, k) for k in ("full_name", "sex", "birth_date", "relation")}
        data.update(is_female_head=self.is_female_head, has_disability=self.has_disability)
        return {**data, "nik": self.nik} if self.nik else {**data, "has_no_nik": True}


@dataclass(frozen=True)
class AidPlan:
    kind: str
    program: str
    partner: str | None
    amount: int
    delivered_on: datetime.date
    recipient: int  # index into the household's members
    quantity: int
    unit: str
    note: str


@dataclass(frozen=True)
class HouseholdPlan:
    village: str
    kk_number: str
    address: str
    rt: str
    rw: str
    desil: int | None
    members: tuple[MemberPlan, ...]
    story: str
    steps: tuple[tuple, ...]


@dataclass(frozen=True)
class ActivityPlan:
    village: str
    partner: str
    program: str
    topic: str
    title: str
    held_on: datetime.date
    attendee_niks: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    anchor: datetime.date
    households: tuple[HouseholdPlan, ...]
    activities: tuple[ActivityPlan, ...] = field(default=())


def demo_anchor(today: datetime.date) -> datetime.date:
    """Every demo date is counted back from here: the same all month long."""
    return today.replace(day=1)


def _nik(region: str, birth: datetime.date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == Sex.FEMALE else 0)
    return f"{region}{day:02d}{birth:%m%y}{serial:04d}"


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _local_partner(village: str, kinds: set[str]) -> str | None:
    """The most local partner of these kinds that serves the village (or a region above it)."""
    serving = [
        (len(code), key)
        for key, (_name, kind, code) in PARTNERS.items()
        if kind in kinds and (village == code or village.startswith(code + "."))
    ]
    return max(serving)[1] if serving else None


BASIC_KINDS = {Kind.FOOD: 40, Kind.CASH: 25, Kind.HEALTH: 15, Kind.EDUCATION: 15, Kind.HOUSING: 5}
PRODUCTIVE_KINDS = [Kind.WORK_TOOLS, Kind.RAW_MATERIALS, Kind.WORKING_CAPITAL]
# kind -> (lowest, highest, step) in rupiah, quantity, unit
AMOUNTS = {
    Kind.FOOD: (200_000, 300_000, 25_000, 1, "paket"),
    Kind.CASH: (300_000, 600_000, 50_000, None, ""),
    Kind.HEALTH: (150_000, 500_000, 50_000, None, ""),
    Kind.EDUCATION: (450_000, 1_000_000, 50_000, 1, "anak"),
    Kind.HOUSING: (15_000_000, 20_000_000, 500_000, 1, "unit"),
    Kind.WORK_TOOLS: (1_500_000, 5_000_000, 250_000, 1, "paket"),
    Kind.RAW_MATERIALS: (750_000, 2_500_000, 250_000, 1, "paket"),
    Kind.WORKING_CAPITAL: (2_000_000, 5_000_000, 500_000, None, ""),
    Kind.TRAINING: (500_000, 1_500_000, 250_000, 1, "orang"),
}
NOTES = {
    Kind.FOOD: ["Paket sembako: beras 10 kg, minyak goreng, telur"],
    Kind.CASH: ["Bantuan tunai bersyarat triwulan"],
    Kind.HEALTH: ["Pemeriksaan dan obat di puskesmas", "Makanan tambahan balita"],
    Kind.EDUCATION: ["Seragam dan biaya sekolah anak"],
    Kind.HOUSING: ["Bedah rumah tidak layak huni (RTLH)"],
    Kind.TRAINING: ["Biaya pelatihan keterampilan usaha"],
}
PRODUCTIVE_NOTES = {
    "south": {
        Kind.WORK_TOOLS: ["Cangkul, sprayer dan alat tanam", "Jaring dan alat tangkap ikan", "Mesin jahit"],
        Kind.RAW_MATERIALS: ["Bibit padi dan pupuk", "Bahan keripik pisang dan kemasan", "Bibit ikan lele"],
        Kind.WORKING_CAPITAL: ["Modal kerja usaha olahan pangan", "Modal kerja warung"],
    },
    "north": {
        Kind.WORK_TOOLS: [
            "Gerobak dan peralatan dagang",
            "Ponsel untuk jualan daring",
            "Oven dan etalase kue",
        ],
        Kind.RAW_MATERIALS: ["Bahan kue dan kemasan", "Stok barang dagangan"],
        Kind.WORKING_CAPITAL: ["Modal kerja usaha jasa daring", "Modal kerja warung"],
    },
}
PRODUCTIVE_PARTNERS = {
    Kind.WORK_TOOLS: {Partner.Kind.COOPERATIVE, Partner.Kind.BUMDES},
    Kind.RAW_MATERIALS: {Partner.Kind.COOPERATIVE, Partner.Kind.BUMDES},
    Kind.WORKING_CAPITAL: {Partner.Kind.BANK, Partner.Kind.COOPERATIVE},
    Kind.TRAINING: {Partner.Kind.PKK},
    Kind.HEALTH: {Partner.Kind.POSYANDU},
    Kind.FOOD: {Partner.Kind.NGO},
}
MOVE_REASONS = {
    "2": "Kebutuhan dasar sudah terpenuhi; rumah tangga siap mandiri.",
    "3": "Usaha rumah tangga berjalan; bergabung dengan kelompok usaha bersama.",
    "graduated": "Kelompok berjalan dalam badan usaha; rumah tangga tidak lagi bergantung bantuan.",
}
SUMBERJAYA = "36.01.01.2001"


class _Planner:
    def __init__(self, anchor: datetime.date) -> None:
        self.rng = random.Random(SEED)
        self.anchor = anchor
        self.persons = 0

    def build(self) -> Plan:
        households: list[HouseholdPlan] = []
        for village, count, _worker, approver in VILLAGES:
            stories = list(MANDATORY.get(village, []))
            weights = VILLAGE_HEAD_WEIGHTS if approver else WEIGHTS
            stories += self.rng.choices(list(weights), weights=list(weights.values()), k=count - len(stories))
            for i, story in enumerate(stories):
                special = {"newborn": i == 1, "outside": i == 2} if village == SUMBERJAYA else {}
                households.append(self.household(village, story, len(households) + 1, **special))
        activities = [a for village, *_ in VILLAGES for a in self.activities(village, households)]
        return Plan(anchor=self.anchor, households=tuple(households), activities=tuple(activities))

    def household(self, village: str, story: str, serial: int, **special) -> HouseholdPlan:
        rng, region = self.rng, village.replace(".", "")[:6]
        issued = _date_between(rng, datetime.date(2010, 1, 1), datetime.date(2023, 12, 31))
        kelurahan = village.split(".")[3].startswith("1")
        members = self.members(region, **special)
        return HouseholdPlan(
            village=village,
            kk_number=f"{region}{issued:%d%m%y}{serial:04d}",
            address=f"Jl. {rng.choice(JALAN)} No. {rng.randint(1, 120)}"
            if kelurahan
            else f"Kp. {rng.choice(KAMPUNG)}",
            rt=f"{rng.randint(1, 8):03d}",
            rw=f"{rng.randint(1, 5):03d}",
            desil=rng.choices([1, 2, 3, 4, None], weights=[35, 30, 20, 10, 5])[0],
            members=members,
            story=story,
            steps=tuple(self.steps(story, village, members)),
        )

    def person(self, region: str, sex: str, birth: datetime.date, relation: str, **flags) -> MemberPlan:
        self.persons += 1
        names = (MALE, SURNAME_M) if sex == Sex.MALE else (FEMALE, SURNAME_F)
        if relation == Relation.CHILD:
            names = (CHILD_M if sex == Sex.MALE else CHILD_F, SURNAME_M)
        return MemberPlan(
            nik=_nik(region, birth, sex, self.persons),
            full_name=f"{self.rng.choice(names[0])} {self.rng.choice(names[1])}",
            sex=sex,
            birth_date=birth,
            relation=relation,
            has_disability=self.rng.random() < 0.04,
            **flags,
        )

    def members(self, region: str, *, newborn: bool = False, outside: bool = False) -> tuple[MemberPlan, ...]:
        rng, day = self.rng, datetime.timedelta(days=1)
        female_head = rng.random() < 0.12
        head_birth = _date_between(rng, datetime.date(1958, 1, 1), datetime.date(1996, 12, 31))
        sex = Sex.FEMALE if female_head else Sex.MALE
        people = [self.person(region, sex, head_birth, Relation.HEAD, is_female_head=female_head)]
        mother_birth = head_birth
        if not female_head:
            mother_birth = head_birth + rng.randint(-3 * 365, 8 * 365) * day
            spouse_region = rng.choice(OUTSIDE_BANTEN) if outside or rng.random() < 0.03 else region
            people.append(self.person(spouse_region, Sex.FEMALE, mother_birth, Relation.SPOUSE))
        first, last = mother_birth + 19 * 365 * day, self.anchor - 365 * day
        births = sorted(_date_between(rng, first, last) for _ in range(rng.choice([0, 1, 1, 2, 2, 3])))
        for birth in births:
            people.append(self.person(region, rng.choice(Sex.values), birth, Relation.CHILD))
        if newborn:
            born = self.anchor - 20 * day
            people.append(MemberPlan(None, f"Bayi {rng.choice(CHILD_F)}", Sex.FEMALE, born, Relation.CHILD))
        if rng.random() < 0.1:
            elder = _date_between(rng, datetime.date(1938, 1, 1), datetime.date(1955, 12, 31))
            people.append(self.person(region, rng.choice(Sex.values), elder, Relation.OTHER))
        return tuple(people)

    def steps(self, story: str, village: str, members: tuple[MemberPlan, ...]) -> list[tuple]:
        if story == "none":
            return []
        rng = self.rng
        opened = self.anchor - datetime.timedelta(days=rng.randint(150, 360))
        self.cursor = opened
        woman = next(i for i, m in enumerate(members) if m.sex == Sex.FEMALE and m.relation != Relation.CHILD)
        program = "extreme" if rng.random() < 0.3 else "basic"
        steps: list[tuple] = [("open", opened, program)]
        basic = lambda n: [self.aid(rng.choices(list(BASIC_KINDS), list(BASIC_KINDS.values()))[0],  # noqa: E731
                                    village, program, woman) for _ in range(n)]  # fmt: skip
        productive = lambda n: [self.aid(rng.choice(PRODUCTIVE_KINDS), village, program, woman)  # noqa: E731
                                for _ in range(n)]  # fmt: skip
        up = [("move", "2", MOVE_REASONS["2"], ""), ("move", "3", MOVE_REASONS["3"], "")]
        join = lambda slot: ("join", slot, self.cursor)  # noqa: E731
        if story == "s1":
            steps += basic(rng.choice([0, 1, 2, 2]))
        elif story == "s2":
            steps += [*basic(rng.randint(1, 3)), up[0], *productive(rng.choice([0, 1, 1, 2]))]
            steps += [join("free")] if rng.random() < 0.3 else []
        elif story in ("s3", "grad", "fallback_3_2"):
            slot = "ent" if story == "grad" or rng.random() < 0.5 else "free"
            steps += [*basic(rng.randint(1, 2)), up[0], *productive(rng.randint(1, 2)), join(slot), up[1]]
            steps += [self.aid(Kind.TRAINING, village, program, woman)] if rng.random() < 0.4 else []
            if story == "grad":
                steps.append(("move", "graduated", MOVE_REASONS["graduated"], ""))
            elif story == "fallback_3_2":
                steps.append(("move", "2", FALLBACK_ILLNESS, ""))
        elif story == "fallback_2_1":
            steps += [*basic(rng.randint(1, 3)), up[0], ("move", "1", FALLBACK_FLOOD, ""), *basic(1)]
        elif story in EXITS:
            steps += [*basic(rng.randint(1, 2)), *([up[0]] if rng.random() < 0.4 else [])]
            steps.append(("move", "exited", "", story.removeprefix("exit_")))
        elif story == "pending":
            steps += [*basic(rng.randint(1, 3)), ("propose", "2", MOVE_REASONS["2"])]
        elif story == "rejected":
            steps += [*basic(rng.randint(1, 3)), up[0], *productive(1), join("free"), ("reject", "3")]
        elif story == "reentry":
            steps += [*basic(1), ("move", "exited", "", ExitReason.DECLINED)]
            self.cursor = self.anchor - datetime.timedelta(days=45)
            steps += [("open", self.cursor, program), *basic(1)]
        return steps

    def aid(self, kind: str, village: str, program: str, woman: int) -> tuple:
        rng = self.rng
        low, high, step, quantity, unit = AMOUNTS[kind]
        self.cursor = min(self.cursor + datetime.timedelta(days=rng.randint(10, 40)), self.anchor)
        to_woman = kind not in BASIC_KINDS and rng.random() < 0.5
        if kind in BASIC_KINDS:
            program = "stunting" if kind == Kind.HEALTH and rng.random() < 0.5 else program
        else:
            program = "women" if to_woman else rng.choice(["umkm", "extreme"])
        zone = "north" if village[:5] in NORTH else "south"
        notes = NOTES.get(kind) or PRODUCTIVE_NOTES[zone][kind]
        plan = AidPlan(
            kind=kind,
            program=program,
            partner=_local_partner(village, PRODUCTIVE_PARTNERS.get(kind, set())),
            amount=low + step * rng.randint(0, (high - low) // step),
            delivered_on=self.cursor - datetime.timedelta(days=1),
            recipient=woman if to_woman else 0,
            quantity=quantity,
            unit=unit,
            note=rng.choice(notes),
        )
        return ("aid", plan)

    def activities(self, village: str, households: list[HouseholdPlan]) -> list[ActivityPlan]:
        here = [h for h in households if h.village == village]
        adults = [
            m for h in here for m in h.members if m.nik and (self.anchor - m.birth_date).days > 17 * 365
        ]
        women = [m.nik for m in adults if m.sex == Sex.FEMALE]
        heads = [
            h.members[0].nik for h in here if h.story in ("s2", "s3", "grad", "rejected", "fallback_3_2")
        ]
        mothers = [
            m.nik
            for h in here
            if any(
                c.relation == Relation.CHILD and (self.anchor - c.birth_date).days < 5 * 365
                for c in h.members
            )
            for m in h.members[:2]
            if m.sex == Sex.FEMALE and m.nik
        ]
        pick = lambda niks, k: tuple(sorted(self.rng.sample(niks, min(k, len(niks)))))  # noqa: E731
        pkk = _local_partner(village, {Partner.Kind.PKK}) or "pkk_banten"
        business = _local_partner(village, {Partner.Kind.COOPERATIVE, Partner.Kind.BANK, Partner.Kind.BUMDES})
        health = _local_partner(village, {Partner.Kind.POSYANDU}) or pkk
        day = datetime.timedelta(days=1)
        culinary = (
            "kue basah untuk dijual daring" if village[:5] in NORTH else "olahan ikan dan keripik pisang"
        )
        return [
            ActivityPlan(village, pkk, "women", Topic.CULINARY, f"Pelatihan tata boga: {culinary}",
                         self.anchor - 75 * day, pick(women, 12)),
            ActivityPlan(village, business or pkk, "umkm", Topic.ENTREPRENEURSHIP,
                         "Kelas kewirausahaan: pembukuan usaha sederhana", self.anchor - 40 * day, pick(heads, 10)),
            ActivityPlan(village, health, "stunting", Topic.NUTRITION, "Penyuluhan gizi balita dan PMT",
                         self.anchor - 12 * day, pick(mothers, 12)),
        ]  # fmt: skip


def build_plan(anchor: datetime.date) -> Plan:
    return _Planner(anchor).build()


SECTORS = {"36.01": ("culinary", "fishery"), "36.02": ("agriculture", "livestock"),
           "36.71": ("digital", "services"), "36.03": ("agriculture", "trade")}  # fmt: skip
COUNTED = [User, Program, Partner, Household, Person, Enterprise, Group, CapitalAccess, Activity]


class Seeder:
    """Carries a plan out through the services; what already exists (by its key) is skipped."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.anchor = plan.anchor
        self.users: dict[str, User] = {}
        self.programs: dict[str, Program] = {}
        self.partners: dict[str, Partner] = {}
        self.enterprises: dict[str, Enterprise] = {}
        self.groups: dict[tuple[str, str], Group] = {}
        self.workers = {v: (worker, approver) for v, _n, worker, approver in VILLAGES}

    @transaction.atomic
    def run(self) -> dict[str, tuple[int, int]]:
        """Seed what is missing; returns, per model, (rows now, rows added)."""
        before = {m._meta.verbose_name_plural: m.objects.count() for m in COUNTED}
        self.ensure_users()
        self.ensure_reference_data()
        existing = set(
            Household.objects.filter(kk_number__in=[h.kk_number for h in self.plan.households]).values_list(
                "kk_number", flat=True
            )
        )
        for household in self.plan.households:
            if household.kk_number not in existing:
                self.seed_household(household)
        self.ensure_capital_access()
        for activity in self.plan.activities:
            self.seed_activity(activity)
        after = {m._meta.verbose_name_plural: m.objects.count() for m in COUNTED}
        return {str(name): (after[name], after[name] - before[name]) for name in after}

    def ensure_users(self) -> None:
        # One hash for the shared password: hashing it per user would double the run time.
        validate_password(PASSWORD)
        hashed = make_password(PASSWORD)
        for username, role, region, first, last in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = create_user(
                    username=username,
                    role=role,
                    region_code=region,
                    email=f"{username}@example.org",
                    first_name=first,
                    last_name=last,
                )
                user.password = hashed
                user.save(update_fields=["password"])
            self.users[username] = user
        if not User.objects.filter(username="admin").exists():
            admin = User.objects.create_superuser("admin", "admin@example.org")
            admin.password = hashed
            admin.save(update_fields=["password"])

    def ensure_reference_data(self) -> None:
        for key, spec in PROGRAMS.items():
            self.programs[key] = Program.objects.filter(name=spec["name"]).first() or _saved(
                Program(starts_on=PROGRAM_START, **spec)
            )
        for key, (name, kind, region) in PARTNERS.items():
            self.partners[key] = Partner.objects.filter(name=name, region_code=region).first() or _saved(
                Partner(name=name, kind=kind, region_code=region, contact=f"Sekretariat {name}")
            )
        for regency, (village, name, form, nib, _capital) in ENTERPRISES.items():
            self.enterprises[regency] = Enterprise.objects.filter(
                village_id=village, name=name
            ).first() or create_enterprise(
                actor=self.users[REGENCY_OFFICIAL[regency]],
                village=village,
                name=name,
                legal_form=form,
                founded_on=self.anchor - datetime.timedelta(days=300),
                nib=nib,
            )

    def group(self, village: str, slot: str) -> Group:
        key = (village, slot)
        if key not in self.groups:
            names = GROUP_NAMES[int(village[-1]) % 2]
            name = f"{names[slot == 'free']} {find_region(village).name}"
            group = Group.objects.filter(village_id=village, name=name).first()
            if group is None:
                sector = SECTORS[village[:5]][slot == "free"]
                formed_on = self.anchor - datetime.timedelta(days=365)
                worker = self.users[self.workers[village][0]]
                group = create_group(
                    actor=worker, village=village, name=name, sector=sector, formed_on=formed_on
                )
                if slot == "ent":
                    official = self.users[REGENCY_OFFICIAL[village[:5]]]
                    group = attach_group(
                        actor=official, group=group, enterprise=self.enterprises[village[:5]]
                    )
            self.groups[key] = group
        return self.groups[key]

    def seed_household(self, plan: HouseholdPlan) -> None:
        worker_name, approver_name = self.workers[plan.village]
        worker, approver = self.users[worker_name], self.users.get(approver_name or "")
        household = register_household(
            actor=worker,
            village=plan.village,
            kk_number=plan.kk_number,
            address=plan.address,
            rt=plan.rt,
            rw=plan.rw,
            desil=plan.desil,
            members=[m.as_service_data() for m in plan.members],
        )
        persons = list(household.members.order_by("pk"))
        case = None
        for op, *args in plan.steps:
            if op == "open":
                opened_on, program = args
                case = open_case(
                    actor=worker, household=household, opened_on=opened_on, program=self.programs[program]
                )
            elif op == "aid":
                self.record_aid(worker, case, args[0], persons)
            elif op == "join":
                group = self.group(plan.village, args[0])
                add_group_member(actor=worker, group=group, household=household, joined_on=args[1])
            elif op == "move":
                to, reason, exit_reason = args
                move = request_move(case=case, to=to, actor=worker, reason=reason, exit_reason=exit_reason)
                if move.state == MoveState.PENDING:
                    decide_move(move=move, actor=approver, approve=True, note=APPROVE_NOTE)
            elif op == "propose":
                request_move(case=case, to=args[0], actor=worker, reason=args[1])
            elif op == "reject":
                move = request_move(case=case, to=args[0], actor=worker, reason=MOVE_REASONS[args[0]])
                decide_move(move=move, actor=approver, approve=False, note=REJECT_NOTE)

    def record_aid(self, worker: User, case, aid: AidPlan, persons: list[Person]) -> None:
        record_assistance(
            actor=worker,
            case=case,
            kind=aid.kind,
            program=self.programs[aid.program],
            partner=self.partners[aid.partner] if aid.partner else None,
            recipient=persons[aid.recipient],
            delivered_on=aid.delivered_on,
            amount=aid.amount,
            quantity=aid.quantity,
            unit=aid.unit,
            note=aid.note,
        )

    def ensure_capital_access(self) -> None:
        day = datetime.timedelta(days=1)
        for regency, (*_where, capital) in ENTERPRISES.items():
            enterprise = self.enterprises[regency]
            for i, (source, amount, status) in enumerate(capital):
                applied_on = self.anchor - (200 - 25 * i) * day
                if CapitalAccess.objects.filter(enterprise=enterprise, source=source, amount=amount).exists():
                    continue
                approved_on = applied_on + 30 * day if status in ("approved", "disbursed") else None
                record_capital_access(
                    actor=self.users[REGENCY_OFFICIAL[regency]],
                    enterprise=enterprise,
                    source=source,
                    amount=amount,
                    status=status,
                    applied_on=applied_on,
                    approved_on=approved_on,
                    disbursed_on=approved_on + 21 * day if status == "disbursed" else None,
                    note=f"{CapitalAccess.Source(source).label} untuk modal usaha kelompok",
                )

    def seed_activity(self, plan: ActivityPlan) -> None:
        # Keyed without the date, which moves with the anchor: a run next month adds nothing.
        if Activity.objects.filter(village_id=plan.village, title=plan.title).exists():
            return
        recorder = ACTIVITY_RECORDER.get(plan.village) or self.workers[plan.village][0]
        record_activity(
            actor=self.users[recorder],
            partner=self.partners[plan.partner],
            village=plan.village,
            topic=plan.topic,
            title=plan.title,
            held_on=plan.held_on,
            attendees=Person.objects.filter(nik__in=plan.attendee_niks),
            program=self.programs[plan.program],
        )


def _saved(obj):
    try:
        obj.full_clean()
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None
    obj.save()
    return obj


def logins() -> list[tuple[str, str, str, str]]:
    """(username, role, region, password) of every demo login, for the table `make run` prints."""
    rows = [("admin", "superuser", "—", PASSWORD)]
    for username, role, region, *_names in USERS:
        place = find_region(region)
        rows.append((username, str(Role(role).label), f"{region} {place}", PASSWORD))
    return rows
