"""The catalogue of figures a monthly report carries: key, Indonesian label, unit, kind.

The selector fills a `Value` for every key; each renderer walks this catalogue, so the email,
the XLSX and the PDF always show the same figures under the same labels.
"""

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from beneficiaries.models.cases import AssistanceKind

COUNT, RUPIAH = "count", "rupiah"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str = COUNT
    stock: bool = False  # a level at the end of the month (no cumulative), not a flow


@dataclass(slots=True)  # a province report holds about 130,000 of them
class Value:
    """`current`: the month (a flow) or its end (a stock); `previous`: the month before;
    `cumulative`: everything up to the end of the month (flows only)."""

    current: int = 0
    previous: int = 0
    cumulative: int | None = None

    @property
    def change(self) -> int:
        return self.current - self.previous

    def add(self, other: "Value") -> None:
        self.current += other.current
        self.previous += other.previous
        if other.cumulative is not None:
            self.cumulative = (self.cumulative or 0) + other.cumulative


STAGE_KEYS = ["stage_1", "stage_2", "stage_3", "graduated", "exited"]
MOVE_KINDS = ["entry", "advance", "fallback", "graduate", "exit"]
CAPITAL_STEPS = ["applied", "approved", "disbursed"]
PARTNER_GROUPS = ["pkk", "posyandu", "other"]

SECTIONS: list[tuple[str, str, list[Metric]]] = [
    (
        "cases",
        _("Kasus per tahap (akhir bulan)"),
        [
            Metric("stage_1", _("Tahap 1: kebutuhan dasar"), stock=True),
            Metric("stage_2", _("Tahap 2: kemandirian rumah tangga"), stock=True),
            Metric("stage_3", _("Tahap 3: konsolidasi kelompok"), stock=True),
            Metric("active", _("Kasus aktif"), stock=True),
            Metric("graduated", _("Mandiri (lulus)"), stock=True),
            Metric("exited", _("Keluar"), stock=True),
        ],
    ),
    (
        "moves",
        _("Perpindahan tahap yang berlaku"),
        [
            Metric("move_entry", _("Masuk program")),
            Metric("move_advance", _("Naik tahap")),
            Metric("move_fallback", _("Turun tahap")),
            Metric("move_graduate", _("Lulus mandiri")),
            Metric("move_exit", _("Keluar program")),
            Metric("pending", _("Usulan menunggu persetujuan (akhir bulan)"), stock=True),
        ],
    ),
    (
        "assistance",
        _("Bantuan tersalurkan"),
        [
            m
            for kind in AssistanceKind
            for m in (
                Metric(f"aid_{kind.value}_count", format_lazy(_("{kind}: jumlah"), kind=kind.label)),
                Metric(f"aid_{kind.value}_amount", format_lazy(_("{kind}: nilai"), kind=kind.label), RUPIAH),
            )
        ]
        + [
            Metric("aid_total_count", _("Semua bantuan: jumlah")),
            Metric("aid_total_amount", _("Semua bantuan: nilai"), RUPIAH),
        ],
    ),
    (
        "enterprise",
        _("Kelompok, badan usaha dan permodalan"),
        [
            Metric("groups_formed", _("Kelompok usaha bersama dibentuk")),
            Metric("enterprises_founded", _("Badan usaha didirikan")),
            Metric("capital_applied_count", _("Permodalan diajukan: jumlah")),
            Metric("capital_applied_amount", _("Permodalan diajukan: nilai"), RUPIAH),
            Metric("capital_approved_count", _("Permodalan disetujui: jumlah")),
            Metric("capital_approved_amount", _("Permodalan disetujui: nilai"), RUPIAH),
            Metric("capital_disbursed_count", _("Permodalan dicairkan: jumlah")),
            Metric("capital_disbursed_amount", _("Permodalan dicairkan: nilai"), RUPIAH),
        ],
    ),
    (
        "women",
        _("Partisipasi perempuan"),
        [
            Metric("women_assisted", _("Perempuan anggota rumah tangga penerima bantuan")),
            Metric("women_attending", _("Perempuan peserta kegiatan")),
            Metric("women_program_attending", _("Peserta kegiatan program pemberdayaan perempuan")),
        ],
    ),
    (
        "growth",
        _("Pemantauan pertumbuhan balita"),
        [
            Metric("growth_toddlers", _("Balita terdaftar"), stock=True),
            Metric("growth_measured", _("Balita diukur dalam bulan"), stock=True),
            Metric("growth_stunted", _("Pendek dan sangat pendek (stunting)"), stock=True),
            Metric("growth_severely_stunted", _("Sangat pendek"), stock=True),
            Metric("growth_wasted", _("Gizi kurang dan gizi buruk (wasting)"), stock=True),
            Metric("growth_severely_wasted", _("Gizi buruk"), stock=True),
            Metric("growth_underweight", _("Berat badan kurang dan sangat kurang"), stock=True),
            Metric("growth_assessed", _("Pengukuran wajar (dasar prevalensi stunting)"), stock=True),
            Metric(
                "growth_whz_assessed", _("Pengukuran dengan BB/TB (dasar prevalensi wasting)"), stock=True
            ),
            Metric("growth_implausible", _("Pengukuran tidak wajar, perlu diulang"), stock=True),
            Metric("growth_followups_open", _("Balita dalam pendampingan (akhir bulan)"), stock=True),
            Metric("growth_followups_opened", _("Pendampingan dibuka")),
            Metric("growth_followups_closed", _("Pendampingan selesai")),
        ],
    ),
    (
        "activities",
        _("Kegiatan oleh mitra"),
        [
            Metric("activities_total", _("Semua kegiatan")),
            Metric("activities_pkk", _("Kegiatan PKK")),
            Metric("activities_posyandu", _("Kegiatan posyandu")),
            Metric("activities_other", _("Kegiatan mitra lain")),
        ],
    ),
]

