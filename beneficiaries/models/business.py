"""Household businesses (usaha) and what follows them: follow-ups at 3, 6 and 12 months,
capital help by scheme, and women's enrolment in the economic-empowerment programme.

A business belongs to a person or to a group (exactly one). The follow-up service keeps
`last_status` and `next_due_*` on the business row, so the attention list, the stage guard
and the report read one indexed row instead of the follow-ups' history.
"""

import calendar
import datetime

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formatting import rupiah
from core.models import VersionedModel
from core.validators import validate_plain_text
from programs.models import Partner, Program
from regions.selectors import scoped_queryset

from .base import VillageRowModel, not_in_future, raise_if, user_fk
from .groups import Group, Sector
from .people import Household, Person

# What each zone's programme is meant to build on (PRODUCT.md "Regions and their potential").
ZONE_FOCUS: dict[str, frozenset[str]] = {
    "north": frozenset({Sector.DIGITAL, Sector.SERVICES}),
    "south": frozenset({Sector.AGRICULTURE, Sector.FISHERY, Sector.LIVESTOCK, Sector.CULINARY}),
}

# The scheduled follow-ups, months after the business started.
SCHEDULE_MONTHS = (3, 6, 12)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or that month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class FollowUpKind(models.TextChoices):
    MONTH_3 = "m3", _("3 bulan")
    MONTH_6 = "m6", _("6 bulan")
    MONTH_12 = "m12", _("12 bulan")
    AD_HOC = "adhoc", _("Kunjungan lain")


KIND_MONTHS = {FollowUpKind.MONTH_3: 3, FollowUpKind.MONTH_6: 6, FollowUpKind.MONTH_12: 12}


class BusinessStatus(models.TextChoices):
    RUNNING = "running", _("Masih berjalan")
    STOPPED = "stopped", _("Berhenti")


class StopReason(models.TextChoices):
    CAPITAL = "capital", _("Kehabisan modal")
    MARKET = "market", _("Tidak ada pembeli")
    HEALTH = "health", _("Sakit atau mengurus keluarga")
    DISASTER = "disaster", _("Bencana")
    WORK = "work", _("Bekerja di tempat lain")
    OTHER = "other", _("Lainnya")


