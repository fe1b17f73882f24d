"""Posyandu growth monitoring: a toddler's measurements, and the follow-up (pendampingan)
of a stunted or wasted child with the interventions it receives.

The numbers (age, z-scores, statuses, flags) come from `beneficiaries.growth.who` and are
stored on the row by `beneficiaries.services.growth`, so lists and reports read them
without recomputing. Rows keep the village, district and regency codes of the child's
household at the time of measuring, indexed for coverage and the monthly session page.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models import Partner
from regions.selectors import scoped_queryset

from ..growth.signs import GrowthSign
from ..growth.who import HazStatus, Position, WazStatus, WhzStatus
from .base import VillageRowModel, user_fk
from .people import Person

# The columns the coverage counts read (growth_tally.counts: the rebuild and the recount).
COUNTED = ["flagged", "haz_status", "waz_status", "whz_status", "whz"]
LOW_MUAC_CM = Decimal("11.5")  # LiLA under 11.5 cm: severe acute malnutrition, opens a follow-up


class Measurement(VillageRowModel):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("anak")
    )
    measured_on = models.DateField(_("tanggal pengukuran"))
    weight_kg = models.DecimalField(_("berat badan (kg)"), max_digits=4, decimal_places=2)
    height_cm = models.DecimalField(_("panjang/tinggi badan (cm)"), max_digits=4, decimal_places=1)
    position = models.CharField(_("cara ukur"), max_length=8, choices=Position.choices)
    muac_cm = models.DecimalField(
        _("lingkar lengan atas/LiLA (cm)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    head_cm = models.DecimalField(
        _("lingkar kepala (cm)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    posyandu = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posyandu"),
    )
    # Computed by the service from the fields above; recomputed when they are corrected.
    age_months = models.PositiveSmallIntegerField(_("umur (bulan)"), editable=False)
    haz = models.DecimalField(_("z-skor TB/U"), max_digits=5, decimal_places=2, null=True, editable=False)
    waz = models.DecimalField(_("z-skor BB/U"), max_digits=5, decimal_places=2, null=True, editable=False)
    whz = models.DecimalField(
        _("z-skor BB/PB atau BB/TB"), max_digits=5, decimal_places=2, null=True, editable=False
    )
    whz_note = models.CharField(_("catatan BB/TB"), max_length=200, blank=True, editable=False)
    haz_status = models.CharField(
        _("status TB/U"), max_length=24, choices=HazStatus.choices, blank=True, editable=False
    )
    waz_status = models.CharField(
        _("status BB/U"), max_length=24, choices=WazStatus.choices, blank=True, editable=False
    )
    whz_status = models.CharField(
        _("status BB/TB"), max_length=28, choices=WhzStatus.choices, blank=True, editable=False
    )
    growth_sign = models.CharField(
        _("tanda pertumbuhan"), max_length=1, choices=GrowthSign.choices, editable=False
    )
    two_t = models.BooleanField(_("2T (dua kali tidak naik)"), default=False, editable=False)
    # The child's last measurement of its calendar month: the one coverage and prevalence
    # count, so a child measured twice in a month counts once (kept by the service).
    last_of_month = models.BooleanField(_("pengukuran terakhir bulan itu"), default=True, editable=False)
    flagged = models.BooleanField(
        _("perlu diukur ulang"),
        default=False,
        editable=False,
        help_text=_("Nilai di luar batas wajar WHO: disimpan, tetapi tidak dihitung dalam prevalensi."),
    )
    # The implausible indicators, comma-separated ("haz,whz"); empty when not flagged.
    flags = models.CharField(_("indikator tidak wajar"), max_length=20, blank=True, editable=False)
    recorded_by = user_fk(_("dicatat oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-measured_on", "-id"]
        verbose_name = _("pengukuran balita")
        verbose_name_plural = _("pengukuran balita")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "measured_on"],
                name="one_measurement_per_child_per_day",
                violation_error_code="unique",
                violation_error_message=_("Anak ini sudah diukur pada tanggal tersebut."),
            ),
            models.CheckConstraint(
                condition=models.Q(weight_kg__gte=Decimal("0.5"), weight_kg__lte=Decimal("40")),
                name="measurement_weight_range",
            ),
            models.CheckConstraint(
                condition=models.Q(height_cm__gte=Decimal("35"), height_cm__lte=Decimal("130")),
                name="measurement_height_range",
            ),
            models.CheckConstraint(
                condition=models.Q(age_months__lt=60), name="measurement_toddler_under_60_months"
            ),
            models.CheckConstraint(
                condition=models.Q(flagged=False, flags="") | models.Q(flagged=True) & ~models.Q(flags=""),
                name="measurement_flagged_iff_flags",
            ),
        ]
        indexes = [
            # A month's last measurements with what they count: the growth village-months'
            # rebuild (growth_tally.refresh) and recount read them from the index alone; the
            # coverage selectors read the village-months instead.
            models.Index(
                fields=["measured_on"],
                include=[*COUNTED, "regency", "district", "village"],
                condition=models.Q(last_of_month=True),
                name="measurement_month_idx",
            ),
            models.Index(
                fields=["regency", "measured_on"],
                include=[*COUNTED, "district", "village"],
                condition=models.Q(last_of_month=True),
                name="measurement_regency_month_idx",
            ),
            # a district's coverage; the session page of a village
            models.Index(fields=["district", "measured_on"], name="measurement_district_month_idx"),
            models.Index(fields=["village", "measured_on"], name="measurement_village_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} · {self.measured_on:%d-%m-%Y}"

    @property
    def flag_list(self) -> list[str]:
        return [f for f in self.flags.split(",") if f]

    @property
    def low_muac(self) -> bool:
        return self.muac_cm is not None and self.muac_cm < LOW_MUAC_CM


# What a month's last measurement adds to its village-month (`GrowthMonth`), in the names
# `growth_selectors` gives the coverage counts; defined once in `beneficiaries.growth_tally`.
GROWTH_MONTH_COUNTS = [
    "measured", "implausible", "assessed", "whz_assessed", "stunted", "severely_stunted",
    "wasted", "severely_wasted", "underweight",
]  # fmt: skip


class GrowthMonth(VillageRowModel):
    """One village's coverage counts of one calendar month: its children measured (their
    last measurement of the month), flagged, assessed, stunted, wasted and underweight, so
    that the province's coverage adds up about 1,550 narrow rows instead of 800,000
    measurements. `beneficiaries.growth_tally` keeps it in step with every save and delete
    of a measurement and every bulk write of the growth service, in the same transaction;
    `growth_tally.refresh` rebuilds it from the rows (a bulk load, or a check)."""

    month = models.DateField(_("periode"))
    # Plain integers: the upsert adds negative differences too.
    measured = models.IntegerField(_("Balita diukur dalam bulan"), default=0)
    implausible = models.IntegerField(_("Pengukuran tidak wajar, perlu diulang"), default=0)
    assessed = models.IntegerField(_("Pengukuran wajar (dasar prevalensi stunting)"), default=0)
    whz_assessed = models.IntegerField(_("Pengukuran dengan BB/TB (dasar prevalensi wasting)"), default=0)
    stunted = models.IntegerField(_("Pendek dan sangat pendek (stunting)"), default=0)
    severely_stunted = models.IntegerField(_("Sangat pendek"), default=0)
    wasted = models.IntegerField(_("Gizi kurang dan gizi buruk (wasting)"), default=0)
    severely_wasted = models.IntegerField(_("Gizi buruk"), default=0)
    underweight = models.IntegerField(_("Berat badan kurang dan sangat kurang"), default=0)
    # The village's toddlers known in the month, written when the month closes
    # (`growth_tally.close_months`); 0 while the month is open (the selectors count live).
    toddlers = models.IntegerField(_("Balita terdata"), default=0)

    objects = scoped_queryset("").as_manager()

    class Meta:
        ordering = ["village", "month"]
        verbose_name = _("Pemantauan pertumbuhan balita")
        verbose_name_plural = _("Pemantauan pertumbuhan balita")
        constraints = [models.UniqueConstraint(fields=["village", "month"], name="growth_month_unique")]
        indexes = [models.Index(fields=["month", "regency"], name="growth_month_regency_idx")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.month:%m-%Y}"


class GrowthMonthClose(models.Model):
    """A calendar month whose toddlers known are kept in its `GrowthMonth.toddlers` (the
    count when it closed, `growth_tally.close_months`): the coverage selectors read them
    there instead of counting the persons."""

    month = models.DateField(_("periode"), unique=True)
    closed_at = models.DateTimeField(_("ditutup pada"))

    class Meta:
        ordering = ["month"]
        verbose_name = _("penutupan bulan pemantauan pertumbuhan")
        verbose_name_plural = _("penutupan bulan pemantauan pertumbuhan")

    def __str__(self) -> str:
        return f"{self.month:%m-%Y}"


class FollowUpReason(models.TextChoices):
    STUNTED = "stunted", _("pendek/sangat pendek (stunting)")
    WASTED = "wasted", _("gizi kurang/gizi buruk (wasting)")
    SEVERELY_UNDERWEIGHT = "severely_underweight", _("berat badan sangat kurang")
    TWO_T = "two_t", _("2T: dua kali berturut-turut tidak naik")
    LOW_MUAC = "low_muac", _("LiLA di bawah 11,5 cm")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Berjalan")
    CLOSED = "closed", _("Selesai")


class CloseReason(models.TextChoices):
    RECOVERED = "recovered", _("Pulih: kembali dalam batas normal")
    AGED_OUT = "aged_out", _("Sudah berumur 60 bulan")
    MOVED = "moved", _("Pindah")
    DIED = "died", _("Meninggal dunia")
    OTHER = "other", _("Lainnya")


class GrowthFollowUp(VillageRowModel):
    """Pendampingan: one child followed from a measurement that called for it until they
    are measured back in range or leave (aged out, moved, died)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="growth_followups", verbose_name=_("anak")
    )
    opened_on = models.DateField(_("dibuka"))
    # Comma-separated FollowUpReason codes ("stunted,two_t"), widened while it stays open.
    reasons = models.CharField(_("alasan"), max_length=100)
    opening_measurement = models.ForeignKey(
        Measurement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengukuran awal"),
    )
    status = models.CharField(
        _("status"), max_length=6, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    closed_on = models.DateField(_("ditutup"), null=True, blank=True)
    close_reason = models.CharField(
        _("alasan selesai"), max_length=10, choices=CloseReason.choices, blank=True
    )
    close_note = models.TextField(_("catatan selesai"), blank=True)
    opened_by = user_fk(_("dibuka oleh"))
    closed_by = user_fk(_("ditutup oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("pendampingan balita")
        verbose_name_plural = _("pendampingan balita")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="open"),
                name="one_open_followup_per_child",
                violation_error_code="unique",
                violation_error_message=_("Anak ini sudah dalam pendampingan yang masih berjalan."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_on__isnull=True, close_reason="")
                | models.Q(status="closed", closed_on__isnull=False) & ~models.Q(close_reason=""),
                name="followup_closed_with_date_and_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "status"], name="followup_regency_status_idx"),
            models.Index(fields=["district", "status"], name="followup_district_status_idx"),
            models.Index(fields=["village", "status"], name="followup_village_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{_('Pendampingan')} {self.person.full_name} ({self.opened_on:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.status == FollowUpStatus.OPEN

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split(",") if r]

    def get_reasons_display(self) -> str:
        labels = dict(FollowUpReason.choices)
        return ", ".join(str(labels.get(r, r)) for r in self.reason_list)


class InterventionKind(models.TextChoices):
    # specific (gizi spesifik)
    PMT = "pmt", _("Pemberian makanan tambahan (PMT)")
    VITAMIN_A = "vitamin_a", _("Vitamin A")
    DEWORMING = "deworming", _("Obat cacing")
    PUSKESMAS_REFERRAL = "puskesmas_referral", _("Rujukan ke puskesmas")
    NUTRITION_COUNSELLING = "nutrition_counselling", _("Konseling gizi")
    # sensitive (gizi sensitif)
    CLEAN_WATER = "clean_water", _("Air bersih")
    SANITATION = "sanitation", _("Sanitasi")
    FAMILY_AID = "family_aid", _("Bantuan keluarga melalui kasus rumah tangga")
    PROGRAMME_ENROLMENT = "programme_enrolment", _("Pendaftaran rumah tangga ke program")


SPECIFIC_KINDS = frozenset({"pmt", "vitamin_a", "deworming", "puskesmas_referral", "nutrition_counselling"})


class Intervention(VillageRowModel):
    Kind = InterventionKind

    followup = models.ForeignKey(
        GrowthFollowUp, on_delete=models.PROTECT, related_name="interventions", verbose_name=_("pendampingan")
    )
    given_on = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis intervensi"), max_length=24, choices=InterventionKind.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mitra")
    )
    note = models.TextField(_("catatan"), blank=True)
    recorded_by = user_fk(_("dicatat oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("intervensi")
        verbose_name_plural = _("intervensi")
        indexes = [models.Index(fields=["regency", "given_on"], name="intervention_regency_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.given_on:%d-%m-%Y})"

    @property
    def is_specific(self) -> bool:
        return self.kind in SPECIFIC_KINDS
