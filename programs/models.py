"""Programmes the province runs and the partners that deliver them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from regions.models import find_region
from regions.selectors import region_codes_q


class Agency(models.TextChoices):
    DINSOS = "dinsos", _("Dinas Sosial")
    DPMD = "dpmd", _("Dinas Pemberdayaan Masyarakat dan Desa")
    DP3AKKB = "dp3akkb", _("DP3AKKB")
    DINKOP = "dinkop", _("Dinas Koperasi dan UKM")
    DINKES = "dinkes", _("Dinas Kesehatan")
    BAPPEDA = "bappeda", _("Bappeda")
    OTHER = "other", _("Lainnya")


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Programmes are province-wide reference data, but a user without a region sees nothing.
        return self if region_codes_q(user) is not None else self.none()


class Program(TimestampedModel):
    name = models.CharField(_("nama"), max_length=200, unique=True)
    agency = models.CharField(_("instansi pelaksana"), max_length=10, choices=Agency.choices)
    description = models.TextField(_("uraian"), blank=True)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"), null=True, blank=True)
    targets_women = models.BooleanField(
        _("program pemberdayaan perempuan"),
        default=False,
        help_text=_("Peserta dihitung dalam laporan partisipasi perempuan."),
    )
    requires_running_business = models.BooleanField(
        _("naik ke tahap 3 mensyaratkan usaha berjalan"),
        default=False,
        help_text=_(
            "Jika dicentang, kasus program ini naik dari tahap 2 ke tahap 3 hanya bila usaha rumah "
            "tangganya masih berjalan pada kunjungan terakhir."
        ),
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("program")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="program_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def runs_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = region_codes_q(user)
        return self.none() if q is None else self.filter(q)


class Partner(TimestampedModel):
    class Kind(models.TextChoices):
        PKK = "pkk", _("PKK")
        POSYANDU = "posyandu", _("Posyandu")
        COOPERATIVE = "cooperative", _("Koperasi")
        BUMDES = "bumdes", _("BUMDes")
        BANK = "bank", _("Bank")
        NGO = "ngo", _("LSM")
        OTHER = "other", _("Lainnya")

    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    region_code = models.CharField(
        _("wilayah layanan"),
        max_length=13,
        db_index=True,
        help_text=_("Kode Kemendagri wilayah yang dilayani: 36, 36.01, 36.01.01 atau desa."),
    )
    contact = models.CharField(_("kontak"), max_length=200, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        constraints = [
            models.UniqueConstraint(fields=["name", "region_code"], name="partner_unique_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        if self.region_code and find_region(self.region_code) is None:
            raise ValidationError({"region_code": _("Kode wilayah tidak dikenal.")})