class Business(VersionedModel, VillageRowModel):
    owner_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="businesses",
        verbose_name=_("pemilik (perorangan)"),
    )
    owner_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="businesses",
        verbose_name=_("pemilik (kelompok)"),
    )
    # The owner's household, kept so the household page and the stage guard read it directly.
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="businesses",
        verbose_name=_("rumah tangga"),
    )
    name = models.CharField(_("nama usaha"), max_length=200, validators=[validate_plain_text])
    sector = models.CharField(_("bidang usaha"), max_length=12, choices=Sector.choices)
    started_on = models.DateField(_("mulai usaha"))
    sells_at_market = models.BooleanField(_("berjualan di pasar"), default=False)
    sells_in_shop = models.BooleanField(_("berjualan di toko/warung"), default=False)
    sells_online = models.BooleanField(_("berjualan di platform daring"), default=False)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^\d{13}$", _("NIB harus 13 angka."))],
        help_text=_("Nomor Induk Berusaha dari OSS, jika sudah ada."),
    )
    last_status = models.CharField(
        _("status kunjungan terakhir"),
        max_length=8,
        choices=BusinessStatus.choices,
        blank=True,
        editable=False,
    )
    last_followup_on = models.DateField(_("kunjungan terakhir"), null=True, blank=True, editable=False)
    last_monthly_revenue = models.BigIntegerField(
        _("omzet per bulan terakhir (Rp)"), null=True, blank=True, editable=False
    )
    next_due_kind = models.CharField(
        _("kunjungan berikutnya"), max_length=5, choices=FollowUpKind.choices, blank=True, editable=False
    )
    next_due_on = models.DateField(_("jatuh tempo kunjungan"), null=True, blank=True, editable=False)
    recorded_by = user_fk(_("dicatat oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("usaha")
        verbose_name_plural = _("usaha")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_person__isnull=False, owner_group__isnull=True)
                | models.Q(owner_person__isnull=True, owner_group__isnull=False),
                name="business_one_owner",
                violation_error_message=_("Pilih satu pemilik: perorangan atau kelompok."),
            ),
            models.UniqueConstraint(
                fields=["nib"],
                condition=~models.Q(nib=""),
                name="business_unique_nib",
                violation_error_code="unique",
                violation_error_message=_("NIB ini sudah terdaftar."),
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "sector"], name="business_regency_sector_idx"),
            models.Index(fields=["district", "sector"], name="business_district_sector_idx"),
            models.Index(fields=["village", "next_due_on"], name="business_village_due_idx"),
            models.Index(fields=["household", "last_status"], name="business_household_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.owner_person_id and not self.village_id:
            self.village_id = self.owner_person.household.village_id
        if self.owner_group_id and not self.village_id:
            self.village_id = self.owner_group.village_id
        if self.owner_person_id and not self.household_id:
            self.household_id = self.owner_person.household_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        not_in_future(errors, "started_on", self.started_on)
        if bool(self.owner_person_id) == bool(self.owner_group_id):
            errors["owner_person"] = [_("Pilih satu pemilik: perorangan atau kelompok.")]
        if not (self.sells_at_market or self.sells_in_shop or self.sells_online):
            errors["sells_at_market"] = [_("Pilih minimal satu tempat berjualan.")]
        if (
            self.owner_person_id
            and self.village_id
            and self.owner_person.household.village_id != self.village_id
        ):
            errors["owner_person"] = [_("Pemilik harus warga desa tempat usaha.")]
        if self.owner_group_id and self.village_id and self.owner_group.village_id != self.village_id:
            errors["owner_group"] = [_("Kelompok harus dari desa tempat usaha.")]
        raise_if(errors)

    @property
    def channels(self) -> list[str]:
        labels = [
            (self.sells_at_market, _("pasar")),
            (self.sells_in_shop, _("toko/warung")),
            (self.sells_online, _("platform daring")),
        ]
        return [str(label) for on, label in labels if on]

    @property
    def owner(self) -> Person | Group | None:
        return self.owner_person if self.owner_person_id else self.owner_group

    def due_on(self, kind: str) -> datetime.date | None:
        months = KIND_MONTHS.get(kind)  # type: ignore[call-overload]
        return add_months(self.started_on, months) if months and self.started_on else None


class BusinessFollowUp(VillageRowModel):
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="followups", verbose_name=_("usaha")
    )
    kind = models.CharField(_("jenis kunjungan"), max_length=5, choices=FollowUpKind.choices)
    visited_on = models.DateField(_("tanggal kunjungan"))
    status = models.CharField(_("kondisi usaha"), max_length=8, choices=BusinessStatus.choices)
    stop_reason = models.CharField(
        _("alasan berhenti"), max_length=10, choices=StopReason.choices, blank=True
    )
    monthly_revenue = models.BigIntegerField(
        _("omzet per bulan (Rp)"), default=0, validators=[MinValueValidator(0)]
    )
    monthly_profit = models.BigIntegerField(_("laba per bulan (Rp)"), null=True, blank=True)
    workers = models.PositiveSmallIntegerField(_("jumlah pekerja"), default=1)
    note = models.TextField(_("catatan"), blank=True, validators=[validate_plain_text])
    recorded_by = user_fk(_("dicatat oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("kunjungan usaha")
        verbose_name_plural = _("kunjungan usaha")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "kind"],
                condition=~models.Q(kind="adhoc"),
                name="business_followup_once_per_schedule",
                violation_error_code="unique",
                violation_error_message=_("Kunjungan terjadwal ini sudah dicatat untuk usaha ini."),
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_revenue__gte=0), name="business_followup_revenue_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(status="stopped") & ~models.Q(stop_reason="")
                | models.Q(status="running", stop_reason=""),
                name="business_followup_stop_reason_iff_stopped",
            ),
        ]
        indexes = [
            models.Index(fields=["regency", "kind", "status"], name="followup_regency_kind_idx"),
            models.Index(fields=["business", "-visited_on"], name="followup_business_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.business} · {self.get_kind_display()} · {self.get_status_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.business_id and not self.village_id:
            self.village_id = self.business.village_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        not_in_future(errors, "visited_on", self.visited_on)
        business = self.business if self.business_id else None
        if business and self.visited_on and self.visited_on < business.started_on:
            errors.setdefault("visited_on", []).append(
                _("Tanggal kunjungan tidak boleh sebelum usaha dimulai.")
            )
        if self.status == BusinessStatus.STOPPED and not self.stop_reason:
            errors["stop_reason"] = [_("Pilih alasan usaha berhenti.")]
        if self.status == BusinessStatus.RUNNING and self.stop_reason:
            errors["stop_reason"] = [_("Alasan berhenti hanya untuk usaha yang berhenti.")]
        raise_if(errors)


class CapitalScheme(models.TextChoices):
    GRANT = "grant", _("Hibah")
    REVOLVING = "revolving", _("Dana bergulir")
    KUR = "kur", _("KUR (pinjaman bank)")
    CSR = "csr", _("CSR mitra")
    BUMDES = "bumdes", _("BUMDes")
    COOPERATIVE = "cooperative", _("Pinjaman koperasi")


class CapitalHelpStatus(models.TextChoices):
    APPLIED = "applied", _("Diajukan")
    APPROVED = "approved", _("Disetujui")
    DISBURSED = "disbursed", _("Dicairkan")
    REFUSED = "refused", _("Ditolak")


class CapitalHelp(VersionedModel, VillageRowModel):
    Scheme = CapitalScheme
    Status = CapitalHelpStatus

    business = models.ForeignKey(
        Business,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="capital_help",
        verbose_name=_("usaha"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="capital_help",
        verbose_name=_("penerima (perorangan)"),
    )
    scheme = models.CharField(_("skema"), max_length=12, choices=CapitalScheme.choices)
    amount = models.BigIntegerField(_("nilai (Rp)"), validators=[MinValueValidator(1)])
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mitra")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CapitalHelpStatus.choices, default=CapitalHelpStatus.APPLIED
    )
    applied_on = models.DateField(_("tanggal diajukan"))
    approved_on = models.DateField(_("tanggal disetujui"), null=True, blank=True)
    disbursed_on = models.DateField(_("tanggal dicairkan"), null=True, blank=True)
    refused_on = models.DateField(_("tanggal ditolak"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True, validators=[validate_plain_text])
    recorded_by = user_fk(_("dicatat oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("bantuan modal usaha")
        verbose_name_plural = _("bantuan modal usaha")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(business__isnull=False, person__isnull=True)
                | models.Q(business__isnull=True, person__isnull=False),
                name="capital_help_one_recipient",
                violation_error_message=_("Pilih satu penerima: usaha atau perorangan."),
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="capital_help_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["regency", "status", "scheme"], name="capital_help_regency_idx"),
            models.Index(fields=["district", "status"], name="capital_help_district_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} · {rupiah(self.amount)}"

    def save(self, *args, **kwargs) -> None:
        if self.business_id and not self.village_id:
            self.village_id = self.business.village_id
        if self.person_id and not self.village_id:
            self.village_id = self.person.household.village_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Applied, then approved, then disbursed (or refused): each step dated, in order."""
        errors: dict[str, list] = {}
        for field in ("applied_on", "approved_on", "disbursed_on", "refused_on"):
            not_in_future(errors, field, getattr(self, field))
        if bool(self.business_id) == bool(self.person_id):
            errors["business"] = [_("Pilih satu penerima: usaha atau perorangan.")]
        needs = {
            CapitalHelpStatus.APPROVED: ["approved_on"],
            CapitalHelpStatus.DISBURSED: ["approved_on", "disbursed_on"],
            CapitalHelpStatus.REFUSED: ["refused_on"],
        }
        for field in needs.get(self.status, []):  # type: ignore[call-overload]
            if not getattr(self, field):
                errors.setdefault(field, []).append(
                    _("Wajib diisi untuk status %(status)s.") % {"status": self.get_status_display()}
                )
        dated = [d for d in (self.applied_on, self.approved_on, self.disbursed_on) if d]
        if dated != sorted(dated) or (
            self.refused_on and self.applied_on and self.refused_on < self.applied_on
        ):
            errors.setdefault("approved_on", []).append(
                _("Urutan tanggal harus: diajukan, disetujui, lalu dicairkan atau ditolak.")
            )
        raise_if(errors)


class WomenEnrolment(VersionedModel, VillageRowModel):
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="women_enrolment", verbose_name=_("peserta")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        editable=False,
        related_name="women_enrolments",
        verbose_name=_("rumah tangga"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("program")
    )
    enrolled_on = models.DateField(_("tanggal terdaftar"))
    # Derived by the service from the household (a woman is its head), never typed.
    female_headed = models.BooleanField(_("rumah tangga dikepalai perempuan"), default=False, editable=False)
    note = models.TextField(_("catatan"), blank=True, validators=[validate_plain_text])
    recorded_by = user_fk(_("dicatat oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-enrolled_on", "-id"]
        verbose_name = _("peserta pemberdayaan perempuan")
        verbose_name_plural = _("peserta pemberdayaan perempuan")
        indexes = [
            models.Index(fields=["regency", "enrolled_on"], name="women_enrolment_regency_idx"),
            models.Index(fields=["district", "enrolled_on"], name="women_enrolment_district_idx"),
            models.Index(fields=["village", "enrolled_on"], name="women_enrolment_village_idx"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def save(self, *args, **kwargs) -> None:
        if self.person_id and not self.household_id:
            self.household_id = self.person.household_id
        if self.household_id and not self.village_id:
            self.village_id = self.household.village_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        not_in_future(errors, "enrolled_on", self.enrolled_on)
        person = self.person if self.person_id else None
        if person is not None:
            if person.sex != "P":
                errors["person"] = [_("Peserta program ini harus perempuan.")]
            elif person.relation not in ("head", "spouse"):
                errors["person"] = [_("Peserta harus kepala keluarga atau istri dalam rumah tangganya.")]
            elif person.left_on is not None:
                errors["person"] = [_("Peserta sudah keluar dari rumah tangganya.")]
        if self.program_id and not self.program.targets_women:
            errors["program"] = [_("Pilih program pemberdayaan perempuan.")]
        raise_if(errors)
