"""Monthly report to regents and the governor: who receives it and each delivery of it.

A (recipient, period) has exactly one normal delivery (database constraint). A resend is an
explicit, separate delivery row with `is_resend` set, pointing at the one it repeats and the
official who asked for it, so the audit trail says who sent what twice and why.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Household, MoveState, Person, StageTransition, Target
from beneficiaries.models.cases import AssistanceKind
from core.models import TimestampedModel
from regions import policy
from regions.models import PROVINCE_CODE, Level, Regency, Village, level_of
from regions.selectors import region_codes_q


def is_report_region(code: str) -> bool:
    """A report covers the province (`36`) or one of its known regencies, nothing else:
    the one rule behind the recipient's validation, the dispatcher and the command."""
    level = level_of(code or "")
    return level == Level.PROVINCE or (level == Level.REGENCY and Regency.objects.filter(code=code).exists())


class RecipientQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = region_codes_q(user)
        return self.none() if q is None else self.filter(q)

    def manageable_by(self, user):
        """Recipients of the reports the user reads (regions.policy): a regency official sees
        the governor's address (a region above) but may not change it."""
        return self.visible_to(user).filter(region_code__in=policy.reportable_regions(user))


class ReportRecipient(TimestampedModel):
    region_code = models.CharField(
        _("wilayah"),
        max_length=5,
        db_index=True,
        help_text=_("36 untuk laporan provinsi (gubernur), atau kode kabupaten/kota, misalnya 36.02."),
    )
    name = models.CharField(_("nama"), max_length=150)
    title = models.CharField(_("jabatan"), max_length=150, help_text=_("Misalnya Bupati Lebak."))
    email = models.EmailField(_("email"))
    active = models.BooleanField(_("aktif"), default=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["region_code", "title"]
        verbose_name = _("penerima laporan")
        verbose_name_plural = _("penerima laporan")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "email"],
                name="report_recipient_unique_email_per_region",
                violation_error_message=_("Email ini sudah menjadi penerima laporan wilayah ini."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} <{self.email}>"

    def clean(self) -> None:
        if not is_report_region(self.region_code):
            raise ValidationError(
                {"region_code": _("Isi 36 (provinsi) atau kode kabupaten/kota yang dikenal, misalnya 36.02.")}
            )

    @property
    def is_province(self) -> bool:
        return self.region_code == PROVINCE_CODE


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = region_codes_q(user, "recipient__region_code")
        return self.none() if q is None else self.filter(q)


