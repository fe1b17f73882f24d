from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A token another system signs in with. Only a digest of the key is kept: the key is
    shown once, when issued. `auth_hash` is the user's session hash when issued, so a
    password change ends every token, as it ends every session."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("pengguna"),
    )
    digest = models.CharField(_("sidik token"), max_length=64, unique=True)
    prefix = models.CharField(_("awalan"), max_length=8)
    auth_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"))

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"
