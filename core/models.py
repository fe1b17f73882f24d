from functools import cache

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _


@cache
def _choice_labels(field: models.Field) -> dict:
    return {make_hashable(value): label for value, label in field.flatchoices}


class ChoiceLabels:
    """`get_FOO_display()` from a dict of each field's choices built once. Django builds it
    on every call with the lazy labels hashed, and hashing a lazy label translates it: 79
    calls on the household page were ~1,000 translations (~4 ms). The labels stay lazy, so
    the dict serves every language."""

    def _get_FIELD_display(self, field: models.Field) -> str:
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


class TimestampedModel(ChoiceLabels, models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(ChoiceLabels, models.Model):
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


class AccessKind(models.TextChoices):
    FULL_NIK = "full_nik", _("NIK lengkap ditampilkan")
    FULL_KK = "full_kk", _("nomor KK lengkap ditampilkan")
    EXPORT = "export", _("ekspor berkas")
    API_PERSON = "api_person", _("API: data satu orang dibaca")
    SUBJECT_REPORT = "subject_report", _("laporan subjek data")
    ERASURE = "erasure", _("penghapusan data pribadi")


class AppendOnlyQuerySet(models.QuerySet):
    """`update()` and `delete()` on the queryset would go around `save`/`delete`: refused."""

    def update(self, **kwargs):
        raise PermissionError("The personal-data access log is append-only.")

    def delete(self):
        raise PermissionError("The personal-data access log is append-only.")


class AccessLog(models.Model):
    """One processing of personal data (UU 27/2022): who saw or took what, when, from where.

    Kept apart from the application log (its own table, never through `logging`) and
    append-only: rows are written by `core.access.record_access` and never changed or
    deleted (on PostgreSQL a trigger refuses UPDATE and DELETE too). No personal data is
    held here, only the object's type and id, so an erasure leaves the log as it is.
    """

    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong: sistem (tugas terjadwal, perintah)."),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=AccessKind.choices)
    object_type = models.CharField(_("jenis data"), max_length=60, blank=True)
    object_id = models.CharField(_("ID data"), max_length=40, blank=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=1)
    region_code = models.CharField(_("kode wilayah"), max_length=13, blank=True)
    path = models.CharField(_("alamat halaman"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("log akses data pribadi")
        verbose_name_plural = _("log akses data pribadi")
        ordering = ["-id"]  # the primary key's order is the time order, and its index is there
        indexes = [
            models.Index(fields=["actor", "at"], name="core_access_actor_at"),
            models.Index(fields=["object_type", "object_id"], name="core_access_object"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.object_type} {self.object_id}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The personal-data access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The personal-data access log is append-only.")
