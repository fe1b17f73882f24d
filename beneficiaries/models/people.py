"""Households (one KK each) and the persons in them."""

from django.contrib.postgres.indexes import OpClass
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.indexes import TrigramIndex
from core.models import VersionedModel
from core.validators import validate_plain_text
from regions.models import District, Regency, Village
from regions.selectors import scoped_queryset

from ..identity import NikInfo, check_nik_matches, mask_kk, mask_nik, parse_nik, validate_kk
from .base import VillageRowModel, not_in_future, region_fk, user_fk

# ASCII digits only, to the very end: `\d` takes other scripts' digits and `$` a trailing newline.
rt_rw_validator = RegexValidator(r"\A[0-9]{1,3}\Z", _("Isi dengan 1 sampai 3 angka, misalnya 003."))


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Relation(models.TextChoices):
    HEAD = "head", _("Kepala keluarga")
    SPOUSE = "spouse", _("Istri/suami")
    CHILD = "child", _("Anak")
    OTHER = "other", _("Keluarga lain")


class LeftReason(models.TextChoices):
    DIED = "died", _("Meninggal dunia")
    MOVED_OUT = "moved_out", _("Pindah keluar")
    MARRIED_OUT = "married_out", _("Keluar karena menikah")
    OTHER = "other", _("Lainnya")


