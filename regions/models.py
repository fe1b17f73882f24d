"""The Kemendagri region hierarchy of Banten and the users who work in it.

Codes are the primary keys (`36.01`, `36.01.01`, `36.01.01.2001`), so a row that keeps
`regency_id` needs no join to be scoped or counted by regency.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel

PROVINCE_CODE = "36"
PROVINCE_NAME = "Banten"


class Level(models.TextChoices):
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten/Kota")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Desa/Kelurahan")


def level_of(code: str) -> Level | None:
    """The level a Kemendagri code names by its depth, or None for a malformed code."""
    parts = code.split(".")
    if parts[0] != PROVINCE_CODE or not all(p.isdigit() for p in parts):
        return None
    widths = [2, 2, 2, 4]
    if len(parts) > 4 or any(len(p) != widths[i] for i, p in enumerate(parts)):
        return None
    return [Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE][len(parts) - 1]


class Regency(TimestampedModel):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    class Zone(models.TextChoices):
        NORTH = "north", _("Utara: digital dan jasa bernilai tambah")
        SOUTH = "south", _("Selatan: agroindustri, ketahanan pangan, industri")

    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    zone = models.CharField(_("zona"), max_length=5, choices=Zone.choices)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self) -> str:
        return self.name


class District(TimestampedModel):
    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("kabupaten/kota")
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return f"Kec. {self.name}"


class Village(TimestampedModel):
    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kabupaten/kota")
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class RegionListLoad(TimestampedModel):
    """Which Kemendagri list was loaded, when, and what it changed."""

    source = models.CharField(_("sumber"), max_length=200)
    sha256 = models.CharField(_("sidik SHA-256"), max_length=64)
    added = models.PositiveIntegerField(_("ditambah"), default=0)
    renamed = models.PositiveIntegerField(_("diganti nama"), default=0)
    retired = models.PositiveIntegerField(_("dinonaktifkan"), default=0)
    deleted = models.PositiveIntegerField(_("dihapus"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pemuatan daftar wilayah")
        verbose_name_plural = _("pemuatan daftar wilayah")

    def __str__(self) -> str:
        return f"{self.source} ({self.created_at:%Y-%m-%d})"


class Role(models.TextChoices):
    PROVINCE = "province", _("Pejabat provinsi")
    REGENCY = "regency", _("Pejabat kabupaten/kota")
    DISTRICT = "district", _("Pejabat kecamatan")
    VILLAGE = "village", _("Kepala desa/lurah atau operator")
    CADRE = "cadre", _("Kader PKK/posyandu")


# The level of region each role is assigned to.
ROLE_LEVEL = {
    Role.PROVINCE: Level.PROVINCE,
    Role.REGENCY: Level.REGENCY,
    Role.DISTRICT: Level.DISTRICT,
    Role.VILLAGE: Level.VILLAGE,
    Role.CADRE: Level.VILLAGE,
}
OFFICIAL_ROLES = {Role.PROVINCE, Role.REGENCY, Role.DISTRICT}


class User(AbstractUser):
    """A person who signs in; what they reach is decided by role and region_code."""

    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, blank=True)
    region_code = models.CharField(
        _("kode wilayah"),
        max_length=13,
        blank=True,
        db_index=True,
        help_text=_("Kode Kemendagri wilayah kerja, misalnya 36.01 atau 36.01.01.2001."),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        swappable = "AUTH_USER_MODEL"

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES


def find_region(code: str) -> "Regency | District | Village | str | None":
    """The region a Kemendagri code names, or None when it is unknown."""
    level = level_of(code or "")
    if level == Level.PROVINCE:
        return PROVINCE_NAME
    model = {Level.REGENCY: Regency, Level.DISTRICT: District, Level.VILLAGE: Village}.get(level)
    return model.objects.filter(code=code).first() if model else None
