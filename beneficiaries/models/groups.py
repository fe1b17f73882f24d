"""Stage 3: households joined into groups, groups integrated into enterprises with capital."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel, VersionedModel
from core.validators import validate_plain_text
from regions.selectors import scoped_queryset

from .base import VillageRowModel, not_in_future, raise_if
from .people import Household


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Pertanian")
    FISHERY = "fishery", _("Perikanan")
    LIVESTOCK = "livestock", _("Peternakan")
    CULINARY = "culinary", _("Kuliner/tata boga")
    CRAFT = "craft", _("Kerajinan")
    TRADE = "trade", _("Perdagangan")
    SERVICES = "services", _("Jasa")
    DIGITAL = "digital", _("Digital")
    OTHER = "other", _("Lainnya")


class Enterprise(VersionedModel, VillageRowModel):
    class LegalForm(models.TextChoices):
        COOPERATIVE = "cooperative", _("Koperasi")
        BUMDES_UNIT = "bumdes_unit", _("Unit usaha BUMDes")
        KUBE = "kube", _("KUBE")
        CV = "cv", _("CV")
        UD = "ud", _("UD")
        OTHER = "other", _("Lainnya")

    name = models.CharField(_("nama"), max_length=200, validators=[validate_plain_text])
    legal_form = models.CharField(_("bentuk badan usaha"), max_length=12, choices=LegalForm.choices)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"\A[0-9]{13}\Z", _("NIB harus 13 angka."))],
        help_text=_("Nomor Induk Berusaha dari OSS, jika sudah ada."),
    )
    founded_on = models.DateField(_("tanggal berdiri"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("badan usaha")
        verbose_name_plural = _("badan usaha")
        constraints = [
            models.UniqueConstraint(
                fields=["nib"],
                condition=~models.Q(nib=""),
                name="enterprise_unique_nib",
                violation_error_code="unique",
                violation_error_message=_("NIB ini sudah terdaftar."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list] = {}
        not_in_future(errors, "founded_on", self.founded_on)
        raise_if(errors)


class Group(VersionedModel, VillageRowModel):
    name = models.CharField(_("nama kelompok"), max_length=200, validators=[validate_plain_text])
    sector = models.CharField(_("bidang usaha"), max_length=12, choices=Sector.choices)
    formed_on = models.DateField(_("tanggal dibentuk"))
    is_active = models.BooleanField(_("aktif"), default=True)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("badan usaha"),
    )
    households = models.ManyToManyField(
        Household, through="GroupMembership", related_name="business_groups", verbose_name=_("anggota")
    )

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kelompok usaha bersama")
        verbose_name_plural = _("kelompok usaha bersama")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="group_unique_name_per_village",
                violation_error_code="unique",
                violation_error_message=_("Nama kelompok ini sudah dipakai di desa yang sama."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list] = {}
        not_in_future(errors, "formed_on", self.formed_on)
        if self.enterprise_id and self.village_id and self.enterprise.regency_id != self.village_id[:5]:
            errors["enterprise"] = [_("Badan usaha harus dari kabupaten/kota yang sama dengan kelompok.")]
        raise_if(errors)


class GroupMembership(TimestampedModel):
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("kelompok")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="group_memberships", verbose_name=_("rumah tangga")
    )
    joined_on = models.DateField(_("bergabung"))

    objects = scoped_queryset("group__").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "joined_on"]
        verbose_name = _("keanggotaan kelompok")
        verbose_name_plural = _("keanggotaan kelompok")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "household"],
                name="membership_unique",
                violation_error_code="unique",
                violation_error_message=_("Rumah tangga ini sudah menjadi anggota kelompok."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.group}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        not_in_future(errors, "joined_on", self.joined_on)
        if self.group_id and self.household_id and self.household.village_id != self.group.village_id:
            errors["household"] = [_("Rumah tangga harus dari desa yang sama dengan kelompok.")]
        if self.group_id and self._state.adding and not self.group.is_active:
            errors["group"] = [_("Kelompok ini tidak aktif.")]
        raise_if(errors)


class CapitalAccess(VillageRowModel):
    class Source(models.TextChoices):
        KUR = "kur", _("KUR (pinjaman bank)")
        GRANT = "grant", _("Hibah")
        REVOLVING = "revolving", _("Dana bergulir")
        CSR = "csr", _("CSR")
        BUMDES = "bumdes", _("BUMDes")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Diajukan")
        APPROVED = "approved", _("Disetujui")
        DISBURSED = "disbursed", _("Dicairkan")
        REJECTED = "rejected", _("Ditolak")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="capital_access", verbose_name=_("badan usaha")
    )
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    amount = models.BigIntegerField(_("nilai (Rp)"), validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(_("tanggal diajukan"))
    approved_on = models.DateField(_("tanggal disetujui"), null=True, blank=True)
    disbursed_on = models.DateField(_("tanggal dicairkan"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True, validators=[validate_plain_text])

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("akses permodalan")
        verbose_name_plural = _("akses permodalan")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="capital_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["regency", "status"], name="capital_regency_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.enterprise}"

    def save(self, *args, **kwargs) -> None:
        if self.enterprise_id and not self.village_id:
            self.village_id = self.enterprise.village_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Applied, then approved, then disbursed: each step dated, in order, none ahead."""
        errors: dict[str, list] = {}
        for field in ("applied_on", "approved_on", "disbursed_on"):
            not_in_future(errors, field, getattr(self, field))
        needs = {
            self.Status.APPROVED: ["approved_on"],
            self.Status.DISBURSED: ["approved_on", "disbursed_on"],
        }
        for field in needs.get(self.status, []):
            if not getattr(self, field):
                errors.setdefault(field, []).append(
                    _("Wajib diisi untuk status %(status)s.") % {"status": self.get_status_display()}
                )
        dated = [d for d in (self.applied_on, self.approved_on, self.disbursed_on) if d]
        if dated != sorted(dated):
            errors.setdefault("approved_on", []).append(
                _("Urutan tanggal harus: diajukan, disetujui, lalu dicairkan.")
            )
        raise_if(errors)
