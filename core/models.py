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