class ReportDelivery(TimestampedModel):
    Status = DeliveryStatus

    recipient = models.ForeignKey(
        ReportRecipient, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("penerima")
    )
    period = models.DateField(_("periode"), help_text=_("Hari pertama bulan yang dilaporkan."))
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("jumlah percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    sending_started_at = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    is_resend = models.BooleanField(_("kirim ulang"), default=False)
    resend_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resends",
        verbose_name=_("kirim ulang dari"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diminta oleh"),
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "recipient__region_code", "-created_at"]
        verbose_name = _("pengiriman laporan")
        verbose_name_plural = _("pengiriman laporan")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "period"],
                condition=Q(is_resend=False),
                name="report_delivery_once_per_recipient_period",
                violation_error_message=_("Laporan periode ini untuk penerima ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(is_resend=False, resend_of__isnull=True)
                | Q(is_resend=True, resend_of__isnull=False),
                name="report_delivery_resend_has_origin",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="report_delivery_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="report_delivery_period_idx")]

    def __str__(self) -> str:
        label = _("Kirim ulang") if self.is_resend else _("Laporan")
        return f"{label} {self.period:%m-%Y} · {self.recipient}"


class DeliveryEvent(models.Model):
    """One line of a delivery's log, written in the same transaction as the change."""

    class Kind(models.TextChoices):
        QUEUED = "queued", _("Masuk antrean")
        CLAIMED = "claimed", _("Mulai dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        REQUEUED = "requeued", _("Diantrekan ulang")
        RESEND = "resend", _("Kirim ulang diminta")
        RELEASED = "released", _("Dilepas dari status macet")

    delivery = models.ForeignKey(
        ReportDelivery, on_delete=models.CASCADE, related_name="events", verbose_name=_("pengiriman")
    )
    kind = models.CharField(_("kejadian"), max_length=10, choices=Kind.choices)
    detail = models.TextField(_("keterangan"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("log pengiriman")
        verbose_name_plural = _("log pengiriman")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.created_at:%d-%m-%Y %H:%M}"


# The additive figures a village-month keeps: aid by kind (count and rupiah), applied moves
# by kind, and two net flows whose running sum is a level at a month's end: cases standing
# at each position (+1 when a move puts a case there, -1 when the case's next move takes it
# away) and proposals waiting (+1 in the month proposed, -1 in the month decided).
AID_COLUMNS = [f"aid_{kind}_{what}" for kind in AssistanceKind.values for what in ("count", "amount")]
MOVE_COLUMNS = [f"move_{kind}" for kind in StageTransition.Kind.values]
POSITION_COLUMNS = {
    "1": "stage_1",
    "2": "stage_2",
    "3": "stage_3",
    "graduated": "graduated",
    "exited": "exited",
}
TALLY_COLUMNS = [*AID_COLUMNS, *MOVE_COLUMNS, "pending", *POSITION_COLUMNS.values()]


def _tally_labels() -> dict:
    labels = {}
    for kind in AssistanceKind:
        labels[f"aid_{kind.value}_count"] = format_lazy(_("{kind}: jumlah"), kind=kind.label)
        labels[f"aid_{kind.value}_amount"] = format_lazy(_("{kind}: nilai"), kind=kind.label)
    labels.update({f"move_{kind.value}": kind.label for kind in StageTransition.Kind})
    labels["pending"] = MoveState.PENDING.label
    labels.update({column: Target(target).label for target, column in POSITION_COLUMNS.items()})
    return labels


class VillageMonth(models.Model):
    """One village's additive report figures for one month (Asia/Jakarta), so that a report
    adds up about 40,000 narrow rows for the province instead of millions of aid rows and
    moves. `reports.tallies` keeps it in step with every save and delete of aid and moves, in
    the same transaction; `reports.tallies.refresh` rebuilds it from the rows (a bulk load
    that bypasses `save()`, or a check). Tests hold both to the figures the rows say."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    month = models.DateField(_("periode"))
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["village", "month"]
        verbose_name = _("ringkasan bulanan desa")
        verbose_name_plural = _("ringkasan bulanan desa")
        constraints = [models.UniqueConstraint(fields=["village", "month"], name="village_month_unique")]
        indexes = [models.Index(fields=["regency", "month"], name="village_month_regency_idx")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.month:%m-%Y}"


for _column, _label in _tally_labels().items():
    VillageMonth.add_to_class(_column, models.BigIntegerField(_label, default=0))
del _column, _label


class AidedHouseholdMonth(models.Model):
    """A household that received aid in a village in a month, whether that month was its
    first there, and how many women and girls the household has: the report adds up the
    women of these households (in the month, the month before, and ever up to the month)
    without reading the aid rows or the persons. Kept by `reports.tallies` with the
    village-months; `women` follows every save and delete of a person too."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="+", verbose_name=_("rumah tangga")
    )
    month = models.DateField(_("periode"))
    rows = models.IntegerField(_("jumlah"), default=0)  # the upsert adds negative differences too
    first = models.BooleanField(_("pertama"), default=False)
    women = models.IntegerField(_("perempuan"), default=0)  # female members (any, as the report counts them)

    class Meta:
        ordering = ["village", "household", "month"]
        verbose_name = _("rumah tangga penerima bantuan per bulan")
        verbose_name_plural = _("rumah tangga penerima bantuan per bulan")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "household", "month"], name="aided_household_month_unique"
            )
        ]
        # Covering (PostgreSQL): the women's count reads these indexes, not the table.
        indexes = [
            models.Index(fields=["regency", "month"], include=["village", "first", "women"],
                         name="aided_household_regency_women"),
            models.Index(fields=["month"], include=["village", "first", "women"], name="aided_household_month_women"),
            models.Index(fields=["month"], condition=Q(first=True), include=["village", "regency", "women"],
                         name="aided_household_first_women"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.village_id} {self.household_id} {self.month:%m-%Y}"


class AttendedWomanMonth(models.Model):
    """A woman or girl who attended an activity in a village in a month: whether one of those
    activities was of a women's programme, and whether the month was her first there (at
    all, and in a women's programme). The report counts the women attending (in the month,
    the month before, ever) from these rows instead of distinct persons over every
    attendance. Kept by `reports.tallies` from the saves of attendance, activities, persons
    and programmes."""

    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan"))
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("peserta"))
    month = models.DateField(_("periode"))
    women_programme = models.BooleanField(_("program perempuan"), default=False)
    first = models.BooleanField(_("pertama"), default=False)
    first_women = models.BooleanField(_("pertama di program perempuan"), default=False)

    class Meta:
        ordering = ["village", "person", "month"]
        verbose_name = _("perempuan peserta kegiatan per bulan")
        verbose_name_plural = _("perempuan peserta kegiatan per bulan")
        constraints = [
            models.UniqueConstraint(fields=["village", "person", "month"], name="attended_woman_month_unique")
        ]
        indexes = [
            models.Index(fields=["month"], include=["village", "regency", "women_programme", "first", "first_women"],
                         name="attended_woman_month_idx"),
            models.Index(fields=["regency", "month"], include=["village", "women_programme", "first", "first_women"],
                         name="attended_woman_regency_idx"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.village_id} {self.person_id} {self.month:%m-%Y}"
