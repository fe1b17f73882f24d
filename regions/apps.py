from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Wilayah dan pengguna")

    def after_migrate(self, **kwargs) -> None:
        from regions.loader import ensure_bundled_regions
        from regions.roles import ensure_role_groups

        ensure_bundled_regions(using=kwargs.get("using", "default"))
        ensure_role_groups()

    def ready(self) -> None:
        # The contenttypes/auth handlers create permissions on post_migrate; ours runs after
        # them because "regions" sits after django.contrib.auth in INSTALLED_APPS.
        post_migrate.connect(self.after_migrate, sender=self, dispatch_uid="regions-after-migrate")