class Household(VersionedModel, VillageRowModel):
    kk_number = models.CharField(
        _("nomor KK"),
        max_length=16,
        unique=True,
        validators=[validate_kk],
        error_messages={"unique": _("Nomor KK ini sudah terdaftar.")},
    )
    address = models.CharField(_("alamat"), max_length=255, validators=[validate_plain_text])
    rt = models.CharField(_("RT"), max_length=3, validators=[rt_rw_validator])
    rw = models.CharField(_("RW"), max_length=3, validators=[rt_rw_validator])
    desil = models.PositiveSmallIntegerField(
        _("desil P3KE"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Peringkat kesejahteraan P3KE, 1 = paling miskin."),
    )
    created_by = user_fk(_("didaftarkan oleh"))
    # The region codes as the base model keeps them, but each indexed once (see Meta): a
    # ForeignKey to a char key gets a second, `varchar_pattern_ops` index on PostgreSQL for
    # LIKE, and nothing asks a household's codes by their start (scoping compares them
    # whole, `region_q`). The import writes every household through these indexes.
    village = region_fk(Village, _("desa/kelurahan"))
    district = region_fk(District, _("kecamatan"), editable=False)
    regency = region_fk(Regency, _("kabupaten/kota"), editable=False)

    objects = scoped_queryset("").as_manager()
    # Its history is read by household id (timeline, subject report, erasure): the copied
    # unique and foreign-key columns need no index of their own there.
    history = HistoricalRecords(no_db_index=["kk_number", "village", "district", "regency", "created_by"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rumah tangga")
        verbose_name_plural = _("rumah tangga")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(desil__isnull=True) | models.Q(desil__gte=1, desil__lte=10),
                name="household_desil_1_to_10",
            ),
        ]
        indexes = [
            # Also a regency's households (its first column): no index of regency alone.
            models.Index(fields=["regency", "district"], name="household_region_idx"),
            models.Index(fields=["district"], name="household_district_idx"),
            models.Index(fields=["village"], name="household_village_idx"),
            models.Index(fields=["-created_at"], name="household_list_order_idx"),
            # The toddlers of a month by village or in a regency (growth coverage) join their
            # households by id: this answers the join from the index alone (PostgreSQL).
            models.Index(fields=["regency", "village"], include=["id", "district"], name="household_codes_idx"),
        ]

    def __str__(self) -> str:
        # Masked: a label (admin links, autocomplete, log entries) does not know who reads it.
        return f"KK {mask_kk(self.kk_number)}"

    def save(self, *args, **kwargs) -> None:
        self.rt, self.rw = self.rt.zfill(3), self.rw.zfill(3)
        super().save(*args, **kwargs)

    @property
    def current_members(self) -> list["Person"]:
        """Who belongs to the household now (not who left), read from the prefetched
        `members` when there is one: lists and serializers ask this, not `members`."""
        return [p for p in self.members.all() if p.left_on is None]


# simple-history's change reason on the persons saved with their household's registration
# (the household's timeline tells them as one event).
REGISTERED_WITH_HOUSEHOLD = "registered"


class PersonQuerySet(scoped_queryset("household__")):  # type: ignore[misc]
    def current(self) -> "PersonQuerySet":
        """Members of their household now: a person who left stays in history, not here."""
        return self.filter(left_on__isnull=True)


def person_identity_errors(
    *,
    nik: str | None,
    has_no_nik: bool,
    sex: str,
    birth_date,
    relation: str,
    is_female_head: bool,
    today=None,
) -> tuple[dict[str, list], NikInfo | None]:
    """The rules of a person's identity (`Person.clean` and the household import both ask
    this one function): a NIK or explicitly none, the NIK's structure, its sex and birth
    date against those recorded, no birth in the future, a female head only if she is one.
    Returns the errors by field and the parsed NIK (None without a valid one)."""
    errors: dict[str, list] = {}
    info = None
    if has_no_nik and nik:
        errors["has_no_nik"] = [_("Hapus centang 'belum punya NIK' karena NIK sudah diisi.")]
    elif not has_no_nik and not nik:
        errors["nik"] = [
            _("NIK wajib diisi. Jika memang belum punya NIK (bayi baru lahir), centang 'belum punya NIK'.")
        ]
    if nik:
        try:
            info = parse_nik(nik, today=today)
            check_nik_matches(info, sex=sex, birth_date=birth_date)
        except ValidationError as e:
            for field, messages in e.update_error_dict({}).items():
                errors.setdefault("nik" if field == NON_FIELD_ERRORS else field, []).extend(
                    ValidationError(messages).messages
                )
    not_in_future(errors, "birth_date", birth_date, today=today)
    if is_female_head and (sex != Sex.FEMALE or relation != Relation.HEAD):
        errors["is_female_head"] = [_("Hanya untuk perempuan yang menjadi kepala keluarga.")]
    return errors, info


class Person(VersionedModel, models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("rumah tangga")
    )
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        error_messages={"unique": _("NIK ini sudah terdaftar.")},
    )
    has_no_nik = models.BooleanField(
        _("belum punya NIK"),
        default=False,
        help_text=_("Hanya untuk yang memang belum punya NIK, misalnya bayi baru lahir."),
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150, validators=[validate_plain_text])
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    relation = models.CharField(_("hubungan dengan kepala keluarga"), max_length=10, choices=Relation.choices)
    is_female_head = models.BooleanField(_("perempuan kepala keluarga"), default=False)
    has_disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    nik_outside_banten = models.BooleanField(_("NIK terdaftar di luar Banten"), default=False, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    created_by = user_fk(_("didaftarkan oleh"))
    # A member who left (died, moved out, married out) stays: aid, attendance and history
    # refer to them. They are out of the current household (`Person.objects.current()`).
    left_on = models.DateField(_("tanggal keluar"), null=True, blank=True)
    left_reason = models.CharField(_("alasan keluar"), max_length=12, choices=LeftReason.choices, blank=True)
    left_note = models.CharField(
        _("catatan keluar"), max_length=255, blank=True, validators=[validate_plain_text]
    )

    objects = PersonQuerySet.as_manager()
    # Read by person id and by household id (the timeline): not by NIK nor by who registered.
    history = HistoricalRecords(no_db_index=["nik", "created_by"])

    class Meta:
        ordering = ["household", "relation", "birth_date"]
        verbose_name = _("anggota keluarga")
        verbose_name_plural = _("anggota keluarga")
        permissions = [("view_full_nik", _("Dapat melihat NIK lengkap"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nik__isnull=False, has_no_nik=False)
                | models.Q(nik__isnull=True, has_no_nik=True),
                name="person_nik_or_explicitly_none",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="head", left_on__isnull=True),
                name="one_current_head_per_household",
                violation_error_code="unique",
                violation_error_message=_("Rumah tangga ini sudah punya kepala keluarga."),
            ),
            models.CheckConstraint(condition=models.Q(sex__in=["L", "P"]), name="person_sex_l_or_p"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True, left_reason="")
                | (models.Q(left_on__isnull=False) & ~models.Q(left_reason="")),
                name="person_left_on_with_reason",
            ),
            # The head changes first (change_head); then the former head may leave.
            models.CheckConstraint(
                condition=~models.Q(relation="head", left_on__isnull=False), name="person_head_has_not_left"
            ),
        ]
        # The report counts women and girls (of aided households, among attendees) from
        # these small indexes instead of reading a million persons; the toddlers of a month
        # (growth coverage) are those born within the last 60 months, counted from the
        # birth-date index alone (PostgreSQL: 800,000 heap pages not read).
        indexes = [
            models.Index(
                fields=["household"], condition=models.Q(sex="P"), name="person_women_household_idx"
            ),
            models.Index(fields=["id"], condition=models.Q(sex="P"), name="person_women_idx"),
            models.Index(fields=["birth_date"], include=["household", "left_on", "id"], name="person_toddlers_idx"),
            # The posyandu session's children under five of a village, reached through its
            # households: read from the index alone (no row of the village's adults read).
            models.Index(
                fields=["household", "birth_date"],
                include=["id"],
                condition=models.Q(left_on__isnull=True),
                name="person_current_birth_idx",
            ),
            # Name search (`icontains`, which PostgreSQL runs as UPPER(name) LIKE UPPER('%word%'))
            # over a million persons: trigrams of the upper-cased name. PostgreSQL only; see
            # migration 0006.
            TrigramIndex(OpClass(Upper("full_name"), name="gin_trgm_ops"), name="person_name_trgm_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({mask_nik(self.nik)})"

    def save(self, *args, **kwargs) -> None:
        self.normalize()
        super().save(*args, **kwargs)

    def normalize(self) -> None:
        """What every write stores: `save()` calls it, bulk writes call it per row."""
        self.nik = (self.nik or "").strip() or None
        if self.nik and len(self.nik) == 16:
            self.nik_outside_banten = not self.nik.startswith("36")

    def clean(self) -> None:
        self.nik = (self.nik or "").strip() or None
        errors, info = person_identity_errors(
            nik=self.nik,
            has_no_nik=self.has_no_nik,
            sex=self.sex,
            birth_date=self.birth_date,
            relation=self.relation,
            is_female_head=self.is_female_head,
        )
        if info is not None:
            self.nik_outside_banten = info.outside_banten
        self._clean_left(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_left(self, errors: dict) -> None:
        if self.left_on is None:
            if self.left_reason:
                errors["left_on"] = [_("Isi tanggal keluar.")]
            return
        if not self.left_reason:
            errors["left_reason"] = [_("Pilih alasan keluar.")]
        not_in_future(errors, "left_on", self.left_on)
        if self.birth_date and self.left_on < self.birth_date:
            errors.setdefault("left_on", []).append(_("Tanggal keluar tidak boleh sebelum tanggal lahir."))

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)
