"""Monthly report to regents and the governor: who receives it and each delivery of it.

A (recipient, period) has exactly one normal delivery (database constraint). A resend is an
explicit, separate delivery row with `is_resend` set, pointing at the one it repeats and the
official who asked for it, so the audit trail says who sent what twice and why.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from regions import policy
from regions.models import PROVINCE_CODE, Level, Regency, level_of
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
