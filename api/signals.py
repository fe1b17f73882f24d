"""A password change or a deactivated account ends the user's API tokens at once (the
authentication also refuses them: api/tokens.py checks the session hash and is_active)."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .tokens import revoke_all

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender="regions.User", dispatch_uid="api.tokens.watch")
def _note_credentials_change(sender, instance, update_fields=None, **kwargs):
    instance._revoke_tokens = False
    if instance.pk is None or (update_fields is not None and not WATCHED & set(update_fields)):
        return
    old = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is not None:
        instance._revoke_tokens = old["password"] != instance.password or (
            old["is_active"] and not instance.is_active
        )


@receiver(post_save, sender="regions.User", dispatch_uid="api.tokens.revoke")
def _revoke_tokens(sender, instance, **kwargs):
    if getattr(instance, "_revoke_tokens", False):
        revoke_all(user=instance)
