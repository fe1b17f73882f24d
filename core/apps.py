from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Building blocks every app uses: the domain error, formatting, the timestamped base
    model, the admin toolkit and the template tags. Imports nothing of the other apps."""

    name = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        from django.contrib import admin

        from . import signin  # noqa: F401  (logs every sign-in attempt)
        from .admin import fail_closed

        # Every app's admin module is imported by now (django.contrib.admin's ready ran first).
        fail_closed(admin.site)
