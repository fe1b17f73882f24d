"""What UU 27/2022 asks the product to keep about its own processing: the erasure of a
person registered by mistake (who, when, why; no personal data)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_plain_text

from .people import Person


class PersonErasure(models.Model):
    """A person's identifying fields were erased, in the row and in its history rows. The
    row itself stays (aid, cases, measurements and the report figures keep counting it),
    and so does this record: the official, the time, the region and the reason."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="erasure", verbose_name=_("orang (setelah dihapus)")
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dihapus oleh")
    )
    erased_at = models.DateTimeField(_("dihapus pada"), default=timezone.now)
    region_code = models.CharField(_("kode desa/kelurahan"), max_length=13)
    reason = models.TextField(
        _("alasan"),
        validators=[validate_plain_text],
        help_text=_("Mengapa data dihapus (misalnya salah daftar). Jangan tulis NIK atau nama."),
    )
    household_erased = models.BooleanField(_("KK dan alamat rumah tangga ikut dihapus"), default=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penghapusan data pribadi")
        verbose_name_plural = _("penghapusan data pribadi")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return _("Penghapusan #%(id)s") % {"id": self.pk}
