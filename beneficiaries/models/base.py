import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel
from regions.models import District, Regency, Village


class VillageRowModel(TimestampedModel):
    """A row that belongs to a village and keeps its district and regency codes, so that
    scoping and reports filter without joins. The codes derive from the village code."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("kecamatan"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("kabupaten/kota"),
    )

    class Meta:
        abstract = True

    def set_region_codes(self) -> None:
        if self.village_id:
            self.district_id = self.village_id[:8]
            self.regency_id = self.village_id[:5]

    def save(self, *args, **kwargs) -> None:
        self.set_region_codes()
        super().save(*args, **kwargs)


def region_fk(to, verbose_name, *, editable=True):
    """A region code as VillageRowModel keeps it, without the field's own index: the model
    names the indexes its queries need in Meta (no LIKE twin there)."""
    return models.ForeignKey(
        to, on_delete=models.PROTECT, related_name="+", editable=editable, db_index=False, verbose_name=verbose_name
    )


def user_fk(verbose_name, related_name="+"):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def not_in_future(
    errors: dict, field: str, day: datetime.date | None, *, today: datetime.date | None = None
) -> None:
    """`today` lets a caller that checks many rows at once (the import) ask the clock once."""
    if day and day > (today or timezone.localdate()):
        errors.setdefault(field, []).append(_("Tanggal tidak boleh di masa depan."))


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
