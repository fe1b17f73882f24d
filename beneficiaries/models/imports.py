"""A run of the household import (P3KE / DTSEN lists): the file, who ran it, its progress
and its result, kept with the file's checksum."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from regions.selectors import scope_of

from .base import user_fk


class ImportStorage(FileSystemStorage):
    """Uploads live under IMPORT_STORAGE_DIR, read when used (tests point it elsewhere)."""

    @property
    def base_location(self) -> str:
        return str(settings.IMPORT_STORAGE_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


_storage = ImportStorage()


def import_storage() -> ImportStorage:
    return _storage


class ImportMode(models.TextChoices):
    DRY_RUN = "dry_run", _("Uji coba (tidak menulis)")
    COMMIT = "commit", _("Semua atau tidak sama sekali")
    PARTIAL = "partial", _("Hanya rumah tangga yang valid")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    REFUSED = "refused", _("Ditolak")
    FAILED = "failed", _("Gagal")


ACTIVE_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportRunQuerySet":
        """Officials see the runs started inside their region (a regency: its own)."""
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if scope.empty:
            return self.none()
        return self.filter(Q(region_code=scope.code) | Q(region_code__startswith=scope.code + "."))


class ImportRun(TimestampedModel):
    file = models.FileField(
        _("berkas"), upload_to="%Y/%m/", storage=import_storage, max_length=255, blank=True
    )
    file_name = models.CharField(_("nama berkas"), max_length=255)
    checksum = models.CharField(_("checksum SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    mode = models.CharField(_("mode"), max_length=10, choices=ImportMode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_by = user_fk(_("dijalankan oleh"))
    region_code = models.CharField(_("wilayah pengimpor"), max_length=13, editable=False)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    rejected = models.PositiveIntegerField(_("baris ditolak"), default=0)
    households_written = models.PositiveIntegerField(_("rumah tangga ditulis"), default=0)
    persons_written = models.PositiveIntegerField(_("anggota ditulis"), default=0)
    households_existing = models.PositiveIntegerField(_("rumah tangga sudah ada"), default=0)
    households_valid = models.PositiveIntegerField(_("rumah tangga valid"), default=0)
    persons_valid = models.PositiveIntegerField(_("anggota valid"), default=0)
    columns = models.JSONField(_("kolom"), default=dict, blank=True)
    rejections = models.JSONField(_("baris ditolak (rincian)"), default=list, blank=True)
    message = models.TextField(_("keterangan"), blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor rumah tangga")
        verbose_name_plural = _("impor rumah tangga")
        constraints = [
            models.UniqueConstraint(
                fields=["checksum"],
                condition=Q(status__in=["queued", "running"]),
                name="one_running_import_per_file",
            ),
        ]
        indexes = [models.Index(fields=["region_code", "-created_at"], name="importrun_region_idx")]

    def __str__(self) -> str:
        if not self.created_at:
            return self.file_name
        return f"{self.file_name} ({timezone.localtime(self.created_at):%d-%m-%Y %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
