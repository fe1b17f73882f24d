from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Optimistic locking: the services add one to `version` on every save of a stored row
    and refuse a write made from an older version (`beneficiaries.services.common.ensure_fresh`),
    so two officials editing the same record cannot silently undo each other."""

    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    class Meta:
        abstract = True


class OutboxMessage(models.Model):
    """A task to queue, written in the same transaction as the write that wants it
    (core.outbox.enqueue). The relay publishes it after commit and marks it sent; while the
    broker is down it stays unsent and the periodic drain publishes it later. `started_at`
    is the worker's claim: a message published twice runs once."""

    task = models.CharField(_("tugas"), max_length=200)
    args = models.JSONField(_("argumen"), default=list, blank=True)
    queue = models.CharField(_("antrean"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("dikirim ke antrean"), null=True, blank=True)
    started_at = models.DateTimeField(_("dijalankan"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("percobaan kirim"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)

    class Meta:
        verbose_name = _("pesan antrean keluar")
        verbose_name_plural = _("pesan antrean keluar")
        indexes = [
            # The drain reads only the unsent rows, oldest first; a partial index stays small.
            models.Index(
                fields=["id"], name="core_outbox_unsent_idx", condition=models.Q(sent_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"