METRICS: dict[str, Metric] = {m.key: m for _key, _title, metrics in SECTIONS for m in metrics}

# The columns of the side-by-side tables (email, PDF, XLSX area sheets).
AREA_STOCK_COLUMNS = ["stage_1", "stage_2", "stage_3", "graduated", "exited", "pending"]
AREA_COLUMNS = [
    *AREA_STOCK_COLUMNS,
    "move_entry",
    "move_graduate",
    "aid_total_count",
    "aid_total_amount",
    "groups_formed",
    "enterprises_founded",
    "capital_disbursed_amount",
    "women_attending",
    "activities_total",
]


# The growth percentages, derived from the counts above after they are added up by area
# (`reports.selectors.Area.growth`): key, label, the GrowthCoverage field.
GROWTH_RATES = [
    ("growth_coverage_pct", _("Cakupan penimbangan (%)"), "coverage_pct"),
    ("growth_stunting_pct", _("Prevalensi stunting (%)"), "stunting_pct"),
    ("growth_wasting_pct", _("Prevalensi wasting (%)"), "wasting_pct"),
]
# The counts the coverage selector gives, by report key (GrowthCoverage field or count key).
GROWTH_COUNTS = {
    "growth_toddlers": "toddlers",
    "growth_measured": "measured",
    "growth_stunted": "stunted",
    "growth_severely_stunted": "severely_stunted",
    "growth_wasted": "wasted",
    "growth_severely_wasted": "severely_wasted",
    "growth_underweight": "underweight",
    "growth_assessed": "assessed",
    "growth_whz_assessed": "whz_assessed",
    "growth_implausible": "flagged",
    "growth_followups_open": "followups_open",
}


# An area's figures are kept as one row of integers, three a figure (current, previous,
# cumulative) in catalogue order: the selector adds rows up column by column, and a `Value` is
# made when a figure is read. A province report holds 1,715 rows this way instead of about
# 100,000 `Value` objects, whose allocation and garbage collection cost more than its queries.
KEYS = list(METRICS)
SLOT = {key: 3 * i for i, key in enumerate(KEYS)}  # where a figure's current sits in a row
WIDTH = 3 * len(KEYS)
STOCKS = frozenset(key for key in KEYS if METRICS[key].stock)


def empty_row() -> list[int]:
    return [0] * WIDTH


class Figures(MutableMapping[str, Value]):
    """The figures of one area by key, in catalogue order, over its row of sums. Each read
    gives a new `Value` (a stock's cumulative is None): change a figure by setting it."""

    __slots__ = ("row",)

    def __init__(self, row: list[int] | None = None) -> None:
        self.row = empty_row() if row is None else row

    def __getitem__(self, key: str) -> Value:
        i, row = SLOT[key], self.row
        return Value(row[i], row[i + 1], None if key in STOCKS else row[i + 2])

    def __setitem__(self, key: str, value: Value) -> None:
        i = SLOT[key]
        self.row[i : i + 3] = [value.current, value.previous, value.cumulative or 0]

    def __delitem__(self, key: str) -> None:
        raise TypeError("A report carries every figure of the catalogue.")

    def __iter__(self) -> Iterator[str]:
        return iter(KEYS)

    def __len__(self) -> int:
        return WIDTH // 3

    def __repr__(self) -> str:
        return f"Figures({dict(self.items())!r})"
