"""Education and capacity building run by partners (PKK, posyandu...), with attendance."""

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from core.validators import validate_plain_text
from programs.models import Partner, Program
from regions.selectors import scoped_queryset

from .base import VillageRowModel, not_in_future, raise_if, user_fk
from .people import Person


class Topic(models.TextChoices):
    CULINARY = "culinary", _("Tata boga")
    ENTREPRENEURSHIP = "entrepreneurship", _("Kewirausahaan")
    NUTRITION = "nutrition", _("Gizi dan kesehatan anak")
    PARENTING = "parenting", _("Pengasuhan")
    FINANCE = "finance", _("Literasi keuangan")
    DIGITAL = "digital", _("Literasi digital")
    SANITATION = "sanitation", _("Air bersih dan sanitasi")
    OTHER = "other", _("Lainnya")


class Activity(VillageRowModel):
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="activities", verbose_name=_("mitra")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("program")
    )
    topic = models.CharField(_("topik"), max_length=16, choices=Topic.choices)
    title = models.CharField(_("judul kegiatan"), max_length=200, validators=[validate_plain_text])
    held_on = models.DateField(_("tanggal"))
    note = models.TextField(_("catatan"), blank=True, validators=[validate_plain_text])
    attendees = models.ManyToManyField(
        Person, through="Attendance", related_name="activities", verbose_name=_("peserta")
    )
    recorded_by = user_fk(_("dicatat oleh"))

    objects = scoped_queryset("").as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        indexes = [models.Index(fields=["regency", "held_on"], name="activity_regency_date_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d-%m-%Y})"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        not_in_future(errors, "held_on", self.held_on)
        raise_if(errors)


# Sent by `services.set_attendance` after its bulk write (which sends no post_save), with
# `person_ids`: whose attendance of `activity` was added. The report's tallies listen.
attendance_written = Signal()


class Attendance(TimestampedModel):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("kegiatan")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("peserta")
    )

    objects = scoped_queryset("activity__").as_manager()

    class Meta:
        ordering = ["activity", "person"]
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="attendance_unique",
                violation_error_code="unique",
                violation_error_message=_("Peserta ini sudah tercatat hadir."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity}"

    def clean(self) -> None:
        if (
            self.activity_id
            and self.person_id
            and self.person.household.village_id != self.activity.village_id
        ):
            raise_if({"person": [_("Peserta harus warga desa tempat kegiatan.")]})
